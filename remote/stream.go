package remote

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/uptop-dev/uptop/statusd/wire"
	"github.com/uptop-dev/uptop/store"
)

// follow keeps an SSE connection open, reconnecting with doubling backoff
// (reset after a connection that delivered events). The last snapshot
// stays in place while it is down.
func (c *Client) follow(ctx context.Context) {
	defer close(c.done)
	delay := c.opt.MinBackoff
	for {
		got, err := c.streamOnce(ctx)
		c.live.Store(false)
		if ctx.Err() != nil {
			return
		}
		if got {
			delay = c.opt.MinBackoff
		}
		c.opt.Logger.Warn("event stream dropped; keeping the last snapshot", "err", err, "retry_in", delay)
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		delay = min(delay*2, c.opt.MaxBackoff)
	}
}

// streamOnce reads one connection's events; got says whether any arrived.
func (c *Client) streamOnce(ctx context.Context) (got bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base.String()+"/api/v1/events", nil)
	if err != nil {
		return false, err
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Last-Event-ID", strconv.FormatUint(c.Snapshot().Version, 10))
	resp, err := c.stream.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false, fmt.Errorf("GET /api/v1/events: %s", resp.Status)
	}
	c.live.Store(true)
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
	var data strings.Builder
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "data:"):
			data.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
		case line == "" && data.Len() > 0:
			var ev wire.Event
			if err := json.Unmarshal([]byte(data.String()), &ev); err != nil {
				return got, fmt.Errorf("bad event from %s: %w", c.base, err)
			}
			data.Reset()
			c.apply(ctx, ev)
			got = true
		}
	}
	if err := sc.Err(); err != nil {
		return got, err
	}
	return got, fmt.Errorf("stream closed by %s", c.base)
}

// apply folds an event into a new snapshot: changed services replace
// their old state and their new samples extend the old ring.
func (c *Client) apply(ctx context.Context, ev wire.Event) {
	old := c.Snapshot()
	svcs := make([]*store.ServiceState, len(old.Services))
	copy(svcs, old.Services)
	for _, s := range ev.Services {
		st := wire.ToState(s)
		prev, ok := old.Service(s.ID)
		if !ok || ev.Version < old.Version {
			// A service we do not know, or a restarted daemon: refetch all.
			if err := c.refresh(ctx); err != nil {
				c.opt.Logger.Warn("refresh after a new service", "err", err)
			}
			return
		}
		st.Samples = mergeSamples(prev.Samples, st.Samples)
		for i := range svcs {
			if svcs[i].ID == s.ID {
				svcs[i] = st
			}
		}
	}
	c.publish(store.NewSnapshot(ev.Version, ev.At, svcs))
}

// mergeSamples appends the samples newer than old's last, keeping at most
// store.RecentSamples.
func mergeSamples(old, add []store.Sample) []store.Sample {
	var last int64
	if n := len(old); n > 0 {
		last = old[n-1].AtMilli
	}
	out := make([]store.Sample, 0, min(len(old)+len(add), store.RecentSamples))
	out = append(out, old...)
	for _, s := range add {
		if s.AtMilli > last {
			out = append(out, s)
		}
	}
	if len(out) > store.RecentSamples {
		out = out[len(out)-store.RecentSamples:]
	}
	return out
}
