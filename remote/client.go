package remote

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uptop-dev/uptop/statusd/wire"
	"github.com/uptop-dev/uptop/store"
)

// ErrRecheck is what Recheck returns: the daemon's API is read-only.
var ErrRecheck = errors.New("re-checks are not possible over --remote: the daemon checks on its own schedule (run uptop on its host to re-check now)")

// Options configure a Client.
type Options struct {
	HTTPClient *http.Client  // nil = a client with sane timeouts for the JSON calls
	Logger     *slog.Logger  // nil = discard
	MinBackoff time.Duration // first reconnect delay; 0 = 500ms
	MaxBackoff time.Duration // cap on the doubling delay; 0 = 30s
}

// Client is a live view of a remote daemon.
type Client struct {
	base   *url.URL
	opt    Options
	hc     *http.Client // JSON calls (with a timeout)
	stream *http.Client // the SSE stream (no overall timeout)
	snap   atomic.Pointer[store.Snapshot]
	live   atomic.Bool

	mu   sync.Mutex
	subs map[chan struct{}]struct{}

	cancel context.CancelFunc
	done   chan struct{}
}

// Dial fetches the daemon's status and starts following its events.
func Dial(ctx context.Context, baseURL string, opt Options) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--remote %q: want the daemon's base URL, like http://host:8080", baseURL)
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.MinBackoff <= 0 {
		opt.MinBackoff = 500 * time.Millisecond
	}
	if opt.MaxBackoff <= 0 {
		opt.MaxBackoff = 30 * time.Second
	}
	c := &Client{base: u, opt: opt, subs: map[chan struct{}]struct{}{}, done: make(chan struct{})}
	c.hc = opt.HTTPClient
	if c.hc == nil {
		c.hc = &http.Client{Timeout: 15 * time.Second}
	}
	c.stream = &http.Client{Transport: c.hc.Transport}
	if err := c.refresh(ctx); err != nil {
		return nil, err
	}
	fctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	go c.follow(fctx)
	return c, nil
}

// Close stops following the stream.
func (c *Client) Close() error {
	c.cancel()
	<-c.done
	return nil
}

// Snapshot is the last known state; never nil.
func (c *Client) Snapshot() *store.Snapshot { return c.snap.Load() }

// Live reports whether the event stream is connected right now.
func (c *Client) Live() bool { return c.live.Load() }

// Subscribe returns a 1-slot "changed" channel and its cancel.
func (c *Client) Subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	c.mu.Lock()
	c.subs[ch] = struct{}{}
	c.mu.Unlock()
	return ch, func() {
		c.mu.Lock()
		delete(c.subs, ch)
		c.mu.Unlock()
	}
}

// Recheck always fails: see ErrRecheck.
func (c *Client) Recheck(id string) error { return ErrRecheck }

func (c *Client) publish(s *store.Snapshot) {
	c.snap.Store(s)
	c.mu.Lock()
	defer c.mu.Unlock()
	for ch := range c.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// refresh replaces the snapshot with a full /api/v1/status.
func (c *Client) refresh(ctx context.Context) error {
	var st wire.Status
	if err := c.getJSON(ctx, "/api/v1/status?samples="+fmt.Sprint(store.RecentSamples), &st); err != nil {
		return err
	}
	svcs := make([]*store.ServiceState, len(st.Services))
	for i, s := range st.Services {
		svcs[i] = wire.ToState(s)
	}
	c.publish(store.NewSnapshot(st.Version, st.At, svcs))
	return nil
}

// getJSON GETs path and decodes it, with errors that say what to check.
func (c *Client) getJSON(ctx context.Context, path string, v any) error {
	u := c.base.String() + path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("build request for %s: %w", u, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach uptop serve at %s (is it running, with an [http] listen address?): %w", c.base, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("read %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		if json.Unmarshal(body, &e) == nil && e.Error != "" {
			return fmt.Errorf("GET %s: %s: %s", u, resp.Status, e.Error)
		}
		return fmt.Errorf("GET %s: %s: is %s an uptop serve address?", u, resp.Status, c.base)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("GET %s: not uptop's JSON (is %s an uptop serve address?): %w", u, c.base, err)
	}
	return nil
}
