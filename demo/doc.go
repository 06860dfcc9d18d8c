// Package demo runs the simulated services behind `uptop demo` on loopback —
// healthy, slow, flaky, spiky, refusing and failing ones — and writes the
// services.toml that watches them, so the first run works offline.
//
// It must not import tui, statusd or alert: it only serves and describes.
//
// Concurrency: a Fleet's servers run on their own goroutines until Close;
// its behaviour draws from a per-fleet random source guarded by a mutex.
package demo
