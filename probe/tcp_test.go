package probe

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

func mustTCP(t testing.TB, target Target) *tcpChecker {
	t.Helper()
	target.Kind = "tcp"
	c, err := NewTCPChecker(target)
	if err != nil {
		t.Fatalf("NewTCPChecker: %v", err)
	}
	return c.(*tcpChecker)
}

func TestTCPCheck(t *testing.T) {
	t.Parallel()
	open := startRaw(t, func(net.Conn, <-chan struct{}) {})
	silent := startRaw(t, hang)
	_, port, _ := net.SplitHostPort(open.addr())
	dead := deadPort(t)

	cases := map[string]struct {
		addr string
		ok   bool
		err  string
		dns  bool
	}{
		"ok":                        {addr: open.addr(), ok: true},
		"ok by name":                {addr: "localhost:" + port, ok: true, dns: true},
		"accept and never answer":   {addr: silent.addr(), ok: true},
		"refused":                   {addr: dead, err: "connection refused"},
		"ipv4-mapped literal works": {addr: "[::ffff:127.0.0.1]:" + port, ok: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := mustTCP(t, Target{Address: tc.addr, Timeout: 5 * time.Second}).Check(context.Background())
			if r.OK != tc.ok || r.Err != tc.err {
				t.Fatalf("got ok=%v err=%q, want ok=%v err=%q", r.OK, r.Err, tc.ok, tc.err)
			}
			if (r.Phases.DNS > 0) != tc.dns {
				t.Errorf("DNS = %s, want non-zero: %v", r.Phases.DNS, tc.dns)
			}
			if r.Phases.Connect <= 0 || r.Duration < r.Phases.Connect+r.Phases.DNS {
				t.Errorf("connect %s dns %s duration %s: connect must be timed and within the duration", r.Phases.Connect, r.Phases.DNS, r.Duration)
			}
		})
	}
}

// A listener with a full backlog is not a reliable blackhole on Linux, so
// the timeout path is driven by a context whose deadline has (nearly)
// passed.
func TestTCPDeadlineHonoured(t *testing.T) {
	open := startRaw(t, hang)
	_, port, _ := net.SplitHostPort(open.addr())
	cases := map[string]struct {
		addr, stage string
		until       time.Duration
	}{
		"deadline passed, ip":   {addr: open.addr(), stage: "while connecting", until: -time.Second},
		"deadline passed, name": {addr: "localhost:" + port, stage: "while resolving", until: -time.Second},
		"deadline in 1ns":       {addr: open.addr(), stage: "while connecting", until: time.Nanosecond},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(tc.until))
			defer cancel()
			began := time.Now()
			r := mustTCP(t, Target{Address: tc.addr}).Check(ctx)
			if took := time.Since(began); took > 100*time.Millisecond {
				t.Errorf("took %s past an expired deadline", took)
			}
			if r.OK || !strings.HasPrefix(r.Err, "timeout") || !strings.HasSuffix(r.Err, tc.stage) {
				t.Fatalf("got ok=%v err=%q, want a timeout %s", r.OK, r.Err, tc.stage)
			}
		})
	}
}

func TestTCPFactoryValidates(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		addr, want string
	}{
		"host:port":  {addr: "db.internal:5432"},
		"ipv6":       {addr: "[::1]:22"},
		"no port":    {addr: "db.internal", want: "is not host:port"},
		"no host":    {addr: ":5432", want: "is not host:port"},
		"port zero":  {addr: "db:0", want: "no valid port"},
		"port words": {addr: "db:postgres", want: "no valid port"},
		"too big":    {addr: "db:70000", want: "no valid port"},
		"secret":     {addr: "u:hunter2@db", want: "u:xxxxx@db"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := NewTCPChecker(Target{Kind: "tcp", Address: tc.addr})
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			case err != nil && strings.Contains(err.Error(), "hunter2"):
				t.Fatalf("error leaks the password: %v", err)
			}
		})
	}
}

func BenchmarkTCPCheck(b *testing.B) {
	srv := startRaw(b, func(net.Conn, <-chan struct{}) {})
	c := mustTCP(b, Target{Address: srv.addr(), Timeout: 5 * time.Second})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if r := c.Check(ctx); !r.OK {
			b.Fatalf("check failed: %s", r.Err)
		}
	}
}
