package probe

import (
	"bufio"
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

func TestTCPBanner(t *testing.T) {
	t.Parallel()
	ssh := startRaw(t, func(c net.Conn, _ <-chan struct{}) { io.WriteString(c, "SSH-2.0-OpenSSH_9.6\r\n") })
	// echo answers "+PONG" to "PING\r\n", like redis.
	redis := startRaw(t, func(c net.Conn, _ <-chan struct{}) {
		line, err := bufio.NewReader(c).ReadString('\n')
		if err == nil && line == "PING\r\n" {
			io.WriteString(c, "+PONG\r\n")
		}
	})
	closer := startRaw(t, func(net.Conn, <-chan struct{}) {})
	silent := startRaw(t, hang)
	cases := map[string]struct {
		addr string
		opt  TCPOptions
		err  string
	}{
		"banner":             {addr: ssh.addr(), opt: TCPOptions{Expect: "SSH-2.0"}},
		"wrong banner":       {addr: ssh.addr(), opt: TCPOptions{Expect: "220 "}, err: `server did not send "220 " (got "SSH-2.0-OpenSSH_9.6")`},
		"send and expect":    {addr: redis.addr(), opt: TCPOptions{Send: "PING\r\n", Expect: "+PONG"}},
		"send, wrong answer": {addr: redis.addr(), opt: TCPOptions{Send: "HELLO\r\n", Expect: "+PONG"}, err: "server closed the connection without sending anything"},
		"closed at once":     {addr: closer.addr(), opt: TCPOptions{Expect: "220"}, err: "server closed the connection without sending anything"},
		"silent":             {addr: silent.addr(), opt: TCPOptions{Expect: "SSH"}, err: "timeout after 300ms while waiting for a reply"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := mustTCP(t, Target{Address: tc.addr, Timeout: 300 * time.Millisecond, TCP: tc.opt}).Check(context.Background())
			if r.OK != (tc.err == "") || r.Err != tc.err {
				t.Fatalf("OK=%v Err=%q, want %q", r.OK, r.Err, tc.err)
			}
			if tc.err == "" && (r.Phases.FirstByte <= 0 || r.Duration < r.Phases.Connect+r.Phases.FirstByte) {
				t.Errorf("reply phase %s connect %s duration %s: the reply must be timed within the duration", r.Phases.FirstByte, r.Phases.Connect, r.Duration)
			}
		})
	}
	if s := firstLine([]byte("a\r\nb")); !strings.EqualFold(s, "a") {
		t.Errorf("firstLine = %q", s)
	}
}
