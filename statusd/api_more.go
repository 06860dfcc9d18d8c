package statusd

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/uptop-dev/uptop/statusd/wire"
)

// apiChecks is GET /api/v1/services/{id}/checks?limit=: stored checks,
// newest first (the remote TUI's detail view).
func (s *server) apiChecks(w http.ResponseWriter, r *http.Request) {
	_, st, ok := s.lookup(w, r)
	if !ok {
		return
	}
	limit, ok := intParam(w, r, "limit", 50, 1, 1000)
	if !ok {
		return
	}
	now := s.opt.Clock.Now()
	res, err := s.src.Results(r.Context(), st.ID, now.Add(-7*24*time.Hour), now, limit)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "", "read checks: "+err.Error())
		return
	}
	out := make([]wire.Check, len(res))
	for i, c := range res {
		out[i] = wire.FromResult(c, st.Kind, st.Target, s.opt.ShowTargets)
	}
	writeJSON(w, http.StatusOK, out)
}

// apiIncidents is GET /api/v1/services/{id}/incidents?days=&limit=.
func (s *server) apiIncidents(w http.ResponseWriter, r *http.Request) {
	_, st, ok := s.lookup(w, r)
	if !ok {
		return
	}
	days, ok := intParam(w, r, "days", incidentDays, 1, 400)
	if !ok {
		return
	}
	limit, ok := intParam(w, r, "limit", 100, 1, 1000)
	if !ok {
		return
	}
	now := s.opt.Clock.Now()
	incs, err := s.src.Incidents(r.Context(), st.ID, now.Add(-time.Duration(days)*24*time.Hour), limit)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "", "read incidents: "+err.Error())
		return
	}
	out := make([]wire.Incident, len(incs))
	for i, inc := range incs {
		out[i] = wire.FromIncident(inc, now, st.Target, s.opt.ShowTargets)
	}
	writeJSON(w, http.StatusOK, out)
}

// uptimeResponse is GET /api/v1/services/{id}/uptime?window=.
type uptimeResponse struct {
	Window   string   `json:"window"`
	Ratio    *float64 `json:"ratio"`
	Checks   int      `json:"checks"`
	Failures int      `json:"failures"`
}

func (s *server) apiUptime(w http.ResponseWriter, r *http.Request) {
	_, st, ok := s.lookup(w, r)
	if !ok {
		return
	}
	q := r.URL.Query().Get("window")
	if q == "" {
		q = "24h"
	}
	win, err := parseWindow(q)
	if err != nil {
		writeError(w, http.StatusBadRequest, "window", fmt.Sprintf("window=%q: %v", q, err))
		return
	}
	u, err := s.src.Uptime(r.Context(), st.ID, win)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "", "read uptime: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, uptimeResponse{Window: q, Ratio: wire.Ratio(u), Checks: u.Checks, Failures: u.Fails})
}

// parseWindow reads "30d", "7d", "24h", "90m" (days as a unit, which Go
// durations lack), from 1 minute to 400 days.
func parseWindow(v string) (time.Duration, error) {
	var d time.Duration
	if n, err := strconv.Atoi(v[:len(v)-1]); err == nil && len(v) > 1 && v[len(v)-1] == 'd' {
		d = time.Duration(n) * 24 * time.Hour
	} else if d, err = time.ParseDuration(v); err != nil {
		return 0, fmt.Errorf("want a window like 24h, 7d, 30d or 90d")
	}
	if d < time.Minute || d > 400*24*time.Hour {
		return 0, fmt.Errorf("want a window from 1m to 400d")
	}
	return d, nil
}

// intParam reads an optional whole-number query parameter in [lo, hi], or
// writes the 400 that names it.
func intParam(w http.ResponseWriter, r *http.Request, name string, def, lo, hi int) (int, bool) {
	q := r.URL.Query().Get(name)
	if q == "" {
		return def, true
	}
	n, err := strconv.Atoi(q)
	if err != nil || n < lo || n > hi {
		writeError(w, http.StatusBadRequest, name, fmt.Sprintf("%s=%q: want a whole number from %d to %d", name, q, lo, hi))
		return 0, false
	}
	return n, true
}
