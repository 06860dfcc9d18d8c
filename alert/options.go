package alert

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// NotifierConfig is one [[alert]] entry.
type NotifierConfig struct {
	Name string // unique; services refer to it
	Type string // webhook | slack | discord | teams | telegram | ntfy
	URL  string // may hold secrets: never shown unredacted
	On   []Kind // default: down and up
	// Repeat sends a reminder every Repeat while a service stays down; 0 = never.
	Repeat time.Duration
	// Message overrides the text with a text/template over Message's fields.
	Message string

	Secret   string            // webhook: Standard Webhooks secret ("whsec_…" or raw)
	Headers  map[string]string // webhook: extra request headers
	ChatID   string            // telegram
	Token    string            // telegram bot token; ntfy access token
	Priority int               // ntfy priority for down events (1–5), default 4

	Timeout     time.Duration // per attempt, default 10s
	GiveUpAfter time.Duration // default 24h
}

// Default delivery settings.
const (
	DefaultTimeout     = 10 * time.Second
	DefaultGiveUpAfter = 24 * time.Hour
)

func (c *NotifierConfig) setDefaults() {
	if len(c.On) == 0 {
		c.On = []Kind{KindDown, KindUp}
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.GiveUpAfter <= 0 {
		c.GiveUpAfter = DefaultGiveUpAfter
	}
}

// Validate checks one notifier's settings and fills its defaults.
func (c *NotifierConfig) Validate() error {
	c.setDefaults()
	if c.Name == "" {
		return errors.New("alert has no name: set name = \"…\"")
	}
	if _, ok := registry[c.Type]; !ok {
		return fmt.Errorf("alert %q: unknown type %q: use one of %v", c.Name, c.Type, Types())
	}
	if c.URL == "" && c.Type != "telegram" {
		return fmt.Errorf("alert %q: url is required for type %s", c.Name, c.Type)
	}
	for _, k := range c.On {
		if !slices.Contains(Kinds, k) {
			return fmt.Errorf("alert %q: unknown event %q in on: use some of %v", c.Name, k, Kinds)
		}
	}
	if c.Repeat < 0 {
		return fmt.Errorf("alert %q: repeat must be positive", c.Name)
	}
	if c.Message != "" {
		if _, err := parseTemplate(c.Message); err != nil {
			return fmt.Errorf("alert %q: message template: %w", c.Name, err)
		}
	}
	return nil
}

func (c *NotifierConfig) wants(k Kind) bool {
	switch k {
	case KindReminder:
		return c.Repeat > 0 || slices.Contains(c.On, k)
	case KindFlapping: // it replaces down alerts: whoever wants those hears of it
		return slices.Contains(c.On, k) || slices.Contains(c.On, KindDown)
	}
	return slices.Contains(c.On, k)
}

// ServiceRule is what the rules know about one service.
type ServiceRule struct {
	ID   string
	Name string
	// Alerts names the notifiers for this service; nil = every notifier.
	Alerts []string
	// DependsOn lists service ids; while one is down, this service's own
	// alerts are suppressed and it is named in that service's alert.
	DependsOn []string
	// DegradedThreshold: slow checks in a row before a degraded alert; default 3.
	DegradedThreshold int
}

// RuleOptions tune flapping and grouping for all services.
type RuleOptions struct {
	// FlapChanges state changes within FlapWindow mark a service as
	// flapping (default 5 in 30m); it is quiet until it has not changed for
	// StableAfter (default 10m).
	FlapChanges int
	FlapWindow  time.Duration
	StableAfter time.Duration
	// GroupWindow: after a down (or up) alert goes out, further ones to the
	// same notifier within this window are held and sent as one message
	// (default 30s; negative disables grouping).
	GroupWindow time.Duration
	// CertWarn: a certificate expiring within this is alerted once (default 14 days).
	CertWarn time.Duration
}

func (o RuleOptions) withDefaults() RuleOptions {
	if o.FlapChanges <= 0 {
		o.FlapChanges = 5
	}
	if o.FlapWindow <= 0 {
		o.FlapWindow = 30 * time.Minute
	}
	if o.StableAfter <= 0 {
		o.StableAfter = 10 * time.Minute
	}
	if o.GroupWindow == 0 {
		o.GroupWindow = 30 * time.Second
	}
	if o.CertWarn <= 0 {
		o.CertWarn = 14 * 24 * time.Hour
	}
	return o
}
