package remote

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/statusd"
	"github.com/uptop-dev/uptop/store"
)

// daemonSource is a real store with empty rollups (not under test here).
type daemonSource struct{ *store.Store }

func (daemonSource) History(context.Context, string, time.Time, time.Time, time.Duration) ([]store.Bucket, error) {
	return nil, nil
}
func (daemonSource) Daily(context.Context, string, int) ([]store.Day, error) { return nil, nil }

func startDaemon(t *testing.T) (*store.Store, *httptest.Server) {
	t.Helper()
	specs := []store.Spec{
		{ID: "api", Name: "API", Group: "Public", Kind: "http", Target: "https://api.internal", Interval: time.Second, Timeout: time.Second, FailThreshold: 1},
		{ID: "db", Name: "DB", Kind: "tcp", Target: "db.internal:5432", Interval: time.Second, Timeout: time.Second, FailThreshold: 1},
	}
	st, err := store.Open(specs, store.Options{Path: filepath.Join(t.TempDir(), "u.db"), Node: "n1", PublishEvery: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(statusd.NewHandler(daemonSource{st}, statusd.Options{Title: "t", Heartbeat: 100 * time.Millisecond}))
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	return st, srv
}

func result(id string, ok bool, at time.Time) probe.Result {
	r := probe.Result{ServiceID: id, Node: "n1", Start: at, Duration: 12 * time.Millisecond, OK: ok, Code: 200}
	if !ok {
		r.Code, r.Err = 500, "HTTP 500"
	}
	return r
}

// waitFor waits on the client's signal until cond holds.
func waitFor(t *testing.T, c *Client, what string, cond func(*store.Snapshot) bool) {
	t.Helper()
	ch, cancel := c.Subscribe()
	defer cancel()
	deadline := time.After(5 * time.Second)
	for !cond(c.Snapshot()) {
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// waitStore waits until the store has published a result for id at at.
func waitStore(t *testing.T, st *store.Store, id string, at time.Time) {
	t.Helper()
	ch, cancel := st.Subscribe()
	defer cancel()
	deadline := time.After(5 * time.Second)
	for {
		if s, ok := st.Snapshot().Service(id); ok && s.LastCheck.Equal(at) {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("store never published %s", id)
		}
	}
}

func TestClientFollowsTheDaemon(t *testing.T) {
	t.Parallel()
	st, srv := startDaemon(t)
	now := time.Now().Add(-5 * time.Second).Truncate(time.Millisecond)
	st.Ingest(result("api", true, now.Add(-2*time.Second)))
	st.Ingest(result("db", true, now.Add(-2*time.Second)))
	waitStore(t, st, "db", now.Add(-2*time.Second))
	waitStore(t, st, "api", now.Add(-2*time.Second))

	c, err := Dial(context.Background(), srv.URL+"/", Options{MinBackoff: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	snap := c.Snapshot()
	api, ok := snap.Service("api")
	if !ok || api.Status != store.Up || api.Name != "API" || api.Group != "Public" || len(api.Samples) != 1 || api.LastLatency != 12*time.Millisecond {
		t.Fatalf("api = %+v", api)
	}
	if api.Target != "" {
		t.Errorf("target leaked though show_targets is off: %q", api.Target)
	}

	// A flip arrives over SSE, extending the sample ring.
	st.Ingest(result("db", false, now))
	waitFor(t, c, "db down", func(s *store.Snapshot) bool { d, _ := s.Service("db"); return d.Status == store.Down })
	db, _ := c.Snapshot().Service("db")
	if len(db.Samples) != 2 || db.LastError != "HTTP 500" || db.OpenIncident == nil || c.Snapshot().Counts.Down != 1 {
		t.Errorf("db after flip = %+v", db)
	}

	// The stream drops: the snapshot stays; the client reconnects and
	// catches up on what changed meanwhile.
	srv.CloseClientConnections()
	if d, _ := c.Snapshot().Service("db"); d.Status != store.Down {
		t.Errorf("snapshot lost after the stream dropped")
	}
	st.Ingest(result("db", true, now.Add(time.Second)))
	waitFor(t, c, "db up after reconnect", func(s *store.Snapshot) bool { d, _ := s.Service("db"); return d.Status == store.Up })

	if err := c.Recheck("db"); !errors.Is(err, ErrRecheck) || !strings.Contains(err.Error(), "--remote") {
		t.Errorf("Recheck = %v", err)
	}
	if err := st.Sync(); err != nil {
		t.Fatal(err)
	}
	res, err := c.Results(context.Background(), "db", time.Time{}, time.Time{}, 10)
	if err != nil || len(res) != 3 || res[0].OK != true || res[1].Err != "HTTP 500" {
		t.Errorf("Results = %+v, %v", res, err)
	}
	incs, err := c.Incidents(context.Background(), "db", now.Add(-time.Hour), 10)
	if err != nil || len(incs) != 1 || incs[0].End.IsZero() {
		t.Errorf("Incidents = %+v, %v", incs, err)
	}
	u, err := c.Uptime(context.Background(), "db", 7*24*time.Hour)
	if err != nil || u.Checks != 3 || u.Fails != 1 {
		t.Errorf("Uptime = %+v, %v", u, err)
	}
}

func TestDialErrorsSayWhatToFix(t *testing.T) {
	t.Parallel()
	notUptop := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(notUptop.Close)
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	tests := []struct{ url, want string }{
		{"host:8080", "want the daemon's base URL"},
		{"ftp://host", "want the daemon's base URL"},
		{deadURL, "cannot reach uptop serve"},
		{notUptop.URL, "an uptop serve address"},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, err := Dial(ctx, tc.url, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Dial(%q) = %v, want an error containing %q", tc.url, err, tc.want)
			}
		})
	}
}
