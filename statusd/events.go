package statusd

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/uptop-dev/uptop/statusd/wire"
)

// writeTimeout bounds each SSE write: a client that cannot take an event
// in this long is dropped (it reconnects and catches up by Last-Event-ID).
const writeTimeout = 5 * time.Second

// events is GET /api/v1/events: Server-Sent Events of snapshot changes.
// Each event carries only the services whose Version is newer than the
// client's last seen version (Last-Event-ID, else ?since=; neither means
// "from now on"). The store's signal is a 1-slot channel, so this
// goroutine pulls at its own pace and the store never waits on it.
func (s *server) events(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	changed, cancel := s.src.Subscribe()
	defer cancel()
	seen, fresh := sinceVersion(r)
	if fresh {
		// No version: the client fetched /api/v1/status (or wants only
		// news). Its first event says where the stream starts, with no
		// services, so 1,000 new clients do not each get the whole world.
		seen = s.src.Snapshot().Version
	}
	var buf bytes.Buffer
	buf.WriteString("retry: 3000\n\n")
	hb := s.opt.Clock.NewTicker(s.opt.Heartbeat)
	defer hb.Stop()
	for {
		snap := s.src.Snapshot()
		if fresh || snap.Version != seen {
			// A version below seen means the daemon restarted: resend all.
			v := s.views.get(r.Context())
			s.appendEvent(&buf, v, seen, snap.Version < seen)
			seen, fresh = v.snap.Version, false
		}
		if buf.Len() > 0 {
			_ = rc.SetWriteDeadline(time.Now().Add(writeTimeout))
			if _, err := w.Write(buf.Bytes()); err != nil {
				return
			}
			if err := rc.Flush(); err != nil {
				return
			}
			buf.Reset()
		}
		select {
		case <-r.Context().Done():
			return
		case <-s.quit:
			return
		case <-changed:
		case <-hb.Chan():
			buf.WriteString(": ping\n\n")
		}
	}
}

// sinceVersion is the last version the client saw, and whether it has none.
func sinceVersion(r *http.Request) (uint64, bool) {
	for _, v := range []string{r.Header.Get("Last-Event-ID"), r.URL.Query().Get("since")} {
		if n, err := strconv.ParseUint(v, 10, 64); err == nil && n > 0 {
			return n, false
		}
	}
	return 0, true
}

// appendEvent writes one "snapshot" event with the services changed after
// seen (all of them when all is set).
func (s *server) appendEvent(buf *bytes.Buffer, v *view, seen uint64, all bool) {
	ev := wire.Event{Version: v.snap.Version, At: v.snap.At.UTC(), Overall: v.overall, Counts: wire.FromCounts(v.snap.Counts)}
	ev.Services = make([]wire.Service, 0, 8)
	for i, st := range v.snap.Services {
		if !all && st.Version <= seen {
			continue
		}
		sv := v.svcs[i]
		if n := len(st.Samples); n > 0 {
			// The newest samples since seen let a remote client extend its
			// sparkline ring without refetching; one is enough per change
			// at the store's publish rate, a few cover coalesced bursts.
			sv.Samples = wire.FromState(st, false, min(n, 5)).Samples
		}
		ev.Services = append(ev.Services, sv)
	}
	b, err := json.Marshal(ev)
	if err != nil {
		s.opt.Logger.Error("encode sse event", "err", err)
		return
	}
	buf.WriteString("id: ")
	buf.WriteString(strconv.FormatUint(v.snap.Version, 10))
	buf.WriteString("\nevent: snapshot\ndata: ")
	buf.Write(b)
	buf.WriteString("\n\n")
}
