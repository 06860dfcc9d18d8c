package probe

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"time"
)

func TestICMPLoopback(t *testing.T) {
	t.Parallel()
	if pc, err := listenPing(netip.MustParseAddr("127.0.0.1")); err != nil {
		if errors.Is(err, errPingNotPermitted) {
			t.Skipf("the kernel forbids ICMP sockets here: %v", err)
		}
		t.Fatalf("open an ICMP socket: %v", err)
	} else {
		pc.Close()
	}
	c, err := NewICMPChecker(Target{Kind: "icmp", Address: "127.0.0.1", Timeout: 2 * time.Second, Ping: PingOptions{Count: 3}})
	if err != nil {
		t.Fatal(err)
	}
	r := c.Check(context.Background())
	if !r.OK || r.Loss != 0 || r.Warning != "" {
		t.Fatalf("ping 127.0.0.1: OK=%v Loss=%v Err=%q Warning=%q", r.OK, r.Loss, r.Err, r.Warning)
	}
	if r.Duration <= 0 || r.Duration > time.Second {
		t.Fatalf("median RTT %s to loopback is not plausible", r.Duration)
	}
}

func TestICMPJudge(t *testing.T) {
	t.Parallel()
	ms := time.Millisecond
	cases := map[string]struct {
		count   int
		maxLoss float64
		rtts    []time.Duration
		ok      bool
		median  time.Duration
		err     string
		warn    string
	}{
		"all back":      {count: 3, rtts: []time.Duration{3 * ms, 1 * ms, 2 * ms}, ok: true, median: 2 * ms},
		"even median":   {count: 4, rtts: []time.Duration{1 * ms, 2 * ms, 4 * ms, 9 * ms}, ok: true, median: 3 * ms},
		"one lost, ok":  {count: 3, maxLoss: 0.5, rtts: []time.Duration{1 * ms, 3 * ms}, ok: true, median: 2 * ms, warn: "lost 1 of 3 pings"},
		"one lost, max": {count: 3, rtts: []time.Duration{1 * ms, 3 * ms}, median: 2 * ms, err: "lost 1 of 3 pings (max_loss 0)"},
		"all lost":      {count: 3, maxLoss: 0.9, err: "no reply to 3 pings"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := &icmpChecker{count: tc.count, maxLoss: tc.maxLoss}
			var r Result
			c.judge(&r, tc.rtts)
			if r.OK != tc.ok || r.Err != tc.err || r.Warning != tc.warn || r.Duration != tc.median {
				t.Fatalf("got OK=%v Err=%q Warning=%q median=%s", r.OK, r.Err, r.Warning, r.Duration)
			}
			if want := float64(tc.count-len(tc.rtts)) / float64(tc.count); r.Loss != want {
				t.Fatalf("Loss=%v, want %v", r.Loss, want)
			}
		})
	}
}

func TestICMPFactoryValidates(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]Target{
		"empty":    {},
		"port":     {Address: "example.com:80"},
		"count":    {Address: "example.com", Ping: PingOptions{Count: 1000}},
		"max_loss": {Address: "example.com", Ping: PingOptions{MaxLoss: 1}},
	} {
		if _, err := NewICMPChecker(tc); err == nil {
			t.Errorf("%s: accepted %+v", name, tc)
		}
	}
}
