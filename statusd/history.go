package statusd

import (
	"context"
	"hash/fnv"
	"html/template"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/uptop-dev/uptop/store"
)

const (
	barDays      = 90
	incidentDays = 14
	sparkSpan    = 24 * time.Hour
	sparkStep    = 30 * time.Minute
	historyTTL   = time.Minute
)

// svcHistory is the slow-moving part of one service's row: read from the
// rollups at most once a minute (or when its status changes), not per request.
type svcHistory struct {
	status          store.Status // when loaded: a change reloads this service
	days            []store.Day
	bars            []bar
	barsSVG         template.HTML
	spark           []store.Bucket
	sparkSVG        template.HTML
	up7, up30, up90 store.Uptime
}

// historyData is one refresh of every service's history.
type historyData struct {
	gen       uint64
	at        time.Time
	sig       uint64
	svc       map[string]*svcHistory
	incidents []store.Incident // last 14 days, every service, newest first
}

// historyCache refreshes historyData when it is older than historyTTL or
// the set of statuses changed (a flip shows in today's bar at once).
type historyCache struct {
	src   Source
	clock clockwork.Clock
	mu    sync.Mutex
	cur   *historyData
}

func newHistoryCache(src Source, clock clockwork.Clock) *historyCache {
	return &historyCache{src: src, clock: clock}
}

// statusSig hashes every service's id and status.
func statusSig(snap *store.Snapshot) uint64 {
	h := fnv.New64a()
	var b [1]byte
	for _, st := range snap.Services {
		h.Write([]byte(st.ID))
		b[0] = byte(st.Status)
		h.Write(b[:])
	}
	return h.Sum64()
}

// get returns fresh enough history for snap: all of it reloaded when older
// than historyTTL, only the services whose status changed (and the
// incident list) when statuses changed since, else the current one.
func (c *historyCache) get(ctx context.Context, snap *store.Snapshot) *historyData {
	sig := statusSig(snap)
	now := c.clock.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.cur == nil || now.Sub(c.cur.at) >= historyTTL:
		var gen uint64 = 1
		if c.cur != nil {
			gen = c.cur.gen + 1
		}
		c.cur = c.load(ctx, snap, now, sig, gen)
	case c.cur.sig != sig:
		c.cur = c.patch(ctx, c.cur, snap, now, sig)
	}
	return c.cur
}

func (c *historyCache) load(ctx context.Context, snap *store.Snapshot, now time.Time, sig, gen uint64) *historyData {
	d := &historyData{gen: gen, at: now, sig: sig, svc: make(map[string]*svcHistory, len(snap.Services))}
	for _, st := range snap.Services {
		d.svc[st.ID] = c.loadOne(ctx, st, now)
	}
	d.incidents, _ = c.src.Incidents(ctx, "", now.Add(-incidentDays*24*time.Hour), 200)
	return d
}

// patch is old with the services whose status changed reloaded: a flip
// shows in today's bar at once without re-reading 1,000 services' rollups.
// It keeps old's load time, so the full refresh still comes on schedule.
func (c *historyCache) patch(ctx context.Context, old *historyData, snap *store.Snapshot, now time.Time, sig uint64) *historyData {
	d := &historyData{gen: old.gen + 1, at: old.at, sig: sig, svc: make(map[string]*svcHistory, len(snap.Services))}
	for _, st := range snap.Services {
		if h := old.svc[st.ID]; h != nil && h.status == st.Status {
			d.svc[st.ID] = h
			continue
		}
		d.svc[st.ID] = c.loadOne(ctx, st, now)
	}
	d.incidents, _ = c.src.Incidents(ctx, "", now.Add(-incidentDays*24*time.Hour), 200)
	return d
}

// loadOne reads one service's rollups. A failed read leaves the figures
// empty ("—" and grey bars) rather than failing the page: the live part
// still works.
func (c *historyCache) loadOne(ctx context.Context, st *store.ServiceState, now time.Time) *svcHistory {
	h := &svcHistory{status: st.Status}
	h.days, _ = c.src.Daily(ctx, st.ID, barDays)
	h.bars = makeBars(h.days)
	h.barsSVG = barsSVG(h.bars)
	h.up7, h.up30, h.up90 = sumDays(h.days, 7), sumDays(h.days, 30), sumDays(h.days, 90)
	h.spark, _ = c.src.History(ctx, st.ID, now.Add(-sparkSpan).Truncate(sparkStep).Add(sparkStep), now.Truncate(sparkStep).Add(sparkStep), sparkStep)
	h.sparkSVG = sparkSVG(h.spark)
	return h
}

// sumDays is the uptime over the last n days of days (oldest first).
func sumDays(days []store.Day, n int) store.Uptime {
	if len(days) > n {
		days = days[len(days)-n:]
	}
	var u store.Uptime
	for _, d := range days {
		u.Checks += d.Checks
		u.Fails += d.Failures
	}
	if u.Checks > 0 {
		u.Ratio = float64(u.Checks-u.Fails) / float64(u.Checks)
	}
	return u
}
