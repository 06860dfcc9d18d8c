package probe

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// DefaultPingCount is how many echo requests a ping check sends.
const DefaultPingCount = 3

// errPingNotPermitted says how to let uptop ping without root.
var errPingNotPermitted = errors.New("ICMP sockets are not permitted for this user: allow them with " +
	"sysctl -w net.ipv4.ping_group_range=\"0 2147483647\" (or run uptop as root / with CAP_NET_RAW)")

// icmpChecker pings one host Count times, one echo request after another,
// and reports the median round-trip time and the loss. It uses an
// unprivileged ICMP datagram socket where net.ipv4.ping_group_range allows
// it, a raw socket as root, and otherwise fails with errPingNotPermitted:
// never a silent "up". Safe for concurrent use (each check has its socket).
type icmpChecker struct {
	host     string
	ip       netip.Addr // valid when host is an IP literal
	count    int
	maxLoss  float64
	timeout  time.Duration
	resolver *net.Resolver
}

var _ Checker = (*icmpChecker)(nil)

// NewICMPChecker is the "icmp" Factory: Address is a host name or IP.
func NewICMPChecker(t Target) (Checker, error) {
	if t.Address == "" {
		return nil, errors.New("ping needs a host; write e.g. ping = \"192.0.2.1\"")
	}
	if _, _, err := net.SplitHostPort(t.Address); err == nil {
		return nil, fmt.Errorf("ping host %q has a port; ping takes a bare host or IP", t.Address)
	}
	count := t.Ping.Count
	if count == 0 {
		count = DefaultPingCount
	}
	if count < 1 || count > 100 {
		return nil, fmt.Errorf("count %d is out of range; use 1 to 100", t.Ping.Count)
	}
	if t.Ping.MaxLoss < 0 || t.Ping.MaxLoss >= 1 {
		return nil, fmt.Errorf("max_loss %v must be at least 0 and below 1 (a fraction: 0.5 = half lost)", t.Ping.MaxLoss)
	}
	c := &icmpChecker{host: t.Address, count: count, maxLoss: t.Ping.MaxLoss, timeout: t.Timeout, resolver: &net.Resolver{}}
	if ip, err := netip.ParseAddr(t.Address); err == nil {
		c.ip = ip.Unmap()
	}
	return c, nil
}

// Check resolves the host, then sends the echo requests.
func (c *icmpChecker) Check(ctx context.Context) Result {
	start := time.Now()
	ctx, cancel := bound(ctx, c.timeout)
	defer cancel()
	res := Result{Start: start}
	ip := c.ip
	if !ip.IsValid() {
		ips, err := c.resolver.LookupNetIP(ctx, "ip", c.host)
		res.Phases.DNS = time.Since(start)
		if err != nil {
			res.Duration = time.Since(start)
			res.Err = describe(err, ctx.Err(), stageResolving, allowed(ctx, start, c.timeout))
			return res
		}
		ip = ips[0].Unmap()
	}
	rtts, err := c.pingAll(ctx, ip)
	res.Duration = time.Since(start)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	c.judge(&res, rtts)
	return res
}

// judge turns the round-trip times into the verdict. Duration becomes the
// median RTT: the latency of the host, not of the whole check.
func (c *icmpChecker) judge(res *Result, rtts []time.Duration) {
	lost := c.count - len(rtts)
	res.Loss = float64(lost) / float64(c.count)
	if len(rtts) > 0 {
		slices.Sort(rtts)
		res.Duration = rtts[len(rtts)/2]
		if len(rtts)%2 == 0 {
			res.Duration = (rtts[len(rtts)/2-1] + rtts[len(rtts)/2]) / 2
		}
	}
	switch {
	case len(rtts) == 0:
		res.Err = fmt.Sprintf("no reply to %d pings", c.count)
	case res.Loss > c.maxLoss:
		res.Err = fmt.Sprintf("lost %d of %d pings (max_loss %s)", lost, c.count, strconv.FormatFloat(c.maxLoss, 'g', -1, 64))
	case lost > 0:
		res.Warning = fmt.Sprintf("lost %d of %d pings", lost, c.count)
	}
	res.OK = res.Err == ""
}

// pingConn is one check's ICMP socket and how to address and parse on it.
type pingConn struct {
	*icmp.PacketConn
	dst   net.Addr
	proto int // 1 for ICMPv4, 58 for ICMPv6
	echo  icmp.Type
	reply icmp.Type
}

// listenPing opens an unprivileged datagram socket, or a raw one as root.
func listenPing(ip netip.Addr) (*pingConn, error) {
	dgram, raw, wildcard := "udp4", "ip4:icmp", "0.0.0.0"
	pc := &pingConn{proto: 1, echo: ipv4.ICMPTypeEcho, reply: ipv4.ICMPTypeEchoReply}
	if ip.Is6() {
		dgram, raw, wildcard = "udp6", "ip6:ipv6-icmp", "::"
		pc.proto, pc.echo, pc.reply = 58, ipv6.ICMPTypeEchoRequest, ipv6.ICMPTypeEchoReply
	}
	conn, err := icmp.ListenPacket(dgram, wildcard)
	if err == nil {
		pc.PacketConn, pc.dst = conn, &net.UDPAddr{IP: ip.AsSlice(), Zone: ip.Zone()}
		return pc, nil
	}
	if !errors.Is(err, syscall.EACCES) && !errors.Is(err, syscall.EPERM) && !errors.Is(err, syscall.EPROTONOSUPPORT) {
		return nil, fmt.Errorf("open an ICMP socket: %w", err)
	}
	if os.Geteuid() != 0 {
		return nil, errPingNotPermitted
	}
	conn, err = icmp.ListenPacket(raw, wildcard)
	if err != nil {
		return nil, errPingNotPermitted
	}
	pc.PacketConn, pc.dst = conn, &net.IPAddr{IP: ip.AsSlice(), Zone: ip.Zone()}
	return pc, nil
}

// pingAll sends the echo requests one after another, each waiting for its
// reply up to its share of the time left, and returns the RTTs received.
func (c *icmpChecker) pingAll(ctx context.Context, ip netip.Addr) ([]time.Duration, error) {
	pc, err := listenPing(ip)
	if err != nil {
		return nil, err
	}
	defer pc.Close()
	stop := context.AfterFunc(ctx, func() { _ = pc.SetDeadline(time.Now()) })
	defer stop()
	var nonce [8]byte
	_, _ = rand.Read(nonce[:])
	id := int(nonce[0])<<8 | int(nonce[1])
	rtts := make([]time.Duration, 0, c.count)
	for seq := range c.count {
		if ctx.Err() != nil {
			break
		}
		wait := time.Second
		if dl, ok := ctx.Deadline(); ok {
			wait = time.Until(dl) / time.Duration(c.count-seq)
		}
		rtt, ok, err := pc.ping(id, seq, nonce[:], wait)
		if err != nil {
			return nil, err
		}
		if ok {
			rtts = append(rtts, rtt)
		}
	}
	return rtts, nil
}

// ping sends one echo request and waits up to wait for its reply.
func (pc *pingConn) ping(id, seq int, nonce []byte, wait time.Duration) (time.Duration, bool, error) {
	msg := icmp.Message{Type: pc.echo, Body: &icmp.Echo{ID: id, Seq: seq, Data: nonce}}
	b, err := msg.Marshal(nil)
	if err != nil {
		return 0, false, fmt.Errorf("build the echo request: %w", err)
	}
	sent := time.Now()
	_ = pc.SetReadDeadline(sent.Add(wait))
	if _, err := pc.WriteTo(b, pc.dst); err != nil {
		if errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EACCES) {
			return 0, false, errPingNotPermitted
		}
		return 0, false, fmt.Errorf("send the echo request: %s", describe(err, nil, stageSending, 0))
	}
	buf := make([]byte, 1500)
	for {
		n, _, err := pc.ReadFrom(buf)
		if err != nil {
			return 0, false, nil // timed out: this one is lost
		}
		rtt := time.Since(sent)
		m, err := icmp.ParseMessage(pc.proto, buf[:n])
		if err != nil || m.Type != pc.reply {
			continue
		}
		// Datagram sockets get their ID rewritten by the kernel; raw
		// sockets see every reply on the host: the nonce tells ours.
		if e, ok := m.Body.(*icmp.Echo); ok && e.Seq == seq && string(e.Data) == string(nonce) {
			return rtt, true, nil
		}
	}
}
