package main

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"time"
)

// server answers /fast at once and /hold/{id}?d=… after the delay,
// recording for each id how long it actually held the answer.
type server struct {
	mu   sync.Mutex
	held map[string]time.Duration
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id, ok := strings.CutPrefix(r.URL.Path, "/hold/")
	if ok {
		d, _ := time.ParseDuration(r.URL.Query().Get("d"))
		hold(start, d)
	}
	w.Header().Set("Content-Length", "2")
	io.WriteString(w, "ok")
	if f, canFlush := w.(http.Flusher); canFlush {
		f.Flush()
	}
	if ok {
		s.mu.Lock()
		s.held[id] = time.Since(start)
		s.mu.Unlock()
	}
}

func (s *server) lastHeld(id string) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held[id]
}

// hold returns d after start, to within microseconds: it sleeps until 2ms
// before, then spins, because a timer alone may fire a millisecond or more
// late on a busy machine, and that would be blamed on the checker.
func hold(start time.Time, d time.Duration) {
	if d > 2*time.Millisecond {
		time.Sleep(d - 2*time.Millisecond - time.Since(start))
	}
	for time.Since(start) < d {
		runtime.Gosched()
	}
}

func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ErrorLog: log.New(io.Discard, "", 0), ReadHeaderTimeout: 5 * time.Second}
}

// serveChild is the -serve mode: serve on loopback, print the address, and
// stop when the parent closes stdin.
func serveChild() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen on loopback: %w", err)
	}
	hs := newHTTPServer(&server{held: map[string]time.Duration{}})
	go hs.Serve(ln)
	fmt.Println(ln.Addr().String())
	_, _ = io.Copy(io.Discard, os.Stdin)
	return hs.Close()
}

// startChild re-executes this binary as the delay server, so its
// goroutines do not share a Go scheduler with the checks being measured.
func startChild() (addr string, stop func(), err error) {
	self, err := os.Executable()
	if err != nil {
		return "", nil, fmt.Errorf("find this executable to start the server: %w", err)
	}
	cmd := exec.Command(self, "-serve")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return "", nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("start the delay server: %w", err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		return "", nil, fmt.Errorf("read the delay server's address: %w", err)
	}
	return strings.TrimSpace(line), func() { stdin.Close(); cmd.Wait() }, nil
}
