package config

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// HTTP is [http]: the status page, JSON API and metrics listener.
type HTTP struct {
	Listen      string `toml:"listen"` // host:port; default 127.0.0.1:8080
	Title       string `toml:"title"`  // default "Status"
	Description string `toml:"description"`
	// ShowTargets puts (redacted) targets on the public page; default false.
	ShowTargets bool `toml:"show_targets"`
}

// SSH is [ssh]: the TUI served over SSH, one session per client.
type SSH struct {
	Listen string `toml:"listen"` // host:port; default 127.0.0.1:2222
	// AuthorizedKeys is required; after Load it is absolute, "~" expanded,
	// relative paths taken from the config file's directory, and it exists.
	AuthorizedKeys string `toml:"authorized_keys"`
	// HostKey is the server's private key file; "" = generated and kept in
	// the state directory. Expanded like AuthorizedKeys, need not exist.
	HostKey     string   `toml:"host_key"`
	MaxSessions int      `toml:"max_sessions"` // default 50
	IdleTimeout Duration `toml:"idle_timeout"` // default 30m
}

// Retention is [retention]: how long history is kept.
type Retention struct {
	Raw     Duration `toml:"raw"`     // every result; default 168h (7 days)
	Rollups Duration `toml:"rollups"` // aggregates; default 9600h (400 days)
}

// Section defaults.
const (
	DefaultHTTPListen     = "127.0.0.1:8080"
	DefaultHTTPTitle      = "Status"
	DefaultSSHListen      = "127.0.0.1:2222"
	DefaultSSHMaxSessions = 50
	DefaultSSHIdleTimeout = 30 * time.Minute
	DefaultRetentionRaw   = 7 * 24 * time.Hour
	DefaultRetentionRolls = 400 * 24 * time.Hour
)

func (h *HTTP) validate(c *checker, path string) {
	c.listen(join(path, "listen"), &h.Listen, DefaultHTTPListen)
	if !c.present[join(path, "title")] {
		h.Title = DefaultHTTPTitle
	}
}

func (s *SSH) validate(c *checker, path string) {
	c.listen(join(path, "listen"), &s.Listen, DefaultSSHListen)
	c.atLeast(join(path, "max_sessions"), &s.MaxSessions, 1, DefaultSSHMaxSessions)
	c.duration(join(path, "idle_timeout"), &s.IdleTimeout, DefaultSSHIdleTimeout, false)
	kp := join(path, "authorized_keys")
	switch {
	case c.bad[kp]:
	case !c.present[kp] || s.AuthorizedKeys == "":
		c.errorf(path, `[ssh] needs authorized_keys: write e.g. authorized_keys = "~/.ssh/authorized_keys" (only those keys may connect)`)
	default:
		written := c.show(kp, s.AuthorizedKeys)
		abs, ok := c.filePath(kp, s.AuthorizedKeys)
		if !ok {
			break
		}
		s.AuthorizedKeys = abs
		if st, err := os.Stat(abs); err != nil || st.IsDir() {
			c.errorf(kp, "authorized_keys file %s (%s) does not exist or is not a file: create it or point to your authorized_keys", written, c.showPath(kp, abs))
		}
	}
	if hp := join(path, "host_key"); c.set(hp) && s.HostKey != "" {
		if abs, ok := c.filePath(hp, s.HostKey); ok {
			s.HostKey = abs
		}
	}
}

func (r *Retention) validate(c *checker, path string) {
	c.duration(join(path, "raw"), &r.Raw, DefaultRetentionRaw, false)
	c.duration(join(path, "rollups"), &r.Rollups, DefaultRetentionRolls, false)
	if r.Rollups.Duration < r.Raw.Duration {
		c.errorf(join(path, "rollups"), "rollups (%v) must be kept at least as long as raw results (%v): raise rollups or lower raw", r.Rollups, r.Raw)
	}
}

// listen checks a host:port listen address, defaulting it when unset.
func (c *checker) listen(path string, addr *string, def string) {
	switch {
	case !c.set(path):
		*addr = def
	case !validHostPort(*addr, true):
		c.errorf(path, "%s must be host:port with a numeric port: write e.g. %q", lastKey(path), def)
	}
}

// filePath makes a written file path absolute: "~/" from $HOME, a relative
// path from the config file's directory.
func (c *checker) filePath(path, p string) (string, bool) {
	if p == "~" || strings.HasPrefix(p, "~/") {
		home, ok := c.getenv("HOME")
		if !ok || home == "" {
			c.errorf(path, "%s starts with ~ but HOME is not set: write the full path", lastKey(path))
			return "", false
		}
		p = filepath.Join(home, p[1:])
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(c.file), p)
	}
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return p, true
}

// showPath quotes a resolved path unless it came from an expanded value.
func (c *checker) showPath(path, abs string) string {
	if _, ok := c.expanded[path]; ok {
		return "resolved from the environment"
	}
	return "resolved to " + abs
}
