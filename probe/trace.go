package probe

import (
	"crypto/tls"
	"net"
	"net/http/httptrace"
	"sync"
	"time"
)

// tracer follows one HTTP check through net/http/httptrace: it sums the
// phase timings over every hop of a redirect chain and remembers the stage
// the check is in, so a failure can say where it happened. Hooks may fire on
// the transport's dial goroutines (and, with happy eyeballs, concurrently),
// hence the mutex.
type tracer struct {
	mu    sync.Mutex
	stage stage

	dnsStart, connStart, tlsStart time.Time
	wrote, firstByte              time.Time

	phases     Phases
	certExpiry time.Time
	// lastRead is when the connection last returned bytes: the end of the
	// response as the network delivered it, before any goroutine hand-off
	// between the transport and the check.
	lastRead time.Time
}

// tracerKey carries a check's tracer to the transport's dialer, which
// wraps each connection so its reads are timed (see timedConn).
type tracerKey struct{}

// timedConn notes in its check's tracer when each read returned bytes.
type timedConn struct {
	net.Conn
	tr *tracer
}

func (c *timedConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 {
		now := time.Now()
		c.tr.mu.Lock()
		c.tr.lastRead = now
		c.tr.mu.Unlock()
	}
	return n, err
}

// clientTrace returns the hooks that feed t.
func (t *tracer) clientTrace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GetConn:              func(string) { t.setStage(stageConnecting) },
		DNSStart:             t.dnsStartHook,
		DNSDone:              t.dnsDoneHook,
		ConnectStart:         t.connectStartHook,
		ConnectDone:          t.connectDoneHook,
		TLSHandshakeStart:    t.tlsStartHook,
		TLSHandshakeDone:     t.tlsDoneHook,
		GotConn:              func(httptrace.GotConnInfo) { t.setStage(stageSending) },
		WroteRequest:         t.wroteRequestHook,
		GotFirstResponseByte: t.firstByteHook,
	}
}

func (t *tracer) setStage(s stage) {
	t.mu.Lock()
	t.stage = s
	t.mu.Unlock()
}

func (t *tracer) dnsStartHook(httptrace.DNSStartInfo) {
	t.mu.Lock()
	t.stage, t.dnsStart = stageResolving, time.Now()
	t.mu.Unlock()
}

func (t *tracer) dnsDoneHook(httptrace.DNSDoneInfo) {
	t.mu.Lock()
	if !t.dnsStart.IsZero() {
		t.phases.DNS += time.Since(t.dnsStart)
		t.dnsStart = time.Time{}
	}
	t.stage = stageConnecting
	t.mu.Unlock()
}

// connectStartHook keeps the first start when happy eyeballs races two
// addresses: the user waited from the first attempt.
func (t *tracer) connectStartHook(string, string) {
	t.mu.Lock()
	if t.connStart.IsZero() {
		t.connStart = time.Now()
	}
	t.stage = stageConnecting
	t.mu.Unlock()
}

func (t *tracer) connectDoneHook(_, _ string, err error) {
	t.mu.Lock()
	if err == nil && !t.connStart.IsZero() {
		t.phases.Connect += time.Since(t.connStart)
		t.connStart = time.Time{}
	}
	t.mu.Unlock()
}

func (t *tracer) tlsStartHook() {
	t.mu.Lock()
	t.stage, t.tlsStart = stageTLS, time.Now()
	t.mu.Unlock()
}

func (t *tracer) tlsDoneHook(cs tls.ConnectionState, err error) {
	t.mu.Lock()
	if !t.tlsStart.IsZero() {
		t.phases.TLS += time.Since(t.tlsStart)
		t.tlsStart = time.Time{}
	}
	if err == nil && len(cs.PeerCertificates) > 0 {
		t.certExpiry = cs.PeerCertificates[0].NotAfter
	}
	t.mu.Unlock()
}

func (t *tracer) wroteRequestHook(httptrace.WroteRequestInfo) {
	t.mu.Lock()
	t.stage, t.wrote = stageHeaders, time.Now()
	t.mu.Unlock()
}

func (t *tracer) firstByteHook() {
	t.mu.Lock()
	t.firstByte = time.Now()
	if !t.wrote.IsZero() {
		t.phases.FirstByte += t.firstByte.Sub(t.wrote)
		t.wrote = time.Time{}
	}
	t.mu.Unlock()
}

// bodyDone records Transfer: from the final response's first byte to the
// last bytes read off the connection.
func (t *tracer) bodyDone() {
	t.mu.Lock()
	if !t.firstByte.IsZero() {
		t.phases.Transfer = max(t.lastRead.Sub(t.firstByte), 0)
	}
	t.mu.Unlock()
}

// end is when the response was complete on the wire: the last read, or
// the first-byte hook if that came later (it runs just after that read);
// zero when no response byte arrived.
func (t *tracer) end() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.firstByte.IsZero() {
		return time.Time{}
	}
	if t.lastRead.After(t.firstByte) {
		return t.lastRead
	}
	return t.firstByte
}

// snapshot returns what the tracer knows so far.
func (t *tracer) snapshot() (stage, Phases, time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stage, t.phases, t.certExpiry
}
