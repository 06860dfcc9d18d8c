package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/uptop-dev/uptop/probe"
)

// restore rebuilds each configured service's live state from the file:
// ring, last check, last failure, status and open incident, and the hourly
// uptime counters. Every query finishes before the next starts (the memory
// database has a single connection).
func (s *Store) restore(ctx context.Context) error {
	for _, sv := range s.services {
		if err := s.restoreService(ctx, sv); err != nil {
			return fmt.Errorf("restore %q from %s: %w", sv.spec.ID, displayPath(s.opt.Path), err)
		}
	}
	if err := s.restoreHours(ctx); err != nil {
		return fmt.Errorf("restore uptime from %s: %w", displayPath(s.opt.Path), err)
	}
	return nil
}

func (s *Store) restoreService(ctx context.Context, sv *service) error {
	samples, err := s.recentSamples(ctx, sv, len(sv.ring.slots))
	if err != nil {
		return err
	}
	for i := len(samples) - 1; i >= 0; i-- { // oldest first
		sv.ring.push(samples[i])
	}
	for i := 0; i < len(samples) && samples[i].Failed(); i++ {
		sv.m.fails++ // the newest run of failures, as far as the ring reaches
	}
	rs, err := s.results(ctx, sv.spec.ID, time.Time{}, time.Time{}, 1)
	if err != nil {
		return err
	}
	if len(rs) == 1 {
		sv.last = rs[0]
	}
	if sv.lastFailure, err = s.lastFailure(ctx, sv.spec.ID); err != nil {
		return err
	}
	return s.restoreStatus(ctx, sv)
}

// recentSamples reads the newest n results of sv as samples, newest first.
func (s *Store) recentSamples(ctx context.Context, sv *service, n int) ([]Sample, error) {
	rows, err := s.q.query(ctx,
		`SELECT start_ms, duration_us, ok FROM results WHERE service_id = ? ORDER BY start_ms DESC LIMIT ?`,
		sv.spec.ID, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Sample
	for rows.Next() {
		var at, us int64
		var ok bool
		if err := rows.Scan(&at, &us, &ok); err != nil {
			return nil, err
		}
		d := time.Duration(us) * time.Microsecond
		verdict := Classify(sv.spec, probe.Result{OK: ok, Duration: d})
		out = append(out, Sample{AtMilli: at, LatencyUS: latencyUS(d), Status: verdict})
	}
	return out, rows.Err()
}

func (s *Store) lastFailure(ctx context.Context, id string) (*Failure, error) {
	var at int64
	var f Failure
	err := s.q.queryRow(ctx,
		`SELECT start_ms, error, code FROM results WHERE service_id = ? AND ok = 0 ORDER BY start_ms DESC LIMIT 1`,
		id).Scan(&at, &f.Error, &f.Code)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	f.At = time.UnixMilli(at)
	if f.Error == "" {
		f.Error = failCause(probe.Result{Code: f.Code})
	}
	return &f, nil
}

// restoreStatus takes the status and Since from the latest transition, and
// the open incident from the transitions back to the one that opened it.
func (s *Store) restoreStatus(ctx context.Context, sv *service) error {
	trs, err := s.transitions(ctx, sv.spec.ID, time.Time{}, 1)
	if err != nil || len(trs) == 0 {
		return err
	}
	sv.m.status, sv.m.since = trs[0].To, trs[0].At
	if sv.m.status != Down && sv.m.status != Degraded {
		return nil
	}
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

// restoreHours seeds the rolling hourly counters from the last 24 hours.
func (s *Store) restoreHours(ctx context.Context) error {
	const hourMs = int64(time.Hour / time.Millisecond)
	since := (s.clock.Now().UnixMilli()/hourMs - 23) * hourMs
	rows, err := s.q.query(ctx,
		`SELECT service_id, start_ms / ? AS h, count(*), sum(ok = 0) FROM results
		 WHERE start_ms >= ? GROUP BY service_id, h`, hourMs, since)
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
			sv.hours.add(h*hourMs, uint32(count), uint32(fails))
		}
	}
	return rows.Err()
}
