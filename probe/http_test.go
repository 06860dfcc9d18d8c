package probe

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"
)

// rawServer is a loopback TCP server whose connections are handled by
// handle until the server stops; it counts its own goroutines so leak checks
// can tell them from the client's.
type rawServer struct {
	ln   net.Listener
	done chan struct{}
	wg   sync.WaitGroup
	n    atomic.Int64
	once sync.Once
}

func startRaw(t testing.TB, handle func(c net.Conn, done <-chan struct{})) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	s := &rawServer{ln: ln, done: make(chan struct{})}
	s.n.Add(1)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer s.n.Add(-1)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.n.Add(1)
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer s.n.Add(-1)
				defer c.Close()
				handle(c, s.done)
			}()
		}
	}()
	t.Cleanup(s.stop)
	return s
}

func (s *rawServer) addr() string { return s.ln.Addr().String() }

// live is how many goroutines the server itself runs right now.
func (s *rawServer) live() int { return int(s.n.Load()) }

func (s *rawServer) stop() {
	s.once.Do(func() {
		close(s.done)
		s.ln.Close()
		s.wg.Wait()
	})
}

// hang accepts and never answers.
func hang(_ net.Conn, done <-chan struct{}) { <-done }

// readRequestHead consumes a request's head, so the answer comes after it
// as a real server's would.
func readRequestHead(c net.Conn) error {
	br := bufio.NewReader(c)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return err
		}
		if line == "\r\n" {
			return nil
		}
	}
}

// trickle reads the request, writes prefix, then one byte per 100ms, forever.
func trickle(prefix string) func(net.Conn, <-chan struct{}) {
	return func(c net.Conn, done <-chan struct{}) {
		if err := readRequestHead(c); err != nil {
			return
		}
		if _, err := io.WriteString(c, prefix); err != nil {
			return
		}
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if _, err := c.Write([]byte("x")); err != nil {
					return
				}
			}
		}
	}
}

// testMux serves every HTTP behaviour the table tests need.
func testMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "status: ok") })
	mux.HandleFunc("/500", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) })
	mux.HandleFunc("/404", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(404) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(150 * time.Millisecond) // the behaviour under test, not synchronisation
		io.WriteString(w, "late but ok")
	})
	mux.HandleFunc("/r/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if n == 0 {
			io.WriteString(w, "arrived")
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/r/%d", n-1), http.StatusFound)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/ua", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, r.UserAgent()) })
	return mux
}

func mustHTTP(t testing.TB, target Target) *httpChecker {
	t.Helper()
	target.Kind = "http"
	c, err := newHTTPChecker(target, nil)
	if err != nil {
		t.Fatalf("newHTTPChecker: %v", err)
	}
	return c
}

func deadPort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestHTTPCheck(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(testMux())
	t.Cleanup(srv.Close)
	dead := deadPort(t)
	ssh := startRaw(t, func(c net.Conn, done <-chan struct{}) {
		io.WriteString(c, "SSH-2.0-OpenSSH_9.6\r\n")
		<-done // keep the connection open: the client must judge the banner
	})

	cases := map[string]struct {
		url     string
		opts    HTTPOptions
		ok      bool
		code    int
		err     string // exact Result.Err
		minTime time.Duration
	}{
		"ok":                     {url: srv.URL + "/ok", ok: true, code: 200},
		"500":                    {url: srv.URL + "/500", code: 500, err: "status 500 (expected 2xx/3xx)"},
		"expect status mismatch": {url: srv.URL + "/404", opts: HTTPOptions{ExpectStatus: []int{200}}, code: 404, err: "status 404 (expected 200)"},
		"expect status list":     {url: srv.URL + "/404", opts: HTTPOptions{ExpectStatus: []int{200, 204}}, code: 404, err: "status 404 (expected 200, 204)"},
		"expect 404 met":         {url: srv.URL + "/404", opts: HTTPOptions{ExpectStatus: []int{404}}, ok: true, code: 404},
		"slow":                   {url: srv.URL + "/slow", ok: true, code: 200, minTime: 150 * time.Millisecond},
		"body contains hit":      {url: srv.URL + "/ok", opts: HTTPOptions{BodyContains: "ok"}, ok: true, code: 200},
		"body contains miss":     {url: srv.URL + "/ok", opts: HTTPOptions{BodyContains: "healthy"}, code: 200, err: `body does not contain "healthy"`},
		"user agent":             {url: srv.URL + "/ua", opts: HTTPOptions{BodyContains: "uptop"}, ok: true, code: 200},
		"redirect chain of 3":    {url: srv.URL + "/r/3", opts: HTTPOptions{BodyContains: "arrived"}, ok: true, code: 200},
		"redirect expected":      {url: srv.URL + "/r/3", opts: HTTPOptions{ExpectStatus: []int{302}}, ok: true, code: 302},
		"redirect loop":          {url: srv.URL + "/loop", err: "stopped after 10 redirects"},
		"refused":                {url: "http://" + dead + "/", err: "connection refused"},
		"not an http server":     {url: "http://" + ssh.addr() + "/", err: "the server does not speak HTTP (malformed response)"},
		"plain http on https":    {url: "https://" + srv.Listener.Addr().String() + "/ok", err: errPlainHTTP},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := mustHTTP(t, Target{Address: tc.url, Timeout: 5 * time.Second, HTTP: tc.opts})
			r := c.Check(context.Background())
			if r.OK != tc.ok || r.Code != tc.code || r.Err != tc.err {
				t.Fatalf("got ok=%v code=%d err=%q, want ok=%v code=%d err=%q", r.OK, r.Code, r.Err, tc.ok, tc.code, tc.err)
			}
			if r.Duration < tc.minTime {
				t.Errorf("duration %s, want ≥ %s", r.Duration, tc.minTime)
			}
			if r.Start.IsZero() || r.Duration <= 0 {
				t.Errorf("start %v duration %s: both must be set", r.Start, r.Duration)
			}
		})
	}
}

func TestHTTPCredentialsNeverInErr(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(testMux())
	t.Cleanup(srv.Close)
	hostport := strings.TrimPrefix(srv.URL, "http://")
	dead := deadPort(t)
	const secret = "s3cr3tpw"
	urls := map[string]string{
		"refused":       "http://bob:" + secret + "@" + dead + "/?token=" + secret,
		"500":           "http://bob:" + secret + "@" + hostport + "/500?api_key=" + secret,
		"redirect loop": "http://bob:" + secret + "@" + hostport + "/loop?sig=" + secret,
		"tls mismatch":  "https://bob:" + secret + "@" + hostport + "/?password=" + secret,
	}
	for name, u := range urls {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := mustHTTP(t, Target{Address: u, Timeout: 5 * time.Second}).Check(context.Background())
			if r.OK || r.Err == "" {
				t.Fatalf("want a failure, got ok=%v err=%q", r.OK, r.Err)
			}
			if strings.Contains(r.Err, secret) {
				t.Fatalf("error leaks the secret: %q", r.Err)
			}
		})
	}
}

func TestHTTPFactoryValidates(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		target Target
		want   string // substring of the error; "" = valid
	}{
		"valid":        {target: Target{Address: "https://example.com/health"}},
		"ftp":          {target: Target{Address: "ftp://example.com/"}, want: "must start with http:// or https://"},
		"no host":      {target: Target{Address: "http:///path"}, want: "has no host"},
		"garbage":      {target: Target{Address: "http://a b:pw@%zz"}, want: "does not parse"},
		"bad status":   {target: Target{Address: "http://x/", HTTP: HTTPOptions{ExpectStatus: []int{42}}}, want: "expect_status 42"},
		"neg timeout":  {target: Target{Address: "http://x/", Timeout: -time.Second}, want: "negative"},
		"secret in ft": {target: Target{Address: "ftp://u:hunter2@x/"}, want: "u:xxxxx@x"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := NewHTTPChecker(tc.target)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			case err != nil && strings.Contains(err.Error(), "hunter2"):
				t.Fatalf("error leaks the password: %v", err)
			}
		})
	}
}

func TestReadBodyFindsNeedleAcrossReads(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		body  string
		found bool
		n     int64
	}{
		"one byte reads":       {body: "aaaaneedlebbbb", found: true, n: 14},
		"across chunk":         {body: strings.Repeat("a", readChunk-3) + "needle", found: true, n: readChunk + 3},
		"absent":               {body: strings.Repeat("nee", 100), n: 300},
		"beyond MaxBody":       {body: strings.Repeat("a", MaxBody) + "needle", n: MaxBody},
		"last bytes of window": {body: strings.Repeat("a", MaxBody-6) + "needle", found: true, n: MaxBody},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := mustHTTP(t, Target{Address: "http://x/", HTTP: HTTPOptions{BodyContains: "needle"}})
			found, n, err := c.readBody(iotest.HalfReader(strings.NewReader(tc.body)))
			if name == "one byte reads" {
				found, n, err = c.readBody(iotest.OneByteReader(strings.NewReader(tc.body)))
			}
			if err != nil || found != tc.found || n != tc.n {
				t.Fatalf("got found=%v n=%d err=%v, want found=%v n=%d", found, n, err, tc.found, tc.n)
			}
		})
	}
}

func BenchmarkHTTPCheck(b *testing.B) {
	srv := httptest.NewServer(testMux())
	b.Cleanup(srv.Close)
	c := mustHTTP(b, Target{Address: srv.URL + "/ok", Timeout: 5 * time.Second, HTTP: HTTPOptions{BodyContains: "ok"}})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if r := c.Check(ctx); !r.OK {
			b.Fatalf("check failed: %s", r.Err)
		}
	}
}
