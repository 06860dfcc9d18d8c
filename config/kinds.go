package config

import (
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/uptop-dev/uptop/probe"
)

// kind is one check kind. Kind detection lives only here: a service's kind
// is the one whose address key is set. Adding a kind is a field on Service
// plus one row in kinds.
type kind struct {
	name string                // probe.Target.Kind
	key  string                // the TOML key that holds the address
	addr func(*Service) string // that key's value as an address ("" = unset)
	// only lists keys that make sense for this kind (and maybe others that
	// list them too): setting one on a service of a kind that does not list
	// it is an error.
	only   []string
	check  func(c *checker, path string, s *Service)
	target func(s *Service, t *probe.Target)
}

// kinds is immutable: a table, not state.
var kinds = [...]kind{
	{
		name: "http",
		key:  "url",
		addr: func(s *Service) string { return s.URL },
		only: []string{"expect_status", "body_contains", "method", "headers", "body", "basic_auth", "follow_redirects",
			"insecure_skip_verify", "body_regex", "json", "expect_header", "ip", "tls_cert", "tls_key", "cert_expiry_warn"},
		check:  checkHTTP,
		target: targetHTTP,
	},
	{
		name:  "tcp",
		key:   "tcp",
		addr:  func(s *Service) string { return s.TCP },
		only:  []string{"send", "expect"},
		check: checkTCP,
		target: func(s *Service, t *probe.Target) {
			t.TCP = probe.TCPOptions{Send: s.Send, Expect: strings.Join(s.Expect, "")}
		},
	},
	{
		name:   "icmp",
		key:    "ping",
		addr:   func(s *Service) string { return s.Ping },
		only:   []string{"count", "max_loss"},
		check:  checkPing,
		target: func(s *Service, t *probe.Target) { t.Ping = probe.PingOptions{Count: s.Count, MaxLoss: s.MaxLoss} },
	},
	{
		name:  "dns",
		key:   "dns",
		addr:  func(s *Service) string { return s.DNS },
		only:  []string{"record", "resolver", "expect"},
		check: checkDNS,
		target: func(s *Service, t *probe.Target) {
			t.DNS = probe.DNSOptions{Record: s.Record, Resolver: s.Resolver, Expect: append([]string(nil), s.Expect...)}
		},
	},
	{
		name:   "tls",
		key:    "tls",
		addr:   func(s *Service) string { return s.TLS },
		only:   []string{"cert_expiry_warn"},
		check:  checkTLS,
		target: func(s *Service, t *probe.Target) { t.TLS.ExpiryWarn = s.CertExpiryWarn.Duration },
	},
	{
		name:   "push",
		key:    "push",
		addr:   func(s *Service) string { return map[bool]string{true: "push"}[s.Push] },
		only:   []string{"push_token", "grace"},
		check:  checkPush,
		target: targetPush,
	},
	{
		name:   "command",
		key:    "command",
		addr:   func(s *Service) string { return strings.Join(s.Command, " ") },
		check:  checkCommand,
		target: func(s *Service, t *probe.Target) { t.Command.Argv = append([]string(nil), s.Command...) },
	},
}

// kindKeys lists the address keys, for messages: "url, tcp, …".
func kindKeys() string {
	keys := make([]string, len(kinds))
	for i := range kinds {
		keys[i] = kinds[i].key
	}
	return strings.Join(keys, ", ")
}

// kind is the first kind whose address is set, or nil.
func (s *Service) kind() *kind {
	for i := range kinds {
		if kinds[i].addr(s) != "" {
			return &kinds[i]
		}
	}
	return nil
}

func checkHTTP(c *checker, path string, s *Service) {
	p := join(path, "url")
	u, err := url.Parse(s.URL)
	switch {
	case err != nil:
		// url.Parse's error quotes the URL, which may hold credentials.
		c.errorf(p, `url is not a valid URL: write e.g. "https://example.com/health"`)
	case u.Scheme != "http" && u.Scheme != "https":
		c.errorf(p, `url must start with http:// or https://: write e.g. "https://example.com/health"`)
	case u.Hostname() == "":
		c.errorf(p, `url has no host: write e.g. "https://example.com/health"`)
	case u.Port() != "" && !validHostPort(u.Host, false):
		c.errorf(p, `url has a port outside 1–65535: write e.g. "https://example.com:8443/health"`)
	}
	for i, code := range s.ExpectStatus {
		p := join(join(path, "expect_status"), strconv.Itoa(i))
		if !c.bad[p] && (code < 100 || code > 599) {
			c.errorf(p, "expect_status %d is not an HTTP status: use codes from 100 to 599", code)
		}
	}
	checkHTTPOptions(c, path, s, err == nil && u.Scheme == "https")
}

func checkTCP(c *checker, path string, s *Service) {
	if !validHostPort(s.TCP, false) {
		c.errorf(join(path, "tcp"), `tcp must be host:port with a numeric port: write e.g. "db.internal:5432"`)
	}
	if p := join(path, "expect"); c.set(p) && len(s.Expect) != 1 {
		c.errorf(p, `expect on a tcp check is one string the server sends: write e.g. expect = "SSH-2.0"`)
	}
}

// validHostPort accepts "host:port" with a port in 1–65535. A listen
// address may also leave the host empty (":8080", all interfaces) and use
// port 0 (any free port, for tests).
func validHostPort(s string, listen bool) bool {
	host, port, err := net.SplitHostPort(s)
	if err != nil || (host == "" && !listen) {
		return false
	}
	n, err := strconv.Atoi(port)
	low := 1
	if listen {
		low = 0
	}
	return err == nil && n >= low && n <= 65535
}
