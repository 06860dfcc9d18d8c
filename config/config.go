package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

// The schema. The `toml` tags are the single source of the known keys: the
// decoder reports any other key as unknown (with a "did you mean"), so a new
// key or section is one tagged field plus its validation.

// File is a whole, valid services.toml with every default applied.
type File struct {
	Path        string   `toml:"-"`
	Defaults    Defaults `toml:"defaults"`
	Concurrency int      `toml:"concurrency"` // 0 = scheduler default
	// AllowCommands lets command checks run programs; off by default, as a
	// config file that can run programs is a bigger thing to trust.
	AllowCommands bool `toml:"allow_commands"`
	// Services are in file order, with defaults applied.
	Services  []Service `toml:"service"`
	HTTP      *HTTP     `toml:"http"` // nil when [http] is absent
	SSH       *SSH      `toml:"ssh"`  // nil when [ssh] is absent
	Retention Retention `toml:"retention"`

	Alerts      []Alert       `toml:"alert"`       // [[alert]], see alert.go
	Maintenance []Maintenance `toml:"maintenance"` // [[maintenance]]
	Alerting    Alerting      `toml:"alerting"`    // [alerting]
}

// Defaults are [defaults]: what a service gets for a key it does not set.
// After Load they hold the effective values (built-in defaults filled in).
type Defaults struct {
	Interval      Duration `toml:"interval"`
	Timeout       Duration `toml:"timeout"`
	DegradedAfter Duration `toml:"degraded_after"`
	FailThreshold int      `toml:"fail_threshold"`
}

// Built-in defaults, used when neither the service nor [defaults] sets a key.
const (
	DefaultInterval      = 30 * time.Second
	DefaultTimeout       = 5 * time.Second
	DefaultDegradedAfter = time.Second
	DefaultFailThreshold = 2
)

// Service is one [[service]].
type Service struct {
	// ID is the slug of Name ("Public API" → "public-api"), unique in the file.
	ID   string `toml:"-"`
	Name string `toml:"name"`

	// The check kind: exactly one of these is set (see kinds.go).
	URL     string   `toml:"url"`
	TCP     string   `toml:"tcp"`
	Ping    string   `toml:"ping"`
	DNS     string   `toml:"dns"`
	TLS     string   `toml:"tls"`
	Push    bool     `toml:"push"`
	Command []string `toml:"command"`

	Interval      Duration `toml:"interval"`
	Timeout       Duration `toml:"timeout"`
	DegradedAfter Duration `toml:"degraded_after"` // 0 = never degraded
	FailThreshold int      `toml:"fail_threshold"`

	ExpectStatus []int  `toml:"expect_status"` // http only; empty = any 2xx/3xx
	BodyContains string `toml:"body_contains"` // http only

	// http only (see kinds_http.go). Header values and the basic_auth
	// password are secrets: never shown.
	Method             string            `toml:"method"`
	Headers            map[string]string `toml:"headers"`
	Body               string            `toml:"body"`
	BasicAuth          *BasicAuth        `toml:"basic_auth"`
	FollowRedirects    bool              `toml:"follow_redirects"` // default true
	InsecureSkipVerify bool              `toml:"insecure_skip_verify"`
	BodyRegex          string            `toml:"body_regex"`
	JSON               []JSONCheck       `toml:"json"`
	ExpectHeader       map[string]string `toml:"expect_header"`
	IP                 string            `toml:"ip"` // "4", "6" or "" (either)
	// TLSCert and TLSKey are a client certificate's PEM files; after Load
	// they are absolute (relative paths from the config file's directory).
	TLSCert string `toml:"tls_cert"`
	TLSKey  string `toml:"tls_key"`

	// https urls and tls checks: degraded this long before the certificate
	// expires; 0 = never. Accepts days: "21d".
	CertExpiryWarn Duration `toml:"cert_expiry_warn"`

	Send   string  `toml:"send"`   // tcp only
	Expect Strings `toml:"expect"` // tcp: one string in the banner; dns: values among the answers

	Count   int     `toml:"count"`    // ping only; default 3
	MaxLoss float64 `toml:"max_loss"` // ping only; fraction, default 0.5

	Record   string `toml:"record"`   // dns only; default "A"
	Resolver string `toml:"resolver"` // dns only; default the system's

	// push only. PushToken is a secret; "" = generated and kept in the store.
	PushToken string   `toml:"push_token"`
	Grace     Duration `toml:"grace"` // default 1m

	display string // the command as written (${VAR}s unexpanded), for Spec.Target

	Tags        []string `toml:"tags"`
	Group       string   `toml:"group"`
	Description string   `toml:"description"`

	// Alerting (see alert.go): the [[alert]] names to notify (empty = all),
	// the services whose outage explains this one's, and how many slow
	// checks in a row send a degraded alert.
	Alerts            []string `toml:"alerts"`
	DependsOn         []string `toml:"depends_on"`
	DegradedThreshold int      `toml:"degraded_threshold"`
}

// BasicAuth is an http check's basic_auth = {user, password}.
type BasicAuth struct {
	User     string `toml:"user"`
	Password string `toml:"password"`
}

// JSONCheck is one json = [{path = "…", <op> = …}] assertion: exactly one
// of equals, contains, lt, gt, exists.
type JSONCheck struct {
	Path     string  `toml:"path"`
	Equals   any     `toml:"equals"` // a string, number or boolean
	Contains string  `toml:"contains"`
	LT       float64 `toml:"lt"`
	GT       float64 `toml:"gt"`
	Exists   bool    `toml:"exists"`

	op string // which one, set by validation
}

// Strings is a list of strings that may also be written as one string.
type Strings []string

// Duration is a time.Duration written in TOML as a Go duration string
// ("30s"); cert_expiry_warn also takes whole days ("21d").
type Duration struct{ time.Duration }

// D is a shorthand for building a Duration in code and tests.
func D(d time.Duration) Duration { return Duration{d} }

// durationError keeps the offending text separate so the decoder can swap
// it for the unexpanded ${VAR} form: an expanded value may be a secret.
type durationError struct{ text string }

func (e *durationError) Error() string {
	return fmt.Sprintf(`invalid duration %q: write e.g. "30s", "1m30s"`, e.text)
}

// UnmarshalText parses a Go duration string, or whole days ("21d"). Days
// are accepted on every duration key but documented for cert_expiry_warn,
// where people think in days.
func (d *Duration) UnmarshalText(b []byte) error {
	s := string(b)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 100*365 {
			return &durationError{text: s}
		}
		d.Duration = time.Duration(n) * 24 * time.Hour
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return &durationError{text: s}
	}
	d.Duration = v
	return nil
}

// MarshalText writes the duration back as a Go duration string.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Kind is the service's check kind: "http" or "tcp" (more as kinds are added).
func (s Service) Kind() string {
	if k := s.kind(); k != nil {
		return k.name
	}
	return ""
}

// Address is the service's target as written (URL, host:port, …). It may
// hold credentials: show it only through probe.Redact.
func (s Service) Address() string {
	if k := s.kind(); k != nil {
		return k.addr(&s)
	}
	return ""
}

// Targets are what the probe scheduler runs, one per service, in file order.
func (f *File) Targets() []probe.Target {
	out := make([]probe.Target, 0, len(f.Services))
	for i := range f.Services {
		s := &f.Services[i]
		t := probe.Target{
			ID:       s.ID,
			Kind:     s.Kind(),
			Address:  s.Address(),
			Interval: s.Interval.Duration,
			Timeout:  s.Timeout.Duration,
		}
		if k := s.kind(); k != nil && k.target != nil {
			k.target(s, &t)
		}
		out = append(out, t)
	}
	return out
}

// Specs are what the store needs, one per service, in file order. Target is
// redacted: it is safe to show anywhere.
func (f *File) Specs() []store.Spec {
	out := make([]store.Spec, 0, len(f.Services))
	for i := range f.Services {
		s := &f.Services[i]
		out = append(out, store.Spec{
			ID:            s.ID,
			Name:          s.Name,
			Kind:          s.Kind(),
			Target:        s.shownTarget(),
			Tags:          append([]string(nil), s.Tags...),
			Group:         s.Group,
			Description:   s.Description,
			Interval:      s.Interval.Duration,
			Timeout:       s.Timeout.Duration,
			DegradedAfter: s.DegradedAfter.Duration,
			FailThreshold: s.FailThreshold,
		})
	}
	return out
}

// shownTarget is the target as it may be shown anywhere: redacted, the
// command as written (with its ${VAR}s), never a push token.
func (s *Service) shownTarget() string {
	switch {
	case s.Push:
		return "push"
	case len(s.Command) > 0 && s.display != "":
		return s.display
	}
	return probe.Redact(s.Address())
}
