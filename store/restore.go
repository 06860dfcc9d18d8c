package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/uptop-dev/uptop/probe"
)

// restore rebuilds each configured service's live state from the file:
// ring, last check, last failure, status and open incident, and the hourly
// uptime counters. Each is one query over every service (the ids go in as
// a JSON array; SQLite seeks each service's index from json_each), not one
// query per service: 10,000 services restore in a few queries. Every query
// finishes before the next starts (the memory database has a single
// connection).
func (s *Store) restore(ctx context.Context) error {
	steps := []struct {
		what string
		fn   func(context.Context) error
	}{
		{"recent checks", s.restoreRings},
		{"last checks", s.restoreLast},
		{"last failures", s.restoreFailures},
		{"statuses", s.restoreStatuses},
		{"uptime", s.restoreHours},
	}
	for _, st := range steps {
		if err := st.fn(ctx); err != nil {
			return fmt.Errorf("restore %s from %s: %w", st.what, displayPath(s.opt.Path), err)
		}
	}
	return nil
}

// idsJSON is the JSON array of the given services' ids.
func idsJSON(svs []*service) string {
	ids := make([]string, len(svs))
	for i, sv := range svs {
		ids[i] = sv.spec.ID
	}
	b, _ := json.Marshal(ids) // strings always marshal
	return string(b)
}

// restoreRings fills the rings, one query per distinct ring size (LIMIT
// must be a constant). Rows come grouped by service, in the order of the
// JSON array: json_each is the outer loop of the plan.
func (s *Store) restoreRings(ctx context.Context) error {
	bySize := map[int][]*service{}
	for _, sv := range s.services {
		bySize[len(sv.ring.slots)] = append(bySize[len(sv.ring.slots)], sv)
	}
	var buf []Sample
	for size, svs := range bySize {
		rows, err := s.q.query(ctx, `SELECT j.value, r.start_ms, r.duration_us, r.ok, r.warning FROM json_each(?) j, results r
			WHERE r.rowid IN (SELECT rowid FROM results WHERE service_id = j.value ORDER BY start_ms DESC LIMIT `+
			strconv.Itoa(size)+`)`, idsJSON(svs))
		if err != nil {
			return err
		}
		var cur *service
		for rows.Next() {
			var id string
			var at, dur int64
			var ok bool
			var warning string
			if err := rows.Scan(&id, &at, &dur, &ok, &warning); err != nil {
				rows.Close()
				return err
			}
			if cur == nil || cur.spec.ID != id {
				cur.fillRing(buf)
				cur, buf = s.byID[id], buf[:0]
			}
			d := us(dur)
			buf = append(buf, Sample{AtMilli: at, LatencyUS: latencyUS(d), Status: Classify(cur.spec, probe.Result{OK: ok, Duration: d, Warning: warning})})
		}
		cur.fillRing(buf)
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// fillRing pushes samples oldest first and counts the newest run of
// failures (as far as the ring reaches). sv may be nil (no rows yet).
func (sv *service) fillRing(samples []Sample) {
	if sv == nil {
		return
	}
	slices.SortStableFunc(samples, func(a, b Sample) int { return cmp.Compare(a.AtMilli, b.AtMilli) })
	for _, smp := range samples {
		sv.ring.push(smp)
	}
	for i := len(samples) - 1; i >= 0 && samples[i].Failed(); i-- {
		sv.m.fails++
	}
}

// restoreLast reads each service's newest result.
func (s *Store) restoreLast(ctx context.Context) error {
	rows, err := s.q.query(ctx, `SELECT j.value, `+resultColumns("r")+`
		FROM json_each(?) j JOIN results r ON r.rowid = (SELECT rowid FROM results WHERE service_id = j.value
		ORDER BY start_ms DESC LIMIT 1)`, idsJSON(s.services))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r probe.Result
		if err := scanResult(rows, &r, &r.ServiceID); err != nil {
			return err
		}
		if sv, ok := s.byID[r.ServiceID]; ok {
			sv.last = r
		}
	}
	return rows.Err()
}

// restoreFailures reads each service's newest failed result.
func (s *Store) restoreFailures(ctx context.Context) error {
	rows, err := s.q.query(ctx, `SELECT j.value, r.start_ms, r.error, r.code FROM json_each(?) j
		JOIN results r ON r.rowid = (SELECT rowid FROM results WHERE service_id = j.value AND ok = 0
		ORDER BY start_ms DESC LIMIT 1)`, idsJSON(s.services))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var at int64
		var f Failure
		if err := rows.Scan(&id, &at, &f.Error, &f.Code); err != nil {
			return err
		}
		f.At = time.UnixMilli(at)
		if f.Error == "" {
			f.Error = failCause(probe.Result{Code: f.Code})
		}
		if sv, ok := s.byID[id]; ok {
			sv.lastFailure = &f
		}
	}
	return rows.Err()
}

// restoreStatuses takes each status and Since from the latest transition,
// then rebuilds the open incidents (only of services in one: few).
func (s *Store) restoreStatuses(ctx context.Context) error {
	rows, err := s.q.query(ctx, `SELECT j.value, t."from", t."to", t.at_ms, t.cause FROM json_each(?) j
		JOIN transitions t ON t.rowid = (SELECT rowid FROM transitions WHERE service_id = j.value
		ORDER BY at_ms DESC, rowid DESC LIMIT 1)`, idsJSON(s.services))
	if err != nil {
		return err
	}
	var open []*service
	for rows.Next() {
		var id, from, to, cause string
		var at int64
		if err := rows.Scan(&id, &from, &to, &at, &cause); err != nil {
			rows.Close()
			return err
		}
		sv, ok := s.byID[id]
		if !ok {
			continue
		}
		sv.m.status, _ = ParseStatus(to)
		sv.m.since, sv.m.cause = time.UnixMilli(at), cause
		if sv.m.status == Maintenance {
			// In a window when it stopped: the checks said what it entered
			// from; Open ends the window now if it is over.
			sv.m.maint, sv.m.maintSince = true, sv.m.since
			sv.m.status, _ = ParseStatus(from)
		}
		if sv.m.status == Down || sv.m.status == Degraded {
			open = append(open, sv)
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, sv := range open {
		if err := s.restoreIncident(ctx, sv); err != nil {
			return err
		}
	}
	return nil
}

// restoreIncident rebuilds sv's open incident from the transitions back
// to the one that opened it.
func (s *Store) restoreIncident(ctx context.Context, sv *service) error {
	// Walk back in pages until the opening transition.
	var chain []Transition // newest first
	before := time.Time{}
	for {
		page, err := s.transitionsBefore(ctx, sv.spec.ID, before, 256)
		if err != nil {
			return err
		}
		for _, t := range page {
			chain = append(chain, t)
			if t.From == Up || t.From == Unknown {
				sv.m.incident = openIncident(chain)
				return nil
			}
		}
		if len(page) < 256 {
			sv.m.incident = openIncident(chain) // history pruned: best effort
			return nil
		}
		before = page[len(page)-1].At
	}
}

// openIncident folds a newest-first chain ending at the opening transition.
func openIncident(chain []Transition) *Incident {
	if len(chain) == 0 {
		return nil
	}
	open := chain[len(chain)-1]
	inc := &Incident{ServiceID: open.ServiceID, Start: open.At, Worst: open.To, Cause: open.Cause}
	for _, t := range chain {
		if t.To == Down {
			inc.Worst = Down
		}
	}
	return inc
}

// restoreHours seeds the rolling hourly counters from the last 24 hourly
// rollups of each service.
func (s *Store) restoreHours(ctx context.Context) error {
	since := (s.clock.Now().UnixMilli()/hourMs - 23) * hourMs
	rows, err := s.q.query(ctx, `SELECT j.value, r.start_ms, r.checks, r.failures FROM json_each(?) j
		JOIN rollups r ON r.service_id = j.value AND r.period_ms = ? AND r.start_ms >= ?`,
		idsJSON(s.services), hourMs, since)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var h, count, fails int64
		if err := rows.Scan(&id, &h, &count, &fails); err != nil {
			return err
		}
		if sv, ok := s.byID[id]; ok {
			sv.hours.add(h, uint32(count), uint32(fails))
		}
	}
	return rows.Err()
}
