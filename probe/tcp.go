package probe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// tcpChecker checks that host:port accepts a connection. DNS is resolved on
// its own (when the host is a name) so its time shows separately from the
// connect time. Safe for concurrent use.
type tcpChecker struct {
	host     string
	port     uint16
	ip       netip.Addr // valid when host is an IP literal: no DNS phase
	timeout  time.Duration
	resolver *net.Resolver
	dialer   *net.Dialer
	send     []byte
	expect   []byte
}

// maxBanner is how much a banner check reads looking for expect.
const maxBanner = 64 << 10

var _ Checker = (*tcpChecker)(nil)

// NewTCPChecker is the "tcp" Factory: Address must be host:port.
func NewTCPChecker(t Target) (Checker, error) {
	if strings.Contains(t.Address, "://") {
		return nil, fmt.Errorf("tcp address %q is a url; write host:port like db.internal:5432, or use url for an HTTP check", Redact(t.Address))
	}
	host, portText, err := net.SplitHostPort(t.Address)
	if err != nil || host == "" {
		return nil, fmt.Errorf("tcp address %q is not host:port; write it like db.internal:5432 or [::1]:5432", Redact(t.Address))
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil || port == 0 {
		return nil, fmt.Errorf("tcp address %q has no valid port; use a number between 1 and 65535", Redact(t.Address))
	}
	if t.Timeout < 0 {
		return nil, fmt.Errorf("timeout %s is negative; use a positive duration such as 5s", t.Timeout)
	}
	c := &tcpChecker{
		host:     host,
		port:     uint16(port),
		timeout:  t.Timeout,
		resolver: &net.Resolver{},
		dialer:   &net.Dialer{KeepAlive: -1},
		send:     []byte(t.TCP.Send),
		expect:   []byte(t.TCP.Expect),
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		c.ip = ip.Unmap()
	}
	return c, nil
}

// Check resolves (if needed), connects, and closes at once.
func (c *tcpChecker) Check(ctx context.Context) Result {
	start := time.Now()
	ctx, cancel := bound(ctx, c.timeout)
	defer cancel()
	res := Result{Start: start}
	fail := func(err error, st stage) Result { return failed(ctx, res, err, st, c.timeout) }

	addrs := []netip.Addr{c.ip}
	if !c.ip.IsValid() {
		t0 := time.Now()
		ips, err := c.resolver.LookupNetIP(ctx, "ip", c.host)
		res.Phases.DNS = time.Since(t0)
		if err != nil {
			return fail(err, stageResolving)
		}
		addrs = ips
	}
	t1 := time.Now()
	conn, err := c.dialAny(ctx, addrs)
	res.Phases.Connect = time.Since(t1)
	if err != nil {
		return fail(err, stageConnecting)
	}
	defer conn.Close()
	if len(c.send) > 0 || len(c.expect) > 0 {
		t2 := time.Now()
		msg, st, err := c.banner(ctx, conn)
		res.Phases.FirstByte = time.Since(t2)
		if err != nil {
			return fail(err, st)
		}
		res.Err = msg
	}
	res.Duration = time.Since(start)
	res.OK = res.Err == ""
	return res
}

// banner writes send, then reads until expect shows up (or, with no
// expect, until the first bytes arrive). msg is why the banner fails.
func (c *tcpChecker) banner(ctx context.Context, conn net.Conn) (msg string, st stage, err error) {
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	// A cancelled ctx (no deadline) must also end the read.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()
	if len(c.send) > 0 {
		if _, err := conn.Write(c.send); err != nil {
			return "", stageSending, err
		}
	}
	buf := make([]byte, 0, 4<<10)
	chunk := make([]byte, 4<<10)
	for len(buf) < maxBanner {
		n, err := conn.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if len(c.expect) == 0 && len(buf) > 0 || len(c.expect) > 0 && bytes.Contains(buf, c.expect) {
			return "", 0, nil
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", stageReply, err
		}
	}
	if len(buf) == 0 {
		return "server closed the connection without sending anything", 0, nil
	}
	return fmt.Sprintf("server did not send %q (got %q)", clip(string(c.expect), 40), clip(firstLine(buf), 40)), 0, nil
}

// firstLine is the first line of b, for messages.
func firstLine(b []byte) string {
	s := string(b)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return s
}

// dialAny tries each address in turn (localhost may be ::1 then
// 127.0.0.1) and returns the first connection; on failure, the first
// error, which is the one about the preferred address.
func (c *tcpChecker) dialAny(ctx context.Context, addrs []netip.Addr) (net.Conn, error) {
	var first error
	for _, ip := range addrs {
		conn, err := c.dialer.DialContext(ctx, "tcp", netip.AddrPortFrom(ip.Unmap(), c.port).String())
		if err == nil {
			return conn, nil
		}
		if first == nil {
			first = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	if first == nil {
		first = fmt.Errorf("no addresses for %s", c.host)
	}
	return nil, first
}
