package probe

import (
	"context"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// dnsPeer is a DNS server on loopback answering over UDP and TCP on one
// port; tcpQueries counts the TCP fallbacks.
type dnsPeer struct {
	addr       string
	tcpQueries atomic.Int64
}

func startDNS(t testing.TB) *dnsPeer {
	t.Helper()
	p := &dnsPeer{}
	var pc net.PacketConn
	var ln net.Listener
	for range 20 { // the UDP port may be taken for TCP: try another
		var err error
		if pc, err = net.ListenPacket("udp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		if ln, err = net.Listen("tcp", pc.LocalAddr().String()); err == nil {
			break
		}
		pc.Close()
		pc = nil
	}
	if pc == nil {
		t.Fatal("no port free for both UDP and TCP")
	}
	p.addr = pc.LocalAddr().String()
	h := dns.HandlerFunc(p.serve)
	udp := &dns.Server{PacketConn: pc, Handler: h}
	tcp := &dns.Server{Listener: ln, Handler: h}
	for _, s := range []*dns.Server{udp, tcp} {
		started := make(chan struct{})
		s.NotifyStartedFunc = func() { close(started) }
		go s.ActivateAndServe()
		<-started
		t.Cleanup(func() { s.Shutdown() })
	}
	return p
}

func (p *dnsPeer) serve(w dns.ResponseWriter, req *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(req)
	q := req.Question[0]
	overTCP := w.RemoteAddr().Network() == "tcp"
	if overTCP {
		p.tcpQueries.Add(1)
	}
	rr := func(s string) {
		r, err := dns.NewRR(s)
		if err != nil {
			panic(err)
		}
		m.Answer = append(m.Answer, r)
	}
	switch {
	case q.Name == "example.test." && q.Qtype == dns.TypeA:
		rr("example.test. 60 IN A 192.0.2.1")
		rr("example.test. 60 IN A 192.0.2.2")
	case q.Name == "big.test." && q.Qtype == dns.TypeTXT && !overTCP:
		m.Truncated = true // too big for UDP: ask again over TCP
	case q.Name == "big.test." && q.Qtype == dns.TypeTXT:
		rr(`big.test. 60 IN TXT "v=spf1 include:_spf.example.test ~all"`)
	case q.Name == "example.test." && q.Qtype == dns.TypeMX:
		rr("example.test. 60 IN MX 10 mail.example.test.")
	case q.Name == "www.example.test." && q.Qtype == dns.TypeCNAME:
		rr("www.example.test. 60 IN CNAME example.test.")
	case q.Name == "example.test.":
	default:
		m.Rcode = dns.RcodeNameError
	}
	w.WriteMsg(m)
}

func TestDNSCheck(t *testing.T) {
	t.Parallel()
	peer := startDNS(t)
	cases := map[string]struct {
		name string
		opt  DNSOptions
		code int
		err  string
	}{
		"A":           {name: "example.test", opt: DNSOptions{}},
		"A expected":  {name: "example.test", opt: DNSOptions{Record: "a", Expect: []string{"192.0.2.2"}}},
		"A not among": {name: "example.test", opt: DNSOptions{Expect: []string{"192.0.2.9"}}, err: `A records of example.test are 192.0.2.1, 192.0.2.2, expected "192.0.2.9" among them`},
		"A is exact":  {name: "example.test", opt: DNSOptions{Expect: []string{"192.0.2."}}, err: "expected"},
		"TXT via TCP": {name: "big.test", opt: DNSOptions{Record: "TXT", Expect: []string{"include:_spf.example.test"}}},
		"MX":          {name: "example.test.", opt: DNSOptions{Record: "MX", Expect: []string{"mail.example.test"}}},
		"CNAME":       {name: "www.example.test", opt: DNSOptions{Record: "CNAME", Expect: []string{"EXAMPLE.test."}}},
		"no AAAA":     {name: "example.test", opt: DNSOptions{Record: "AAAA"}, err: "no AAAA records for example.test"},
		"NXDOMAIN":    {name: "nope.test", code: dns.RcodeNameError, err: "resolver answered NXDOMAIN for A nope.test"},
	}
	t.Run("cases", func(t *testing.T) {
		for name, tc := range cases {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				tc.opt.Resolver = peer.addr
				c, err := NewDNSChecker(Target{Kind: "dns", Address: tc.name, Timeout: 2 * time.Second, DNS: tc.opt})
				if err != nil {
					t.Fatal(err)
				}
				r := c.Check(context.Background())
				if r.OK != (tc.err == "") || !strings.Contains(r.Err, tc.err) || r.Code != tc.code {
					t.Fatalf("OK=%v Code=%d Err=%q, want code %d, error %q", r.OK, r.Code, r.Err, tc.code, tc.err)
				}
				if r.Duration <= 0 || r.Phases.DNS != r.Duration {
					t.Errorf("Duration %s, DNS phase %s: want the query timed", r.Duration, r.Phases.DNS)
				}
			})
		}
	})
	if peer.tcpQueries.Load() == 0 {
		t.Error("the truncated answer was not asked again over TCP")
	}
}

func TestDNSTimeout(t *testing.T) {
	t.Parallel()
	silent, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { silent.Close() })
	c, err := NewDNSChecker(Target{Kind: "dns", Address: "example.test", Timeout: 200 * time.Millisecond, DNS: DNSOptions{Resolver: silent.LocalAddr().String()}})
	if err != nil {
		t.Fatal(err)
	}
	r := checkBounded(t, c)
	if r.OK || !strings.Contains(r.Err, "timeout after 200ms while waiting for a reply") {
		t.Fatalf("Err=%q, want a timeout", r.Err)
	}
}

func TestDNSFactoryValidates(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]Target{
		"record":   {Address: "example.com", DNS: DNSOptions{Record: "SRV", Resolver: "1.1.1.1"}},
		"resolver": {Address: "example.com", DNS: DNSOptions{Resolver: "1.1.1.1:x"}},
		"name":     {Address: "", DNS: DNSOptions{Resolver: "1.1.1.1"}},
	} {
		if _, err := NewDNSChecker(tc); err == nil {
			t.Errorf("%s: accepted %+v", name, tc)
		}
	}
	if got, err := dnsResolver("1.1.1.1"); err != nil || got != "1.1.1.1:53" {
		t.Errorf("dnsResolver(1.1.1.1) = %q, %v; want port 53 added", got, err)
	}
	if got, err := dnsResolver("[2606:4700::1111]"); err != nil || got != "[2606:4700::1111]:53" {
		t.Errorf("dnsResolver(v6) = %q, %v", got, err)
	}
}

func TestDNSSystemResolver(t *testing.T) {
	t.Parallel()
	got, err := dnsResolver("")
	if _, statErr := os.Stat(resolvConf); statErr != nil {
		if err == nil {
			t.Fatalf("no %s, yet resolver %q", resolvConf, got)
		}
		t.Skipf("no %s here", resolvConf)
	}
	if err != nil {
		t.Skipf("%s lists no nameserver: %v", resolvConf, err)
	}
	if _, _, err := net.SplitHostPort(got); err != nil {
		t.Fatalf("system resolver %q is not host:port", got)
	}
}
