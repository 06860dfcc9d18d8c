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

	// CertIssuer is the leaf certificate's issuer (its common name, else
	// the full name) for TLS and HTTPS checks; empty when none was seen.
	CertIssuer string
	// ChainValid reports that the certificate chain verified against the
	// trusted roots for the host; meaningful only when CertExpiry is set.
	ChainValid bool
	// Loss is the fraction (0–1) of ping packets that got no reply.
	Loss float64
	// Warning, when set on an OK result, makes the service degraded with
	// this cause ("certificate expires in 9 days", "lost 1 of 3 packets").
	Warning string
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
	ID   string
	Kind string // "http", "tcp", "icmp", "dns", "tls", "push", "command"
	// Address is the URL for http, host:port for tcp and tls, the host for
	// icmp, the name for dns, the command line for command.
	Address  string
	Interval time.Duration
	Timeout  time.Duration

	HTTP    HTTPOptions
	TCP     TCPOptions
	Ping    PingOptions
	DNS     DNSOptions
	TLS     TLSOptions // for tls checks and https urls
	Command CommandOptions
	Push    PushOptions
}

// HTTPOptions are the http kind's settings.
type HTTPOptions struct {
	// ExpectStatus lists acceptable status codes; empty means any 2xx or 3xx.
	ExpectStatus []int
	// BodyContains, when set, must occur in the first MaxBody bytes.
	BodyContains string

	Method string // default GET
	// Headers are sent with the request. Their values are secrets: they
	// never appear in errors or anything shown.
	Headers   map[string]string
	Body      string // request body
	BasicAuth *BasicAuth
	// NoRedirects reports 3xx answers as they are instead of following them.
	NoRedirects        bool
	InsecureSkipVerify bool
	// BodyRegex must match the first MaxBody bytes (RE2 syntax).
	BodyRegex string
	JSON      []JSONCheck
	// ExpectHeader: each response header (name case-insensitive) must
	// contain the value.
	ExpectHeader map[string]string
	IP           string // "4" or "6" to dial only that family; "" either
	// ClientCert and ClientKey are PEM files for mutual TLS.
	ClientCert, ClientKey string
}

// BasicAuth is an HTTP check's credentials; the password is a secret.
type BasicAuth struct{ User, Password string }

// JSONCheck is one assertion on a JSON response: the value at Path (gjson
// syntax, "db.latency_ms", "items.#") compared with Op.
type JSONCheck struct {
	Path string
	// Op is "equals" (Value, text or number), "contains" (Value in the
	// text), "lt" / "gt" (Number), or "exists".
	Op     string
	Value  string
	Number float64
}

// TCPOptions are the tcp kind's banner check: Send is written after
// connecting, then Expect must occur in what the server sends back.
type TCPOptions struct{ Send, Expect string }

// PingOptions are the icmp kind's settings.
type PingOptions struct {
	Count   int     // echo requests per check; 0 means 3
	MaxLoss float64 // fraction 0–1 of lost packets still up (degraded)
}

// DNSOptions are the dns kind's settings; Address is the name to query.
type DNSOptions struct {
	Record   string   // A, AAAA, CNAME, MX, TXT or NS; "" means A
	Resolver string   // host:port; "" means the first nameserver of /etc/resolv.conf
	Expect   []string // each must be among the answers
}

// TLSOptions apply to tls checks and to https urls.
type TLSOptions struct {
	// ExpiryWarn makes a check whose leaf certificate expires within this
	// long degraded (Result.Warning); 0 never warns.
	ExpiryWarn time.Duration
}

// CommandOptions are the command kind's argv, run without a shell.
type CommandOptions struct{ Argv []string }

// PushOptions are the push kind's settings. The scheduler runs a push
// check often (its Interval); Every is how often the job itself pushes.
type PushOptions struct {
	Every time.Duration // expected time between pushes
	Grace time.Duration // extra time allowed before the service is down; 0 means DefaultPushGrace
}
