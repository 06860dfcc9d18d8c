package probe

import (
	"crypto/tls"
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

// bodyDone records Transfer: from the final response's first byte to now.
func (t *tracer) bodyDone() {
	t.mu.Lock()
	if !t.firstByte.IsZero() {
		t.phases.Transfer = time.Since(t.firstByte)
	}
	t.mu.Unlock()
}

// snapshot returns what the tracer knows so far.
func (t *tracer) snapshot() (stage, Phases, time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stage, t.phases, t.certExpiry
}
