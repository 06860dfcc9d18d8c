package probe

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// resolvConf is where the system's resolver is read from when a dns check
// names none.
const resolvConf = "/etc/resolv.conf"

var dnsTypes = map[string]uint16{
	"A": dns.TypeA, "AAAA": dns.TypeAAAA, "CNAME": dns.TypeCNAME,
	"MX": dns.TypeMX, "TXT": dns.TypeTXT, "NS": dns.TypeNS,
}

// dnsChecker asks one resolver for one record over UDP, and again over TCP
// when the answer comes back truncated. Safe for concurrent use (each check
// builds its own message).
type dnsChecker struct {
	name     string // fully qualified
	record   string
	qtype    uint16
	resolver string // host:port
	expect   []string
	timeout  time.Duration
}

var _ Checker = (*dnsChecker)(nil)

// NewDNSChecker is the "dns" Factory: Address is the name to query.
func NewDNSChecker(t Target) (Checker, error) {
	name := strings.TrimSpace(t.Address)
	if _, ok := dns.IsDomainName(name); !ok || name == "" {
		return nil, fmt.Errorf("dns name %q is not a domain name; write it like example.com", t.Address)
	}
	record := strings.ToUpper(t.DNS.Record)
	if record == "" {
		record = "A"
	}
	qtype, ok := dnsTypes[record]
	if !ok {
		return nil, fmt.Errorf("record %q is not supported; use A, AAAA, CNAME, MX, TXT or NS", t.DNS.Record)
	}
	if t.Timeout < 0 {
		return nil, fmt.Errorf("timeout %s is negative; use a positive duration such as 5s", t.Timeout)
	}
	resolver, err := dnsResolver(t.DNS.Resolver)
	if err != nil {
		return nil, err
	}
	return &dnsChecker{
		name: dns.Fqdn(name), record: record, qtype: qtype, resolver: resolver,
		expect: append([]string(nil), t.DNS.Expect...), timeout: t.Timeout,
	}, nil
}

// dnsResolver is the configured resolver with port 53 added when missing,
// or the system's first nameserver.
func dnsResolver(configured string) (string, error) {
	if configured == "" {
		conf, err := dns.ClientConfigFromFile(resolvConf)
		if err != nil || len(conf.Servers) == 0 {
			return "", fmt.Errorf("no resolver in %s; set resolver = \"1.1.1.1:53\" on the dns check", resolvConf)
		}
		return net.JoinHostPort(conf.Servers[0], conf.Port), nil
	}
	if _, _, err := net.SplitHostPort(configured); err != nil {
		configured = net.JoinHostPort(strings.Trim(configured, "[]"), "53")
	}
	host, port, err := net.SplitHostPort(configured)
	if n, perr := strconv.ParseUint(port, 10, 16); err != nil || host == "" || perr != nil || n == 0 {
		return "", fmt.Errorf("resolver %q is not host:port; write it like 1.1.1.1:53", configured)
	}
	return configured, nil
}

// Check sends the query and judges the answer.
func (c *dnsChecker) Check(ctx context.Context) Result {
	start := time.Now()
	ctx, cancel := bound(ctx, c.timeout)
	defer cancel()
	res := Result{Start: start}
	m := new(dns.Msg)
	m.SetQuestion(c.name, c.qtype)
	m.RecursionDesired = true
	r, err := c.exchange(ctx, m)
	res.Duration = time.Since(start)
	res.Phases.DNS = res.Duration
	if err != nil {
		res.Err = "dns query to " + c.resolver + " failed: " + describe(err, ctx.Err(), stageReply, allowed(ctx, start, c.timeout))
		return res
	}
	res.Code = r.Rcode
	res.Err = c.judge(r)
	res.OK = res.Err == ""
	return res
}

// exchange asks over UDP and, if the answer is truncated, over TCP.
func (c *dnsChecker) exchange(ctx context.Context, m *dns.Msg) (*dns.Msg, error) {
	udp := &dns.Client{Net: "udp", Timeout: c.timeout}
	r, _, err := udp.ExchangeContext(ctx, m, c.resolver)
	if err != nil || !r.Truncated {
		return r, err
	}
	tcp := &dns.Client{Net: "tcp", Timeout: c.timeout}
	r, _, err = tcp.ExchangeContext(ctx, m, c.resolver)
	return r, err
}

// judge returns why the answer fails, or "".
func (c *dnsChecker) judge(r *dns.Msg) string {
	if r.Rcode != dns.RcodeSuccess {
		return fmt.Sprintf("resolver answered %s for %s %s", dns.RcodeToString[r.Rcode], c.record, strings.TrimSuffix(c.name, "."))
	}
	var got []string
	for _, rr := range r.Answer {
		if rr.Header().Rrtype == c.qtype {
			got = append(got, rrValue(rr))
		}
	}
	if len(got) == 0 {
		return fmt.Sprintf("no %s records for %s", c.record, strings.TrimSuffix(c.name, "."))
	}
	for _, want := range c.expect {
		if !c.found(want, got) {
			return fmt.Sprintf("%s records of %s are %s, expected %q among them", c.record,
				strings.TrimSuffix(c.name, "."), clip(strings.Join(got, ", "), 80), want)
		}
	}
	return ""
}

// found matches names and addresses exactly (case and a final dot aside),
// and TXT and MX values by substring, as those carry free text.
func (c *dnsChecker) found(want string, got []string) bool {
	w := strings.ToLower(strings.TrimSuffix(want, "."))
	for _, g := range got {
		g = strings.ToLower(strings.TrimSuffix(g, "."))
		if g == w || (c.qtype == dns.TypeTXT || c.qtype == dns.TypeMX) && strings.Contains(g, w) {
			return true
		}
	}
	return false
}

// rrValue is a record's data as people write it.
func rrValue(rr dns.RR) string {
	switch v := rr.(type) {
	case *dns.A:
		return v.A.String()
	case *dns.AAAA:
		return v.AAAA.String()
	case *dns.CNAME:
		return v.Target
	case *dns.MX:
		return strconv.Itoa(int(v.Preference)) + " " + v.Mx
	case *dns.TXT:
		return strings.Join(v.Txt, "")
	case *dns.NS:
		return v.Ns
	}
	return strings.TrimPrefix(rr.String(), rr.Header().String())
}
