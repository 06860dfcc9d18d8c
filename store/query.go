package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/uptop-dev/uptop/probe"
)

// Results returns a service's stored results with from <= Start < to,
// newest first, at most limit (≤ 0: all). A zero from or to is unbounded.
// Pending writes are flushed first, so every ingested result is seen.
func (s *Store) Results(ctx context.Context, id string, from, to time.Time, limit int) ([]probe.Result, error) {
	s.syncForQuery()
	return s.results(ctx, id, from, to, limit)
}

func (s *Store) results(ctx context.Context, id string, from, to time.Time, limit int) ([]probe.Result, error) {
	rows, err := s.q.query(ctx, `SELECT `+resultColumns("")+` FROM results
		WHERE service_id = ? AND start_ms >= ? AND start_ms < ? ORDER BY start_ms DESC LIMIT ?`,
		id, lowerMs(from), upperMs(to), sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("read results of %q: %w", id, err)
	}
	defer rows.Close()
	var out []probe.Result
	for rows.Next() {
		r := probe.Result{ServiceID: id}
		if err := scanResult(rows, &r); err != nil {
			return nil, fmt.Errorf("read results of %q: %w", id, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read results of %q: %w", id, err)
	}
	return out, nil
}

// Transitions returns stored transitions at or after since, newest first,
// at most limit (≤ 0: all); id "" means every service.
func (s *Store) Transitions(ctx context.Context, id string, since time.Time, limit int) ([]Transition, error) {
	s.syncForQuery()
	return s.transitions(ctx, id, since, limit)
}

func (s *Store) transitions(ctx context.Context, id string, since time.Time, limit int) ([]Transition, error) {
	const cols = `SELECT service_id, "from", "to", at_ms, cause, node FROM transitions `
	if id == "" {
		return s.queryTransitions(ctx, cols+`WHERE at_ms >= ? ORDER BY at_ms DESC, rowid DESC LIMIT ?`,
			lowerMs(since), sqlLimit(limit))
	}
	return s.queryTransitions(ctx, cols+`WHERE service_id = ? AND at_ms >= ? ORDER BY at_ms DESC, rowid DESC LIMIT ?`,
		id, lowerMs(since), sqlLimit(limit))
}

// transitionsBefore pages backwards: transitions strictly before before
// (zero: no bound), newest first.
func (s *Store) transitionsBefore(ctx context.Context, id string, before time.Time, limit int) ([]Transition, error) {
	return s.queryTransitions(ctx, `SELECT service_id, "from", "to", at_ms, cause, node FROM transitions
		WHERE service_id = ? AND at_ms < ? ORDER BY at_ms DESC, rowid DESC LIMIT ?`,
		id, upperMs(before), sqlLimit(limit))
}

func (s *Store) queryTransitions(ctx context.Context, query string, args ...any) ([]Transition, error) {
	rows, err := s.q.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read transitions: %w", err)
	}
	defer rows.Close()
	var out []Transition
	for rows.Next() {
		var t Transition
		var from, to string
		var at int64
		if err := rows.Scan(&t.ServiceID, &from, &to, &at, &t.Cause, &t.Node); err != nil {
			return nil, fmt.Errorf("read transitions: %w", err)
		}
		t.From, _ = ParseStatus(from)
		t.To, _ = ParseStatus(to)
		t.At = time.UnixMilli(at)
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read transitions: %w", err)
	}
	return out, nil
}

// Incidents returns the incidents open at or after since, newest first, at
// most limit (≤ 0: all); id "" means every service. They are rebuilt from
// the transitions, starting at the opening transition of any incident that
// was already open at since.
func (s *Store) Incidents(ctx context.Context, id string, since time.Time, limit int) ([]Incident, error) {
	s.syncForQuery()
	var start sql.NullInt64
	err := s.q.queryRow(ctx, `SELECT min(open_ms) FROM (SELECT max(at_ms) AS open_ms FROM transitions
		WHERE (? = '' OR service_id = ?) AND at_ms < ? AND "from" IN ('up', 'unknown') AND "to" IN ('down', 'degraded')
		GROUP BY service_id)`, id, id, lowerMs(since)).Scan(&start)
	if err != nil {
		return nil, fmt.Errorf("read incidents: %w", err)
	}
	from := since
	if start.Valid {
		from = time.UnixMilli(start.Int64)
	}
	trs, err := s.transitions(ctx, id, from, 0)
	if err != nil {
		return nil, err
	}
	slices.Reverse(trs) // oldest first
	incs := foldIncidents(trs)
	incs = slices.DeleteFunc(incs, func(i Incident) bool { return !i.End.IsZero() && i.End.Before(since) })
	slices.SortStableFunc(incs, func(a, b Incident) int { return b.Start.Compare(a.Start) })
	if limit > 0 && len(incs) > limit {
		incs = incs[:limit]
	}
	return incs, nil
}

// foldIncidents runs oldest-first transitions through the incident rules.
func foldIncidents(trs []Transition) []Incident {
	open := map[string]int{} // service → index in out of its open incident
	var out []Incident
	for _, t := range trs {
		i, isOpen := open[t.ServiceID]
		switch {
		case t.To == Up && isOpen:
			out[i].End = t.At
			delete(open, t.ServiceID)
		case t.To != Down && t.To != Degraded:
		case !isOpen: // normally from Up or Unknown; also covers pruned history
			open[t.ServiceID] = len(out)
			out = append(out, Incident{ServiceID: t.ServiceID, Start: t.At, Worst: t.To, Cause: t.Cause})
		case isOpen && t.To == Down:
			out[i].Worst = Down
		}
	}
	return out
}

func us(n int64) time.Duration { return time.Duration(n) * time.Microsecond }

func timeOrZero(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

func lowerMs(t time.Time) int64 {
	if t.IsZero() {
		return math.MinInt64
	}
	return t.UnixMilli()
}

func upperMs(t time.Time) int64 {
	if t.IsZero() {
		return math.MaxInt64
	}
	return t.UnixMilli()
}

func sqlLimit(n int) int {
	if n <= 0 {
		return -1 // SQLite: no limit
	}
	return n
}
