package statusd

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

// storeSource is a real *store.Store plus History and Daily computed here
// from its stored results (the store's rollups will replace these).
type storeSource struct{ *store.Store }

func (s storeSource) History(ctx context.Context, id string, from, to time.Time, step time.Duration) ([]store.Bucket, error) {
	res, err := s.Results(ctx, id, from, to, 0)
	if err != nil {
		return nil, err
	}
	var out []store.Bucket
	for t := from; t.Before(to); t = t.Add(step) {
		b := store.Bucket{Start: t}
		var lat []time.Duration
		for _, r := range res {
			if !r.Start.Before(t) && r.Start.Before(t.Add(step)) {
				b.Count++
				if !r.OK {
					b.Failures++
				} else {
					lat = append(lat, r.Duration)
				}
			}
		}
		if b.Count > 0 {
			b.Uptime = float64(b.Count-b.Failures) / float64(b.Count)
		}
		if len(lat) > 0 {
			slices.Sort(lat)
			b.P50, b.P95, b.Max = lat[len(lat)/2], lat[len(lat)*95/100], lat[len(lat)-1]
		}
		out = append(out, b)
	}
	return out, nil
}

func (s storeSource) Daily(ctx context.Context, id string, days int) ([]store.Day, error) {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	out := make([]store.Day, days)
	res, err := s.Results(ctx, id, today.AddDate(0, 0, 1-days), today.AddDate(0, 0, 1), 0)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Date = today.AddDate(0, 0, i+1-days)
	}
	for _, r := range res {
		i := int(r.Start.UTC().Truncate(24*time.Hour).Sub(out[0].Date) / (24 * time.Hour))
		if i < 0 || i >= days {
			continue
		}
		d := &out[i]
		d.HasData = true
		d.Checks++
		if !r.OK {
			d.Failures++
		}
		d.Uptime = float64(d.Checks-d.Failures) / float64(d.Checks)
	}
	return out, nil
}

// loopback is a service on 127.0.0.1 that can be flipped to answer 500.
type loopback struct {
	srv  *httptest.Server
	down atomic.Bool
}

func newLoopback(t *testing.T) *loopback {
	l := &loopback{}
	l.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l.down.Load() {
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(l.srv.Close)
	return l
}

// check is a minimal HTTP check (the probe package's checkers are tested
// there): one GET with a fresh connection, timed.
func (l *loopback) check(id string) probe.Result {
	start := time.Now()
	c := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get(l.srv.URL)
	r := probe.Result{ServiceID: id, Node: "test", Start: start, Duration: time.Since(start)}
	if err != nil {
		r.Err = err.Error()
		return r
	}
	resp.Body.Close()
	r.Code, r.OK = resp.StatusCode, resp.StatusCode < 400
	if !r.OK {
		r.Err = "HTTP " + resp.Status
	}
	return r
}

// daemon is a real store over loopback services, served on 127.0.0.1:0.
type daemon struct {
	st    *store.Store
	svcs  map[string]*loopback
	url   string
	stop  context.CancelFunc
	serve chan error
}

func startDaemon(t *testing.T, ids ...string) *daemon {
	t.Helper()
	d := &daemon{svcs: map[string]*loopback{}, serve: make(chan error, 1)}
	var specs []store.Spec
	for _, id := range ids {
		d.svcs[id] = newLoopback(t)
		specs = append(specs, store.Spec{ID: id, Name: "Service " + id, Group: "Loopback", Kind: "http",
			Target: d.svcs[id].srv.URL, Interval: time.Second, Timeout: time.Second, FailThreshold: 1})
	}
	st, err := store.Open(specs, store.Options{Path: filepath.Join(t.TempDir(), "uptop.db"), Node: "test", PublishEvery: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	d.st = st
	t.Cleanup(func() { st.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d.url = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	d.stop = cancel
	t.Cleanup(cancel)
	h := NewHandler(storeSource{st}, Options{Title: "Loopback status", Heartbeat: 200 * time.Millisecond})
	go func() { d.serve <- Serve(ctx, ln, h) }()
	for _, id := range ids {
		d.probe(t, id)
	}
	return d
}

// probe checks one service and waits until the snapshot has the result.
func (d *daemon) probe(t *testing.T, id string) {
	t.Helper()
	r := d.svcs[id].check(id)
	d.st.Ingest(r)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if st, ok := d.st.Snapshot().Service(id); ok && st.LastCheck.Equal(r.Start) {
			return
		}
		ch, cancel := d.st.Subscribe()
		select {
		case <-ch:
		case <-time.After(50 * time.Millisecond):
		}
		cancel()
	}
	t.Fatalf("result for %s never reached the snapshot", id)
}
