package statusd

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/uptop-dev/uptop/statusd/wire"
	"github.com/uptop-dev/uptop/store"
)

// apiStatus is GET /api/v1/status: cached per view; ?samples=N (the remote
// TUI) adds each service's newest N samples and is built per request.
func (s *server) apiStatus(w http.ResponseWriter, r *http.Request) {
	q := ""
	if r.URL.RawQuery != "" { // parsing an empty query still allocates
		q = r.URL.Query().Get("samples")
	}
	if q == "" {
		body, _ := s.statuses.get(func() (*cachedBody, error) { return s.views.get(r.Context()).statusBody(s), nil })
		body.serve(w, r)
		return
	}
	v := s.views.get(r.Context())
	w.Header().Set("Cache-Control", "no-cache")
	n, err := strconv.Atoi(q)
	if err != nil || n < 0 || n > store.RecentSamples {
		writeError(w, http.StatusBadRequest, "samples", fmt.Sprintf("samples=%q: want a whole number from 0 to %d", q, store.RecentSamples))
		return
	}
	body := wire.Status{
		Version: v.snap.Version, At: v.snap.At.UTC(), Title: s.opt.Title, Description: s.opt.Description,
		Overall: v.overall, Counts: wire.FromCounts(v.snap.Counts), Services: make([]wire.Service, len(v.svcs)),
	}
	for i, st := range v.snap.Services {
		body.Services[i] = s.service(st, v.hist, n)
	}
	w.Header().Set("ETag", v.etag)
	writeJSON(w, http.StatusOK, body)
}

// lookup finds the {id} service or writes the 404.
func (s *server) lookup(w http.ResponseWriter, r *http.Request) (*view, *store.ServiceState, bool) {
	v := s.views.get(r.Context())
	id := r.PathValue("id")
	st, ok := v.snap.Service(id)
	if !ok {
		writeError(w, http.StatusNotFound, "id", fmt.Sprintf("no service with id %q: GET /api/v1/status lists them", id))
	}
	return v, st, ok
}

// apiService is GET /api/v1/services/{id}: the service with its recent
// samples and its incidents of the last 14 days.
func (s *server) apiService(w http.ResponseWriter, r *http.Request) {
	v, st, ok := s.lookup(w, r)
	if !ok {
		return
	}
	out := s.service(st, v.hist, store.RecentSamples)
	now := s.opt.Clock.Now()
	incs, err := s.src.Incidents(r.Context(), st.ID, now.Add(-incidentDays*24*time.Hour), 100)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "", "read incidents: "+err.Error())
		return
	}
	out.Incidents = make([]wire.Incident, len(incs))
	for i, inc := range incs {
		out.Incidents[i] = wire.FromIncident(inc, now, st.Target, s.opt.ShowTargets)
	}
	w.Header().Set("Cache-Control", "no-cache")
	writeJSON(w, http.StatusOK, out)
}

// historyResponse is GET /api/v1/services/{id}/history.
type historyResponse struct {
	ID      string          `json:"id"`
	From    time.Time       `json:"from"`
	To      time.Time       `json:"to"`
	StepS   float64         `json:"step_s"`
	Buckets []historyBucket `json:"buckets"`
}

type historyBucket struct {
	Start    time.Time `json:"start"`
	Count    int       `json:"count"`
	Failures int       `json:"failures"`
	Uptime   *float64  `json:"uptime"`
	P50MS    *float64  `json:"p50_ms"`
	P95MS    *float64  `json:"p95_ms"`
	MaxMS    *float64  `json:"max_ms"`
}

const maxBuckets = 5000

func (s *server) apiHistory(w http.ResponseWriter, r *http.Request) {
	_, st, ok := s.lookup(w, r)
	if !ok {
		return
	}
	from, to, step, perr := historyParams(r, s.opt.Clock.Now())
	if perr != nil {
		writeError(w, http.StatusBadRequest, perr.param, perr.msg)
		return
	}
	bs, err := s.src.History(r.Context(), st.ID, from, to, step)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "", "read history: "+err.Error())
		return
	}
	out := historyResponse{ID: st.ID, From: from.UTC(), To: to.UTC(), StepS: step.Seconds(), Buckets: make([]historyBucket, len(bs))}
	for i, b := range bs {
		hb := historyBucket{Start: b.Start.UTC(), Count: b.Count, Failures: b.Failures}
		if b.Count > 0 {
			hb.Uptime = wire.Ratio(store.Uptime{Ratio: b.Uptime, Checks: b.Count})
		}
		if b.Count > b.Failures {
			hb.P50MS, hb.P95MS, hb.MaxMS = msp(b.P50), msp(b.P95), msp(b.Max)
		}
		out.Buckets[i] = hb
	}
	w.Header().Set("Cache-Control", "no-cache")
	writeJSON(w, http.StatusOK, out)
}

func msp(d time.Duration) *float64 { v := wire.MS(d); return &v }

type paramError struct{ param, msg string }

// historyParams reads from/to (RFC 3339 or unix seconds; default the last
// 24h) and step (a Go duration; default 1h) and says which one is wrong.
func historyParams(r *http.Request, now time.Time) (from, to time.Time, step time.Duration, pe *paramError) {
	q := r.URL.Query()
	to, step = now, time.Hour
	var err error
	if v := q.Get("to"); v != "" {
		if to, err = parseTime(v); err != nil {
			return from, to, step, &paramError{"to", fmt.Sprintf("to=%q: %v", v, err)}
		}
	}
	from = to.Add(-24 * time.Hour)
	if v := q.Get("from"); v != "" {
		if from, err = parseTime(v); err != nil {
			return from, to, step, &paramError{"from", fmt.Sprintf("from=%q: %v", v, err)}
		}
	}
	if v := q.Get("step"); v != "" {
		if step, err = time.ParseDuration(v); err != nil || step < time.Minute {
			return from, to, step, &paramError{"step", fmt.Sprintf("step=%q: want a duration of at least 1m, like 5m or 1h", v)}
		}
	}
	switch {
	case !from.Before(to):
		return from, to, step, &paramError{"from", "from must be before to"}
	case to.Sub(from)/step > maxBuckets:
		return from, to, step, &paramError{"step", fmt.Sprintf("step %s over %s gives more than %d buckets: use a larger step or a shorter range", step, to.Sub(from), maxBuckets)}
	}
	return from, to, step, nil
}

func parseTime(v string) (time.Time, error) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Unix(n, 0), nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return t, fmt.Errorf("want RFC 3339 (2006-01-02T15:04:05Z) or unix seconds")
	}
	return t, nil
}
