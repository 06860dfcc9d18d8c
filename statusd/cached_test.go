package statusd

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/uptop-dev/uptop/store"
)

// TestBodiesLagAtMostBodyMaxAge: after a snapshot change the page and the
// status JSON may be served from the previous build for under bodyMaxAge,
// and show the change once that has passed.
func TestBodiesLagAtMostBodyMaxAge(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, path, after string }{
		{"page", "/", `class="svc st-down" id="svc-web"`},
		{"status", "/api/v1/status", `"version":10,`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clock := clockwork.NewFakeClockAt(t0)
			f := world()
			srv := serve(t, f, Options{Clock: clock})
			resp, first := get(t, srv.URL+tc.path)
			etag := resp.Header.Get("ETag")
			if resp.StatusCode != http.StatusOK || etag == "" {
				t.Fatalf("GET %s = %d, ETag %q", tc.path, resp.StatusCode, etag)
			}
			f.set(flipped(f.Snapshot(), "web", store.Down))
			clock.Advance(bodyMaxAge / 2)
			resp, body := get(t, srv.URL+tc.path)
			if string(body) != string(first) || resp.Header.Get("ETag") != etag {
				t.Errorf("within %s of the last build: body or ETag changed, want the cached build", bodyMaxAge)
			}
			clock.Advance(bodyMaxAge / 2)
			resp, body = get(t, srv.URL+tc.path)
			if resp.Header.Get("ETag") == etag || !strings.Contains(string(body), tc.after) {
				t.Errorf("after %s: ETag %q (was %q), body lacks %q", bodyMaxAge, resp.Header.Get("ETag"), etag, tc.after)
			}
		})
	}
}

// flipped is snap with one service's status changed, as the store would
// publish it: a new version, the service's own version bumped.
func flipped(snap *store.Snapshot, id string, to store.Status) *store.Snapshot {
	svcs := make([]*store.ServiceState, len(snap.Services))
	for i, st := range snap.Services {
		svcs[i] = st
		if st.ID == id {
			c := *st
			c.Status, c.Version = to, snap.Version+1
			svcs[i] = &c
		}
	}
	return store.NewSnapshot(snap.Version+1, snap.At.Add(time.Second), svcs)
}

// TestRecentBodyServesStaleWhileRebuilding: once the body is older than
// bodyMaxAge, one caller rebuilds and the others get the previous body at
// once instead of waiting for the rebuild.
func TestRecentBodyServesStaleWhileRebuilding(t *testing.T) {
	t.Parallel()
	clock := clockwork.NewFakeClockAt(t0)
	c := &recentBody{clock: clock}
	old, fresh := &cachedBody{}, &cachedBody{}
	if got, _ := c.get(func() (*cachedBody, error) { return old, nil }); got != old {
		t.Fatal("first get did not return the built body")
	}
	clock.Advance(bodyMaxAge)
	entered, release := make(chan struct{}), make(chan struct{})
	done := make(chan *cachedBody)
	go func() {
		b, _ := c.get(func() (*cachedBody, error) { close(entered); <-release; return fresh, nil })
		done <- b
	}()
	<-entered
	got, _ := c.get(func() (*cachedBody, error) { t.Error("a second rebuild started"); return fresh, nil })
	if got != old {
		t.Errorf("during the rebuild: got a different body, want the previous one")
	}
	close(release)
	if b := <-done; b != fresh {
		t.Errorf("the rebuilding caller got the old body")
	}
	if got, _ := c.get(func() (*cachedBody, error) { t.Error("rebuilt again within bodyMaxAge"); return nil, nil }); got != fresh {
		t.Errorf("after the rebuild: want the new body")
	}
}
