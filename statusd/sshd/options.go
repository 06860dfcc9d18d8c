package sshd

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"github.com/jonboulle/clockwork"
)

// Defaults for the zero values of Options.
const (
	DefaultMaxSessions      = 50
	DefaultIdleTimeout      = 30 * time.Minute
	DefaultHandshakeTimeout = 10 * time.Second
	DefaultRatePerIP        = 1.0 // new connections per second per IP, sustained
	DefaultBurst            = 10
	DefaultWriteTimeout     = 30 * time.Second
	DefaultShutdownGrace    = 5 * time.Second
	DefaultRefreshEvery     = time.Second
)

// Options configure a Server. Listen is informational (Serve takes the
// listener); AuthorizedKeys and HostKeyPath are required.
type Options struct {
	Listen         string
	AuthorizedKeys string // OpenSSH authorized_keys; re-read when its mtime or size changes
	HostKeyPath    string // the ed25519 host key, created once with mode 0600

	MaxSessions      int           // concurrent sessions; 0 = DefaultMaxSessions
	IdleTimeout      time.Duration // no key pressed this long ends a TUI session; 0 = default, <0 = never
	HandshakeTimeout time.Duration // 0 = DefaultHandshakeTimeout
	RatePerIP        float64       // new connections per second per remote IP; 0 = default, <0 = unlimited
	Burst            int           // 0 = DefaultBurst
	// WriteTimeout bounds one write to a client: a client that stops
	// reading for this long has its connection closed. 0 = default.
	WriteTimeout time.Duration
	// ShutdownGrace is how long Serve waits, once its context is done, for
	// sessions to say goodbye before it closes every connection. 0 = default.
	ShutdownGrace time.Duration
	// RefreshEvery is the most often a session is told the state changed;
	// it bounds what idle sessions cost the machine. 0 = default.
	RefreshEvery time.Duration

	Title  string
	Clock  clockwork.Clock // nil = real clock
	Logger *slog.Logger    // nil = discard

	// Model builds the TUI of one PTY session. nil = the uptop tui over the
	// Source, read-only. Tests and embedders may swap it.
	Model func(sess ssh.Session) tea.Model
}

func (o Options) withDefaults() (Options, error) {
	if o.AuthorizedKeys == "" {
		return o, errors.New("ssh: authorized_keys is required: set [ssh] authorized_keys to a file of allowed public keys")
	}
	if o.HostKeyPath == "" {
		return o, errors.New("ssh: host key path is required: set [ssh] host_key or a state directory")
	}
	if o.MaxSessions < 0 {
		return o, fmt.Errorf("ssh: max_sessions is %d: use a positive number", o.MaxSessions)
	}
	if o.MaxSessions == 0 {
		o.MaxSessions = DefaultMaxSessions
	}
	if o.IdleTimeout == 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.HandshakeTimeout <= 0 {
		o.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if o.RatePerIP == 0 {
		o.RatePerIP = DefaultRatePerIP
	}
	if o.Burst <= 0 {
		o.Burst = DefaultBurst
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = DefaultWriteTimeout
	}
	if o.ShutdownGrace <= 0 {
		o.ShutdownGrace = DefaultShutdownGrace
	}
	if o.RefreshEvery <= 0 {
		o.RefreshEvery = DefaultRefreshEvery
	}
	if o.Title == "" {
		o.Title = "uptop"
	}
	if o.Clock == nil {
		o.Clock = clockwork.NewRealClock()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o, nil
}
