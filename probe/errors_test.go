package probe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"testing"
	"time"
)

const hangTimeout = 500 * time.Millisecond

// checkBounded runs c under a hangTimeout deadline and fails the test if it
// returns later than the deadline plus 10%.
func checkBounded(t *testing.T, c Checker) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangTimeout)
	defer cancel()
	began := time.Now()
	r := c.Check(ctx)
	if took := time.Since(began); took > hangTimeout+hangTimeout/10 {
		t.Errorf("check took %s, the deadline was %s (+10%% allowed)", took, hangTimeout)
	}
	return r
}

// The deadline tests are not parallel at the top level, so their timing is
// not measured while the rest of the package's tests load the two cores;
// their cases do run in parallel with each other.
func TestHTTPNeverOutlivesDeadline(t *testing.T) {
	hung := startRaw(t, hang)
	bodyTrickle := startRaw(t, trickle("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n"))
	headerTrickle := startRaw(t, trickle("HTTP/1.1 200 OK\r\nX-Slow: "))
	want := "timeout after " + hangTimeout.String()

	cases := map[string]struct {
		url, err string
	}{
		"accepts and never answers": {url: "http://" + hung.addr() + "/", err: want + " while waiting for headers"},
		"hangs mid TLS handshake":   {url: "https://" + hung.addr() + "/", err: want + " during TLS handshake"},
		"trickles the body":         {url: "http://" + bodyTrickle.addr() + "/", err: want + " while reading body"},
		"trickles the headers":      {url: "http://" + headerTrickle.addr() + "/", err: want + " while waiting for headers"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := checkBounded(t, mustHTTP(t, Target{Address: tc.url, Timeout: hangTimeout}))
			if r.OK || r.Err != tc.err {
				t.Fatalf("got ok=%v err=%q, want %q", r.OK, r.Err, tc.err)
			}
		})
	}
}

func TestHTTPTargetTimeoutWithoutCtxDeadline(t *testing.T) {
	hung := startRaw(t, hang)
	c := mustHTTP(t, Target{Address: "http://" + hung.addr() + "/", Timeout: 200 * time.Millisecond})
	r := c.Check(context.Background())
	if r.Err != "timeout after 200ms while waiting for headers" {
		t.Fatalf("err %q, want the target's own timeout to apply", r.Err)
	}
	if r.Duration > 220*time.Millisecond {
		t.Fatalf("took %s with a 200ms timeout", r.Duration)
	}
}

func TestHTTPHugeBodyIsCapped(t *testing.T) {
	t.Parallel()
	const huge = 100 << 20
	// Each request reports how much it wrote once the client hung up.
	wrote := make(chan int64, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		chunk := bytes.Repeat([]byte("z"), 64<<10)
		var n int64
		defer func() { wrote <- n }()
		for n < huge {
			m, err := w.Write(chunk)
			n += int64(m)
			if err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)

	c := mustHTTP(t, Target{Address: srv.URL, Timeout: 5 * time.Second, HTTP: HTTPOptions{BodyContains: "needle"}})
	began := time.Now()
	r, n := c.run(context.Background())
	took := time.Since(began)
	if r.Err != `body does not contain "needle"` || n != MaxBody {
		t.Fatalf("got err=%q read=%d, want the needle missing after exactly %d bytes", r.Err, n, MaxBody)
	}
	if took > 2*time.Second {
		t.Errorf("took %s to read a capped body", took)
	}
	select {
	case w := <-wrote:
		if w >= huge/4 {
			t.Errorf("server wrote %d bytes before the client hung up, want far less than %d", w, huge)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the server is still writing: the connection was not closed")
	}

	ok := mustHTTP(t, Target{Address: srv.URL, Timeout: 5 * time.Second})
	if r := ok.Check(context.Background()); !r.OK {
		t.Errorf("a huge body with no body_contains must be OK, got %q", r.Err)
	}
}

// TestHTTPNoGoroutineLeak is not parallel so that the goroutine count only
// moves with what it does. Servers keep their connections open while it
// counts: the client must clean up on its own.
func TestHTTPNoGoroutineLeak(t *testing.T) {
	baseline := runtime.NumGoroutine()
	servers := []*rawServer{
		startRaw(t, hang),
		startRaw(t, trickle("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")),
	}
	urls := []string{
		"http://" + servers[0].addr() + "/", "https://" + servers[0].addr() + "/",
		"http://" + servers[1].addr() + "/",
	}
	// Only the context bounds these checks (no Target.Timeout, which would
	// also bound the transport's own dial and handshake): what the check
	// starts, it must stop.
	check := func(c Checker) Result {
		ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		defer cancel()
		return c.Check(ctx)
	}
	for _, u := range urls {
		c := mustHTTP(t, Target{Address: u})
		for range 3 {
			if r := check(c); !strings.HasPrefix(r.Err, "timeout") {
				t.Fatalf("%s: want a timeout, got %q", Redact(u), r.Err)
			}
		}
	}
	tcp := mustTCP(t, Target{Address: servers[0].addr()})
	for range 3 {
		check(tcp)
	}
	waitGoroutines(t, func() int { return baseline + servers[0].live() + servers[1].live() })
}

// waitGoroutines polls until the goroutine count is at most want(), or fails
// with a dump after a deadline.
func waitGoroutines(t *testing.T, want func() int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > want() {
		if time.Now().After(deadline) {
			var buf bytes.Buffer
			pprof.Lookup("goroutine").WriteTo(&buf, 1)
			t.Fatalf("%d goroutines, want ≤ %d:\n%s", runtime.NumGoroutine(), want(), buf.String())
		}
		runtime.Gosched()
		time.Sleep(5 * time.Millisecond) // polling interval under a deadline
	}
}

func TestDescribe(t *testing.T) {
	t.Parallel()
	urlErr := func(err error) error { return &url.Error{Op: "Get", URL: "http://u:pw@host/", Err: err} }
	cases := map[string]struct {
		err, ctxErr error
		st          stage
		timeout     time.Duration
		want        string
	}{
		"deadline resolving":  {err: context.DeadlineExceeded, st: stageResolving, timeout: 5 * time.Second, want: "timeout after 5s while resolving"},
		"ctx says deadline":   {err: errors.New("use of closed network connection"), ctxErr: context.DeadlineExceeded, st: stageBody, timeout: 1500 * time.Millisecond, want: "timeout after 1.5s while reading body"},
		"net timeout connect": {err: &net.OpError{Op: "dial", Err: timeoutErr{}}, st: stageConnecting, timeout: time.Second, want: "timeout after 1s while connecting"},
		"no deadline known":   {err: context.DeadlineExceeded, st: stageTLS, want: "timeout during TLS handshake"},
		"canceled":            {err: urlErr(context.Canceled), ctxErr: context.Canceled, st: stageHeaders, want: "canceled while waiting for headers"},
		"no such host":        {err: urlErr(&net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}}), want: "no such host"},
		"dns other":           {err: &net.DNSError{Err: "server misbehaving", Name: "x"}, want: "dns lookup failed: server misbehaving"},
		"refused":             {err: urlErr(&net.OpError{Op: "dial", Err: fmt.Errorf("connect: %w", syscall.ECONNREFUSED)}), want: "connection refused"},
		"reset":               {err: syscall.ECONNRESET, st: stageHeaders, want: "connection reset by peer while waiting for headers"},
		"server closed":       {err: urlErr(fmt.Errorf("read body: %w", io.ErrUnexpectedEOF)), st: stageHeaders, want: "server closed the connection while waiting for headers"},
		"redirects":           {err: urlErr(errTooManyRedirects), want: "stopped after 10 redirects"},
		"not http":            {err: urlErr(errors.New(`net/http: HTTP/1.x transport connection broken: malformed HTTP response "SSH-2.0"`)), want: "the server does not speak HTTP (malformed response)"},
		"net/http prefix":     {err: urlErr(errors.New("net/http: request body too large")), want: "request body too large"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := describe(tc.err, tc.ctxErr, tc.st, tc.timeout)
			if got != tc.want {
				t.Fatalf("describe = %q, want %q", got, tc.want)
			}
			if strings.Contains(got, "pw") || strings.Contains(got, "Get ") {
				t.Fatalf("describe leaks url.Error noise: %q", got)
			}
		})
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestAllowed(t *testing.T) {
	t.Parallel()
	start := time.Now()
	cases := map[string]struct {
		deadline   time.Duration // from start; 0 = no deadline
		configured time.Duration
		want       time.Duration
	}{
		"no deadline":             {configured: 5 * time.Second, want: 0},
		"own timeout":             {deadline: 5 * time.Second, configured: 5 * time.Second, want: 5 * time.Second},
		"scheduler a bit tighter": {deadline: 4980 * time.Millisecond, configured: 5 * time.Second, want: 5 * time.Second},
		"caller much tighter":     {deadline: 2 * time.Second, configured: 5 * time.Second, want: 2 * time.Second},
		"unconfigured, rounded":   {deadline: 1234567 * time.Microsecond, want: 1230 * time.Millisecond},
		"unconfigured, short":     {deadline: 499999 * time.Microsecond, want: 500 * time.Millisecond},
		"already past":            {deadline: -time.Second, configured: time.Second, want: 0},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			if tc.deadline != 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithDeadline(ctx, start.Add(tc.deadline))
				defer cancel()
			}
			if got := allowed(ctx, start, tc.configured); got != tc.want {
				t.Fatalf("allowed = %s, want %s", got, tc.want)
			}
		})
	}
}
