package probe

import (
	"context"
	"time"
)

// Phases breaks a check's duration down. A phase the check did not go
// through (no DNS for an IP literal, no TLS for plain HTTP) is zero.
type Phases struct {
	DNS       time.Duration `json:"dns_ns,omitempty"`
	Connect   time.Duration `json:"connect_ns,omitempty"`
	TLS       time.Duration `json:"tls_ns,omitempty"`
	FirstByte time.Duration `json:"first_byte_ns,omitempty"` // request written → first response byte
	Transfer  time.Duration `json:"transfer_ns,omitempty"`   // first byte → body read (up to the cap)
}

// Result is one check of one service. Checkers fill Start, Duration, Phases,
// OK, Code, Err and CertExpiry; the Scheduler fills ServiceID, Node and
// Scheduled.
type Result struct {
	ServiceID string
	Node      string
	// Scheduled is the ideal grid time the check was due; zero for a check
	// run on demand. Start minus Scheduled is the schedule lag.
	Scheduled time.Time
	Start     time.Time
	// Duration is measured on the monotonic clock around the operation itself.
	Duration time.Duration
	Phases   Phases
	OK       bool
	// Code is the HTTP status code (or, later, the DNS rcode); 0 when none.
	Code int
	// Err says what went wrong in words a user can act on; empty when OK.
	Err string
	// CertExpiry is the leaf certificate's NotAfter for TLS checks.
	CertExpiry time.Time
}

// Checker runs one check of the target it was built for. It must honour
// ctx's deadline (return by then, whatever the target does), never panic,
// and report every failure in Result.Err rather than as a Go error.
type Checker interface {
	Check(ctx context.Context) Result
}

// Target is what a Checker is built from: the check kind and its settings.
// Address may hold credentials; show it only through Redact.
type Target struct {
	ID       string
	Kind     string // "http" or "tcp" (more kinds register themselves)
	Address  string // the URL for http, host:port for tcp
	Interval time.Duration
	Timeout  time.Duration

	HTTP HTTPOptions
}

// HTTPOptions are the http kind's settings.
type HTTPOptions struct {
	// ExpectStatus lists acceptable status codes; empty means any 2xx or 3xx.
	ExpectStatus []int
	// BodyContains, when set, must occur in the first MaxBody bytes.
	BodyContains string
}
