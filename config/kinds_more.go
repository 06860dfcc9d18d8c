package config

import (
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/uptop-dev/uptop/probe"
)

// Defaults of the kinds' own keys.
const (
	DefaultPingCount   = probe.DefaultPingCount
	DefaultMaxLoss     = 0.5
	DefaultPushGrace   = probe.DefaultPushGrace
	minPushTokenLength = 16
	// maxPushPoll is how often, at most, a push service's heartbeats are
	// looked at: a nightly job's missing push shows within this of being due.
	maxPushPoll = 30 * time.Second
)

func checkPing(c *checker, path string, s *Service) {
	p := join(path, "ping")
	if _, _, err := net.SplitHostPort(s.Ping); err == nil || strings.ContainsAny(s.Ping, "/ ") {
		c.errorf(p, `ping takes a bare host or IP, no port or scheme: write e.g. ping = "192.0.2.10"`)
	}
	c.atLeast(join(path, "count"), &s.Count, 1, DefaultPingCount)
	if cp := join(path, "count"); c.set(cp) && s.Count > 100 {
		c.errorf(cp, "count %d is too many pings for one check: use 1 to 100", s.Count)
		s.Count = DefaultPingCount
	}
	mp := join(path, "max_loss")
	switch {
	case !c.set(mp):
		s.MaxLoss = DefaultMaxLoss
	case s.MaxLoss < 0 || s.MaxLoss >= 1:
		c.errorf(mp, "max_loss is the fraction of pings that may be lost, from 0 up to (not including) 1: write e.g. max_loss = 0.5")
		s.MaxLoss = DefaultMaxLoss
	}
}

var dnsRecords = []string{"A", "AAAA", "CNAME", "MX", "TXT", "NS"}

func checkDNS(c *checker, path string, s *Service) {
	if p := join(path, "dns"); strings.ContainsAny(s.DNS, " /:@") || len(s.DNS) > 253 {
		c.errorf(p, `dns is the name to look up: write e.g. dns = "example.com"`)
	}
	rp := join(path, "record")
	switch {
	case !c.set(rp):
		s.Record = "A"
	default:
		s.Record = strings.ToUpper(s.Record)
		ok := false
		for _, r := range dnsRecords {
			ok = ok || r == s.Record
		}
		if !ok {
			c.errorf(rp, "record %s is not supported: use one of %s", c.show(rp, s.Record), strings.Join(dnsRecords, ", "))
		}
	}
	if p := join(path, "resolver"); c.set(p) && !validResolver(s.Resolver) {
		c.errorf(p, `resolver must be an IP with an optional port: write e.g. resolver = "1.1.1.1:53"`)
	}
	for i, e := range s.Expect {
		if p := join(join(path, "expect"), strconv.Itoa(i)); strings.TrimSpace(e) == "" {
			c.errorf(p, "an expected answer must not be empty: remove it")
		}
	}
}

func validResolver(r string) bool {
	if validHostPort(r, false) {
		return true
	}
	return net.ParseIP(strings.Trim(r, "[]")) != nil
}

func checkTLS(c *checker, path string, s *Service) {
	if !validHostPort(s.TLS, false) {
		c.errorf(join(path, "tls"), `tls must be host:port with a numeric port: write e.g. tls = "example.com:443"`)
	}
	checkWarn(c, path, s)
}

func checkPush(c *checker, path string, s *Service) {
	if !s.Push {
		c.errorf(join(path, "push"), "push = false makes no check: write push = true, or remove the key and set another check")
		return
	}
	if p := join(path, "push_token"); c.set(p) && len(s.PushToken) < minPushTokenLength {
		c.errorf(p, "push_token must be at least %d characters (it is the secret in the push URL): generate one with `openssl rand -hex 16`, or remove it to have uptop generate one", minPushTokenLength)
	}
	c.duration(join(path, "grace"), &s.Grace, DefaultPushGrace, false)
}

// targetPush polls the heartbeats often (the check only reads memory) and
// keeps the service's interval as how often the job is expected to push.
func targetPush(s *Service, t *probe.Target) {
	t.Push = probe.PushOptions{Every: s.Interval.Duration, Grace: s.Grace.Duration}
	t.Interval = min(s.Interval.Duration, maxPushPoll)
	t.Timeout = min(s.Timeout.Duration, t.Interval*8/10)
}

func checkCommand(c *checker, path string, s *Service) {
	p := join(path, "command")
	if len(s.Command) == 0 || s.Command[0] == "" {
		c.errorf(p, `command needs a program: write e.g. command = ["pg_isready", "-h", "db"]`)
		return
	}
	if !c.allowCommands {
		c.errorf(p, "command checks run programs and are off: set allow_commands = true at the top of the file to allow them")
	}
	// Spec.Target shows the command as written, so an argument that came
	// from ${VAR} (a password, say) shows as ${VAR}.
	parts := make([]string, len(s.Command))
	for i, a := range s.Command {
		parts[i] = a
		if e, ok := c.expanded[join(p, strconv.Itoa(i))]; ok {
			parts[i] = e.raw
		}
	}
	s.display = strings.Join(parts, " ")
}
