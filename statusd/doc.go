// Package statusd is the daemon's HTTP side: the live status page, the JSON
// API with its SSE stream, Statuspage-compatible JSON, SVG badges, /metrics
// and /healthz. It only reads snapshots and history through Source; it never
// computes a service's state.
//
// It must not import probe's scheduler, tui, alert or config, nor the
// database: everything comes through the Source the caller passes in.
//
// Concurrency: the Handler is safe for concurrent use. A view (the wire
// form of one snapshot version) is built once behind a mutex; the page and
// the status JSON are rendered and gzipped from it lazily, at most once a
// second (bodyMaxAge), and a request never queues behind a rebuild when an
// older body exists. Each SSE client has its own goroutine that pulls
// snapshots on the 1-slot Subscribe signal, so a slow client is dropped
// (write deadline), never waited on by the store.
package statusd
