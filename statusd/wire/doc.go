// Package wire is the JSON shape of statusd's API and SSE stream, and the
// conversions between it and store's snapshot types, shared by the server
// (statusd) and the client (remote) so the two cannot drift apart.
//
// It must not import anything but probe and store (no net/http).
//
// Concurrency: pure functions over values; nothing is shared.
package wire
