package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// errTooManyRedirects is what an HTTP check reports when a redirect chain is
// longer than maxRedirects (a loop, usually).
var errTooManyRedirects = fmt.Errorf("stopped after %d redirects", maxRedirects)

// errPlainHTTP is the answer of a plain-HTTP server to an https:// URL.
const errPlainHTTP = "server answered with plain http, not TLS; use an http:// url"

// stage is how far a check got; it names the phase a failure happened in.
type stage uint8

const (
	stageConnecting stage = iota // the zero value: nothing known yet
	stageResolving
	stageTLS
	stageSending
	stageHeaders
	stageBody
	stageReply // tcp banner, dns answer, ping reply, command exit
)

func (s stage) String() string {
	switch s {
	case stageResolving:
		return "while resolving"
	case stageTLS:
		return "during TLS handshake"
	case stageSending:
		return "while sending request"
	case stageHeaders:
		return "while waiting for headers"
	case stageBody:
		return "while reading body"
	case stageReply:
		return "while waiting for a reply"
	default:
		return "while connecting"
	}
}

// describe turns a failed check's Go error into the short sentence a user
// sees in Result.Err: what happened and, for timeouts, in which phase.
// ctxErr is the check context's Err() at the time of failure (a transport
// may report a deadline as a closed connection); timeout is how long the
// check was allowed (0 when it had no deadline). The result never contains
// a URL: url.Error's "Get \"…\": " wrapper is dropped.
func describe(err, ctxErr error, st stage, timeout time.Duration) string {
	if errors.Is(err, errTooManyRedirects) {
		return errTooManyRedirects.Error()
	}
	if isTimeout(err, ctxErr) {
		if timeout > 0 {
			return fmt.Sprintf("timeout after %s %s", timeout, st)
		}
		return "timeout " + st.String()
	}
	if errors.Is(ctxErr, context.Canceled) || errors.Is(err, context.Canceled) {
		return "canceled " + st.String()
	}
	if msg, ok := describeTLS(err); ok {
		return msg
	}
	if msg, ok := describeNet(err, st); ok {
		return msg
	}
	return fallback(err)
}

func isTimeout(err, ctxErr error) bool {
	if errors.Is(ctxErr, context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// describeTLS names certificate and handshake problems the way people
// search for them ("x509: certificate has expired").
func describeTLS(err error) (string, bool) {
	var invalid x509.CertificateInvalidError
	if errors.As(err, &invalid) {
		switch {
		case invalid.Reason == x509.Expired && invalid.Cert != nil:
			now := time.Now()
			if now.Before(invalid.Cert.NotBefore) {
				return "x509: certificate is not valid until " + invalid.Cert.NotBefore.UTC().Format(time.DateOnly), true
			}
			return "x509: certificate has expired on " + invalid.Cert.NotAfter.UTC().Format(time.DateOnly), true
		case invalid.Reason == x509.Expired:
			return "x509: certificate has expired", true
		}
		return invalid.Error(), true
	}
	var unknown x509.UnknownAuthorityError
	if errors.As(err, &unknown) {
		return "x509: certificate signed by unknown authority", true
	}
	var host x509.HostnameError
	if errors.As(err, &host) {
		return host.Error(), true
	}
	var record tls.RecordHeaderError
	if errors.As(err, &record) {
		return errPlainHTTP, true
	}
	var alert tls.AlertError
	if errors.As(err, &alert) {
		return "tls: server refused the handshake: " + alert.Error(), true
	}
	return "", false
}

// describeNet names the network failures a monitor sees every day.
func describeNet(err error, st stage) (string, bool) {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		if dns.IsNotFound {
			return "no such host", true
		}
		return "dns lookup failed: " + dns.Err, true
	}
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused", true
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset by peer " + st.String(), true
	case errors.Is(err, syscall.EHOSTUNREACH):
		return "host unreachable", true
	case errors.Is(err, syscall.ENETUNREACH):
		return "network unreachable", true
	case errors.Is(err, syscall.EPIPE), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "server closed the connection " + st.String(), true
	}
	return "", false
}

// fallback keeps the innermost useful text, without url.Error's method and
// URL and without the "net/http: " package prefix.
func fallback(err error) string {
	var u *url.Error
	if errors.As(err, &u) && u.Err != nil {
		err = u.Err
	}
	msg := strings.TrimPrefix(err.Error(), "net/http: ")
	switch {
	case strings.Contains(msg, "server gave HTTP response to HTTPS client"):
		return errPlainHTTP
	case strings.Contains(msg, "dial tcp4:") && strings.Contains(msg, "no suitable address"):
		return `the host has no IPv4 address (ip = "4")`
	case strings.Contains(msg, "dial tcp6:") && strings.Contains(msg, "no suitable address"):
		return `the host has no IPv6 address (ip = "6")`
	case strings.Contains(msg, "malformed HTTP"), strings.Contains(msg, "readLoopPeekFailLocked"):
		// An SSH or database port answering first, or speaking garbage.
		return "the server does not speak HTTP (malformed response)"
	}
	if msg == "" {
		return "check failed without a reason"
	}
	return msg
}

// allowed is how long the check was given, for "timeout after 5s": the
// configured timeout when the deadline is (about) that one, so a scheduler
// deadline a few ms tighter still reads "5s"; otherwise the deadline
// measured from the start, rounded.
func allowed(ctx context.Context, start time.Time, configured time.Duration) time.Duration {
	deadline, ok := ctx.Deadline()
	if !ok {
		return 0
	}
	d := deadline.Sub(start)
	switch {
	case d <= 0:
		return 0
	case configured > 0 && d >= configured-configured/20:
		return configured
	case d >= 100*time.Millisecond:
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

// certExpiryFromErr keeps the expiry of a certificate that failed
// verification for having expired, so the view can show when it did.
func certExpiryFromErr(err error, fallback time.Time) time.Time {
	var invalid x509.CertificateInvalidError
	if errors.As(err, &invalid) && invalid.Reason == x509.Expired && invalid.Cert != nil {
		return invalid.Cert.NotAfter
	}
	return fallback
}

// clip shortens s to n runes so a long needle doesn't swamp the message.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
