package statusd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/jonboulle/clockwork"
)

// Options configure the handler.
type Options struct {
	Title, Description string
	// ShowTargets puts each service's (redacted) URL or host:port in the page
	// and the JSON. Off by default: internal addresses stay private.
	ShowTargets bool
	Clock       clockwork.Clock // nil = real clock
	Logger      *slog.Logger    // nil = discard
	Version     string
	// Heartbeat is the SSE keep-alive comment interval; 0 = 15s.
	Heartbeat time.Duration
	// Alerts lists recent alert deliveries at /api/v1/alerts; nil = 404.
	Alerts Alerts
	// Push receives heartbeats at /api/v1/push/{token} (see PushHandler);
	// nil = the route is not served. It is the one route that is not
	// read-only: it records a job's heartbeat, nothing else.
	Push http.Handler
}

func (o Options) withDefaults() Options {
	if o.Clock == nil {
		o.Clock = clockwork.NewRealClock()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Title == "" {
		o.Title = "Status"
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = 15 * time.Second
	}
	return o
}

// server holds the handler's dependencies and caches.
type server struct {
	src   Source
	opt   Options
	views *viewCache
	// pages and statuses rate-limit rebuilding the cached bodies.
	pages, statuses recentBody
	hist            *historyCache
	met             *metrics
	quit            chan struct{} // closed by Serve's shutdown: SSE streams end
}

// NewHandler serves every read-only route of the status daemon.
func NewHandler(src Source, opt Options) http.Handler {
	opt = opt.withDefaults()
	s := &server{src: src, opt: opt, quit: make(chan struct{})}
	s.hist = newHistoryCache(src, opt.Clock)
	s.views = newViewCache(s)
	s.pages.clock, s.statuses.clock = opt.Clock, opt.Clock
	s.met = newMetrics(s)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.page)
	mux.Handle("GET /static/", staticHandler())
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /api/v1/status", s.apiStatus)
	mux.HandleFunc("GET /api/v1/events", s.events)
	mux.HandleFunc("GET /api/v1/services/{id}", s.apiService)
	mux.HandleFunc("GET /api/v1/services/{id}/history", s.apiHistory)
	mux.HandleFunc("GET /api/v1/services/{id}/checks", s.apiChecks)
	mux.HandleFunc("GET /api/v1/services/{id}/incidents", s.apiIncidents)
	mux.HandleFunc("GET /api/v1/services/{id}/uptime", s.apiUptime)
	mux.HandleFunc("GET /api/v1/alerts", s.apiAlerts)
	mux.HandleFunc("GET /api/v2/summary.json", s.spSummary)
	mux.HandleFunc("GET /api/v2/status.json", s.spStatus)
	mux.HandleFunc("GET /api/v2/components.json", s.spComponents)
	mux.HandleFunc("GET /badge/{id}/{kind}", s.badge)
	mux.Handle("GET /metrics", s.met.handler())
	if opt.Push != nil {
		// Both methods: a GET gets the handler's 405 rather than the API 404.
		mux.Handle("POST /api/v1/push/{token}", opt.Push)
		mux.Handle("GET /api/v1/push/{token}", opt.Push)
	}
	mux.HandleFunc("GET /api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "", fmt.Sprintf("no API route %s: see /api/v1/status", r.URL.Path))
	})
	return &shutdownHandler{s: s, next: secure(mux)}
}

// shutdownHandler lets Serve reach the server's quit channel.
type shutdownHandler struct {
	s    *server
	next http.Handler
}

func (h *shutdownHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.next.ServeHTTP(w, r) }

const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// secure adds the headers every response carries and turns the mux's
// plain-text 405 into one that says which methods are allowed.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Security-Policy"] = hdrCSP
		h["X-Content-Type-Options"] = hdrNoSniff
		h["Referrer-Policy"] = hdrNoRef
		h["X-Frame-Options"] = hdrDeny
		next.ServeHTTP(w, r)
	})
}

// Serve serves h on ln until ctx is done, then shuts down gracefully: SSE
// streams are told to end, in-flight requests get 5 s to finish.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve http on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	if sh, ok := h.(*shutdownHandler); ok {
		close(sh.s.quit)
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	if e := <-errc; e != nil && !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	if err != nil {
		return fmt.Errorf("shut down http server: %w", err)
	}
	return nil
}

func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	snap := s.src.Snapshot()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"status": "ok", "version": s.opt.Version, "snapshot_version": snap.Version,
		"services": len(snap.Services), "snapshot_at": jsonTime(snap.At),
	})
}

// apiError is the body of every JSON error.
type apiError struct {
	Error string `json:"error"`
	Param string `json:"param,omitempty"`
}

func writeError(w http.ResponseWriter, code int, param, msg string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, code, apiError{Error: msg, Param: param})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encode json: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write(append(b, '\n'))
}

// jsonTime is nil for the zero time, so JSON says null rather than year 1.
func jsonTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
