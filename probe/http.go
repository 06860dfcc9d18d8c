package probe

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// MaxBody is how much of a response body an HTTP check reads (and searches
// for BodyContains); the rest is dropped with the connection.
const MaxBody = 1 << 20

const (
	maxRedirects = 10
	userAgent    = "uptop"
	// readChunk is small because it is allocated per check: with one
	// checker per service, a pooled buffer each would cost 10,000 × chunk.
	readChunk = 8 << 10
)

// httpChecker checks one URL. It owns its Transport (keep-alives off, so
// every check dials afresh: a dead server is noticed and connect and TLS
// time are measured) and is safe for concurrent use.
type httpChecker struct {
	rawURL  string // may hold credentials: never put it in a message
	method  string
	headers map[string]string // values are secrets
	body    string
	auth    *BasicAuth
	secrets []string // scrubbed from every message

	expect       []int
	needle       []byte
	bodyRE       *regexp.Regexp
	json         []JSONCheck
	expectHeader map[string]string
	noRedirects  bool

	timeout   time.Duration
	warn      time.Duration  // cert_expiry_warn
	insecure  bool           // insecure_skip_verify
	roots     *x509.CertPool // nil: the system roots
	transport *http.Transport
	client    *http.Client
}

var _ Checker = (*httpChecker)(nil)

// NewHTTPChecker is the "http" Factory: it validates t (an http or https
// URL with a host, status codes in 100–599, the options) and builds the
// checker once.
func NewHTTPChecker(t Target) (Checker, error) {
	return newHTTPChecker(t, nil)
}

// checkRedirect follows up to maxRedirects hops, unless the user expects a
// 3xx: then the redirect itself is the answer being checked.
func (c *httpChecker) checkRedirect(_ *http.Request, via []*http.Request) error {
	if c.noRedirects {
		return http.ErrUseLastResponse
	}
	for _, code := range c.expect {
		if code >= 300 && code < 400 {
			return http.ErrUseLastResponse
		}
	}
	if len(via) >= maxRedirects {
		return errTooManyRedirects
	}
	return nil
}

// Check runs one request and never outlives ctx (nor the target's timeout).
func (c *httpChecker) Check(ctx context.Context) Result {
	res, _ := c.run(ctx)
	return res
}

// run is Check that also reports how many body bytes it read.
func (c *httpChecker) run(ctx context.Context) (Result, int64) {
	start := time.Now()
	ctx, cancel := bound(ctx, c.timeout)
	defer cancel()
	// The transport detaches dials from the request's context; closing idle
	// connections also cancels a dial or TLS handshake a timed-out check left
	// behind, so nothing outlives the check.
	defer c.transport.CloseIdleConnections()

	tr := &tracer{}
	res := Result{Start: start}
	req, err := c.newRequest(httptrace.WithClientTrace(context.WithValue(ctx, tracerKey{}, tr), tr.clientTrace()))
	if err != nil {
		res.Err = "the url does not make a request; check its syntax"
		res.Duration = time.Since(start)
		return res, 0
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return c.finish(ctx, res, tr, err), 0
	}
	defer resp.Body.Close()
	res.Code = resp.StatusCode
	c.certInfo(resp.TLS, &res)
	if !c.statusOK(resp.StatusCode) {
		return c.finish(ctx, res, tr, nil), 0
	}
	res.Err = c.checkHeaders(resp.Header)
	tr.setStage(stageBody)
	msg, n, err := c.checkBody(resp.Body)
	tr.bodyDone()
	if err != nil {
		return c.finish(ctx, res, tr, err), n
	}
	if res.Err == "" {
		res.Err = msg
	}
	return c.finish(ctx, res, tr, nil), n
}

func (c *httpChecker) newRequest(ctx context.Context) (*http.Request, error) {
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, c.rawURL, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", userAgent)
	for k, v := range c.headers {
		if strings.EqualFold(k, "Host") {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	if c.auth != nil {
		req.SetBasicAuth(c.auth.User, c.auth.Password)
	}
	return req, nil
}

// certInfo records an https answer's certificate: expiry, issuer, chain
// validity (verified by hand when insecure_skip_verify skipped it) and
// the cert_expiry_warn warning.
func (c *httpChecker) certInfo(cs *tls.ConnectionState, res *Result) {
	if cs == nil || len(cs.PeerCertificates) == 0 {
		return
	}
	leaf := cs.PeerCertificates[0]
	res.CertExpiry, res.CertIssuer = leaf.NotAfter, issuerName(leaf)
	if !c.insecure {
		// The transport verified the chain already: no second verify.
		res.ChainValid = true
		res.Warning = expiryWarning(leaf, c.warn, time.Now())
		return
	}
	v := judgeCert(cs.PeerCertificates, cs.ServerName, c.roots, c.warn, time.Now())
	res.ChainValid, res.Warning = v.chainValid, v.warning
}

// finish fills the timings and, for err, the user-facing error text.
func (c *httpChecker) finish(ctx context.Context, res Result, tr *tracer, err error) Result {
	res.Duration = time.Since(res.Start)
	if end := tr.end(); err == nil && !end.IsZero() {
		// The latency is the network's, not the hand-offs' after it.
		res.Duration = end.Sub(res.Start)
	}
	st, phases, certExpiry := tr.snapshot()
	res.Phases = phases
	if res.CertExpiry.IsZero() {
		res.CertExpiry = certExpiry
	}
	switch {
	case err != nil:
		res.Err = c.scrub(describe(err, ctx.Err(), st, allowed(ctx, res.Start, c.timeout)))
		res.CertExpiry = certExpiryFromErr(err, res.CertExpiry)
	case res.Err == "" && !c.statusOK(res.Code):
		res.Err = fmt.Sprintf("status %d (expected %s)", res.Code, c.expectText())
	}
	res.OK = res.Err == ""
	if !res.OK {
		res.Warning = ""
	}
	return res
}

func (c *httpChecker) statusOK(code int) bool {
	if len(c.expect) == 0 {
		return code >= 200 && code < 400
	}
	for _, e := range c.expect {
		if code == e {
			return true
		}
	}
	return false
}

func (c *httpChecker) expectText() string {
	if len(c.expect) == 0 {
		return "2xx/3xx"
	}
	parts := make([]string, len(c.expect))
	for i, e := range c.expect {
		parts[i] = strconv.Itoa(e)
	}
	return strings.Join(parts, ", ")
}

// readBody reads at most MaxBody bytes, looking for the needle across chunk
// boundaries by carrying the last len(needle)-1 bytes over. Memory stays at
// one small chunk whatever the body's size.
func (c *httpChecker) readBody(body io.Reader) (found bool, n int64, err error) {
	buf := make([]byte, readChunk+len(c.needle))
	found = len(c.needle) == 0
	keep := 0
	lr := io.LimitReader(body, MaxBody)
	for {
		m, rerr := lr.Read(buf[keep:])
		n += int64(m)
		if !found && m > 0 {
			win := buf[:keep+m]
			if bytes.Contains(win, c.needle) {
				found, keep = true, 0
			} else {
				keep = min(len(c.needle)-1, len(win))
				copy(buf, win[len(win)-keep:])
			}
		}
		if rerr == io.EOF {
			return found, n, nil
		}
		if rerr != nil {
			return found, n, rerr
		}
	}
}

// scrub is the last guard against leaking credentials: should any error
// text quote the URL or its password, it gets the redacted form.
func (c *httpChecker) scrub(msg string) string {
	msg = strings.ReplaceAll(msg, c.rawURL, Redact(c.rawURL))
	for _, s := range c.secrets {
		msg = strings.ReplaceAll(msg, s, redacted)
	}
	if u, err := url.Parse(c.rawURL); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			msg = strings.ReplaceAll(msg, p, redacted)
		}
	}
	return msg
}
