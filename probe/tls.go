package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// tlsChecker checks the certificate a host:port serves: it connects, does
// the handshake, and verifies the chain itself (against roots, for the
// host name) so that an expired or untrusted certificate still reports its
// expiry and issuer alongside the reason it is down. Safe for concurrent use.
type tlsChecker struct {
	addr     string // host:port
	host     string
	timeout  time.Duration
	warn     time.Duration
	roots    *x509.CertPool // nil: the system roots
	resolver *net.Resolver
	dialer   *net.Dialer
	now      func() time.Time
}

var _ Checker = (*tlsChecker)(nil)

// NewTLSChecker is the "tls" Factory: Address is host:port.
func NewTLSChecker(t Target) (Checker, error) {
	return newTLSChecker(t, nil)
}

func newTLSChecker(t Target, roots *x509.CertPool) (*tlsChecker, error) {
	host, port, err := net.SplitHostPort(t.Address)
	if err != nil || host == "" {
		return nil, fmt.Errorf("tls address %q is not host:port; write it like example.com:443", t.Address)
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
		return nil, fmt.Errorf("tls address %q has no valid port; use a number between 1 and 65535", t.Address)
	}
	if t.Timeout < 0 {
		return nil, fmt.Errorf("timeout %s is negative; use a positive duration such as 5s", t.Timeout)
	}
	if t.TLS.ExpiryWarn < 0 {
		return nil, fmt.Errorf("cert_expiry_warn %s is negative; use e.g. 21d", t.TLS.ExpiryWarn)
	}
	return &tlsChecker{
		addr: t.Address, host: host, timeout: t.Timeout, warn: t.TLS.ExpiryWarn, roots: roots,
		resolver: &net.Resolver{}, dialer: &net.Dialer{KeepAlive: -1}, now: time.Now,
	}, nil
}

// Check connects, shakes hands and judges the certificate.
func (c *tlsChecker) Check(ctx context.Context) Result {
	start := time.Now()
	ctx, cancel := bound(ctx, c.timeout)
	defer cancel()
	res := Result{Start: start}
	fail := func(err error, st stage) Result { return failed(ctx, res, err, st, c.timeout) }
	addr := c.addr
	if _, err := netip.ParseAddr(c.host); err != nil {
		t0 := time.Now()
		ips, err := c.resolver.LookupNetIP(ctx, "ip", c.host)
		res.Phases.DNS = time.Since(t0)
		if err != nil {
			return fail(err, stageResolving)
		}
		_, port, _ := net.SplitHostPort(c.addr)
		addr = net.JoinHostPort(ips[0].Unmap().String(), port)
	}
	t1 := time.Now()
	raw, err := c.dialer.DialContext(ctx, "tcp", addr)
	res.Phases.Connect = time.Since(t1)
	if err != nil {
		return fail(err, stageConnecting)
	}
	defer raw.Close()
	// Verification is done below, by hand, so a bad certificate is still
	// read: the handshake alone only proves the server holds its key.
	conn := tls.Client(raw, &tls.Config{ServerName: c.host, InsecureSkipVerify: true}) //nolint:gosec // verified in judgeCert
	t2 := time.Now()
	err = conn.HandshakeContext(ctx)
	res.Phases.TLS = time.Since(t2)
	if err != nil {
		return fail(err, stageTLS)
	}
	v := judgeCert(conn.ConnectionState().PeerCertificates, c.host, c.roots, c.warn, c.now())
	res.Duration = time.Since(start)
	v.apply(&res)
	return res
}

// certVerdict is what a TLS peer's certificate chain says about a service.
type certVerdict struct {
	expiry     time.Time
	issuer     string
	chainValid bool
	err        string // non-empty: the service is down for this reason
	warning    string // non-empty: degraded, the certificate expires soon
}

// judgeCert verifies chain (leaf first) for host against roots (nil: the
// system's) at now, and warns when the leaf expires within warn.
func judgeCert(chain []*x509.Certificate, host string, roots *x509.CertPool, warn time.Duration, now time.Time) certVerdict {
	if len(chain) == 0 {
		return certVerdict{err: "tls: the server sent no certificate"}
	}
	leaf := chain[0]
	v := certVerdict{expiry: leaf.NotAfter, issuer: issuerName(leaf)}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	// The warning does not depend on the chain: with insecure_skip_verify
	// an untrusted certificate is accepted, and can still run out.
	v.warning = expiryWarning(leaf, warn, now)
	_, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: roots, Intermediates: inter, CurrentTime: now})
	if err != nil {
		if msg, ok := describeTLS(err); ok {
			v.err = msg
		} else {
			v.err = "x509: " + strings.TrimPrefix(err.Error(), "x509: ")
		}
		return v
	}
	v.chainValid = true
	return v
}

// expiryWarning is the cert_expiry_warn message for leaf at now, or "".
func expiryWarning(leaf *x509.Certificate, warn time.Duration, now time.Time) string {
	switch left := leaf.NotAfter.Sub(now); {
	case warn <= 0:
		return ""
	case left <= 0:
		return "certificate expired on " + leaf.NotAfter.UTC().Format(time.DateOnly)
	case left < warn:
		return "certificate expires in " + humanDays(left) + " (on " + leaf.NotAfter.UTC().Format(time.DateOnly) + ")"
	}
	return ""
}

func (v certVerdict) apply(res *Result) {
	res.CertExpiry, res.CertIssuer, res.ChainValid = v.expiry, v.issuer, v.chainValid
	res.Err = v.err
	res.OK = v.err == ""
	if res.OK {
		res.Warning = v.warning
	}
}

func issuerName(c *x509.Certificate) string {
	if c.Issuer.CommonName != "" {
		return c.Issuer.CommonName
	}
	return c.Issuer.String()
}

// humanDays says how long is left the way people count it for
// certificates: "9 days", "1 day", "5 hours".
func humanDays(d time.Duration) string {
	switch days := int(d / (24 * time.Hour)); {
	case days > 1:
		return strconv.Itoa(days) + " days"
	case days == 1:
		return "1 day"
	}
	if h := int(d / time.Hour); h != 1 {
		return strconv.Itoa(max(h, 0)) + " hours"
	}
	return "1 hour"
}
