package statusd

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/uptop-dev/uptop/statusd/wire"
	"github.com/uptop-dev/uptop/store"
)

// view is everything rendered for one (snapshot version, history
// generation): built once, then every request for it is a memory copy.
type view struct {
	snap    *store.Snapshot
	hist    *historyData
	overall wire.Overall
	svcs    []wire.Service // aligned with snap.Services; no samples
	etag    string

	// The bodies are built on first request, not with the view: SSE
	// streams need a view per snapshot version but never these.
	statusOnce sync.Once
	status     *cachedBody
	pageOnce   sync.Once
	page       *cachedBody
	pageErr    error
}

// viewCache holds the current view; building one is serialised so a burst
// of requests after a change renders it once.
type viewCache struct {
	s   *server
	mu  sync.Mutex
	cur atomic.Pointer[view]
}

func newViewCache(s *server) *viewCache { return &viewCache{s: s} }

func (c *viewCache) fresh(v *view, snap *store.Snapshot) bool {
	return v != nil && v.snap.Version == snap.Version &&
		c.s.opt.Clock.Since(v.hist.at) < historyTTL
}

// get returns the view of the current snapshot.
func (c *viewCache) get(ctx context.Context) *view {
	snap := c.s.src.Snapshot()
	if v := c.cur.Load(); c.fresh(v, snap) {
		return v
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v := c.cur.Load(); c.fresh(v, snap) {
		return v
	}
	v := c.s.build(ctx, snap)
	c.cur.Store(v)
	return v
}

func (s *server) build(ctx context.Context, snap *store.Snapshot) *view {
	h := s.hist.get(ctx, snap)
	v := &view{snap: snap, hist: h, overall: wire.OverallOf(snap.Counts)}
	v.etag = `"v` + strconv.FormatUint(snap.Version, 10) + "-" + strconv.FormatUint(h.gen, 10) + `"`
	v.svcs = make([]wire.Service, len(snap.Services))
	for i, st := range snap.Services {
		v.svcs[i] = s.service(st, h, 0)
	}
	return v
}

// statusBody is GET /api/v1/status, built once per view.
func (v *view) statusBody(s *server) *cachedBody {
	v.statusOnce.Do(func() {
		body := wire.Status{
			Version: v.snap.Version, At: v.snap.At.UTC(), Title: s.opt.Title, Description: s.opt.Description,
			Overall: v.overall, Counts: wire.FromCounts(v.snap.Counts), Services: v.svcs,
		}
		b, _ := json.Marshal(body) // plain structs: cannot fail
		v.status = newCachedBody(hdrJSON, v.etag, append(b, '\n'))
	})
	return v.status
}

// service is one service's wire form with the history-backed figures.
func (s *server) service(st *store.ServiceState, h *historyData, samples int) wire.Service {
	w := wire.FromState(st, s.opt.ShowTargets, samples)
	if sh := h.svc[st.ID]; sh != nil {
		w.Uptime.D7, w.Uptime.D30, w.Uptime.D90 = wire.Ratio(sh.up7), wire.Ratio(sh.up30), wire.Ratio(sh.up90)
		if n := len(sh.bars); n > 0 {
			b := sh.bars[n-1]
			w.Today = &wire.Bar{Class: b.Class, Title: b.Title()}
		}
	}
	return w
}

// pageBody renders the page once per view.
func (v *view) pageBody(s *server) (*cachedBody, error) {
	v.pageOnce.Do(func() {
		var buf bytes.Buffer
		buf.Grow(64 << 10)
		v.pageErr = s.renderPage(&buf, v)
		v.page = newCachedBody(hdrHTML, v.etag, buf.Bytes())
	})
	return v.page, v.pageErr
}
