package config

import (
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/uptop-dev/uptop/probe"
)

// kind is one check kind. Kind detection lives only here: a service's kind
// is the one whose address key is set. Adding a kind (ping, dns, tls, push,
// command…) is a field on Service plus one row in kinds.
type kind struct {
	name string                 // probe.Target.Kind
	key  string                 // the TOML key that holds the address
	addr func(*Service) *string // that key's field
	// only lists keys that make sense for this kind alone: setting them on
	// a service of another kind is an error.
	only   []string
	check  func(c *checker, path string, s *Service)
	target func(s *Service, t *probe.Target)
}

// kinds is immutable: a table, not state.
var kinds = [...]kind{
	{
		name:   "http",
		key:    "url",
		addr:   func(s *Service) *string { return &s.URL },
		only:   []string{"expect_status", "body_contains"},
		check:  checkHTTP,
		target: targetHTTP,
	},
	{
		name:  "tcp",
		key:   "tcp",
		addr:  func(s *Service) *string { return &s.TCP },
		check: checkTCP,
	},
}

// kindKeys lists the address keys, for messages: "url, tcp".
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
		if *kinds[i].addr(s) != "" {
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
}

func targetHTTP(s *Service, t *probe.Target) {
	t.HTTP = probe.HTTPOptions{
		ExpectStatus: append([]int(nil), s.ExpectStatus...),
		BodyContains: s.BodyContains,
	}
}

func checkTCP(c *checker, path string, s *Service) {
	if !validHostPort(s.TCP, false) {
		c.errorf(join(path, "tcp"), `tcp must be host:port with a numeric port: write e.g. "db.internal:5432"`)
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
