package config

import (
	"fmt"
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
	// Services are in file order, with defaults applied.
	Services  []Service `toml:"service"`
	HTTP      *HTTP     `toml:"http"` // nil when [http] is absent
	SSH       *SSH      `toml:"ssh"`  // nil when [ssh] is absent
	Retention Retention `toml:"retention"`
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
	URL string `toml:"url"`
	TCP string `toml:"tcp"`

	Interval      Duration `toml:"interval"`
	Timeout       Duration `toml:"timeout"`
	DegradedAfter Duration `toml:"degraded_after"` // 0 = never degraded
	FailThreshold int      `toml:"fail_threshold"`

	ExpectStatus []int  `toml:"expect_status"` // http only; empty = any 2xx/3xx
	BodyContains string `toml:"body_contains"` // http only

	Tags        []string `toml:"tags"`
	Group       string   `toml:"group"`
	Description string   `toml:"description"`
}

// Duration is a time.Duration written in TOML as a Go duration string ("30s").
type Duration struct{ time.Duration }

// D is a shorthand for building a Duration in code and tests.
func D(d time.Duration) Duration { return Duration{d} }

// durationError keeps the offending text separate so the decoder can swap
// it for the unexpanded ${VAR} form: an expanded value may be a secret.
type durationError struct{ text string }

func (e *durationError) Error() string {
	return fmt.Sprintf(`invalid duration %q: write e.g. "30s", "1m30s"`, e.text)
}

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return &durationError{text: string(b)}
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
		return *k.addr(&s)
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
			Target:        probe.Redact(s.Address()),
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
