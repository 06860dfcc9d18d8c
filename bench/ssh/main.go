// Command ssh measures what idle SSH TUI sessions cost: memory per session
// and the probe loop's schedule lag with and without them.
//
//	go run ./bench/ssh -sessions 100 -services 200 -phase 20s
//
// The parent process runs the store, the scheduler and the SSH server; a
// child process (the same binary with -client) holds the sessions, so the
// clients' own buffers are not counted as server memory.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/statusd/sshd"
	"github.com/uptop-dev/uptop/store"
	"github.com/uptop-dev/uptop/tui"
)

func main() {
	client := flag.Bool("client", false, "internal: run as the session-holding child")
	addr := flag.String("addr", "", "internal: server address for -client")
	keyPath := flag.String("key", "", "internal: private key for -client")
	sessions := flag.Int("sessions", 100, "concurrent idle TUI sessions")
	services := flag.Int("services", 200, "probed services (http on loopback)")
	interval := flag.Duration("interval", time.Second, "probe interval of every service")
	phase := flag.Duration("phase", 20*time.Second, "how long each lag phase runs")
	refresh := flag.Duration("refresh", 0, "sshd RefreshEvery (0 = its default)")
	heapProfile := flag.String("heapprofile", "", "write a heap profile here once the sessions are open")
	flag.Parse()
	if *client {
		if err := runClients(*addr, *keyPath, *sessions); err != nil {
			log.Fatal(err)
		}
		return
	}
	if err := runBench(*sessions, *services, *interval, *phase, *refresh, *heapProfile); err != nil {
		log.Fatal(err)
	}
}

func runBench(sessions, services int, interval, phase, refresh time.Duration, heapProfile string) error {
	dir, err := os.MkdirTemp("", "uptop-bench-ssh-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	target, err := startTarget()
	if err != nil {
		return err
	}
	specs, targets := fleet(services, interval, target)
	st, err := store.Open(specs, store.Options{})
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer st.Close()

	baseline, err := lagPhase(targets, st, phase)
	if err != nil {
		return err
	}
	srvAddr, keyFile, stop, err := startSSH(dir, st, sessions, refresh)
	if err != nil {
		return err
	}
	defer stop()
	heap0, rss0 := memory()
	child, err := startClients(srvAddr, keyFile, sessions)
	if err != nil {
		return err
	}
	defer func() { _ = child.Process.Kill(); _ = child.Wait() }()
	heap1, rss1 := memory()
	if heapProfile != "" {
		if err := writeHeapProfile(heapProfile); err != nil {
			return err
		}
	}
	loaded, err := lagPhase(targets, st, phase)
	if err != nil {
		return err
	}
	heap2, rss2 := memory()
	n := float64(sessions)
	fmt.Printf("sessions=%d services=%d interval=%s phase=%s refresh=%s GOMAXPROCS=%d\n", sessions, services, interval, phase, refresh, runtime.GOMAXPROCS(0))
	fmt.Printf("per session after open:      heap %.0f KiB  rss %.0f KiB\n", kib(heap1-heap0)/n, kib(rss1-rss0)/n)
	fmt.Printf("per session after the phase: heap %.0f KiB  rss %.0f KiB\n", kib(heap2-heap0)/n, kib(rss2-rss0)/n)
	fmt.Printf("lag without sessions: p50 %s  p99 %s  max %s  (checks %d)\n", baseline.LagP50, baseline.LagP99, baseline.LagMax, baseline.Completed)
	fmt.Printf("lag with %d sessions: p50 %s  p99 %s  max %s  (checks %d)\n", sessions, loaded.LagP50, loaded.LagP99, loaded.LagMax, loaded.Completed)
	return nil
}

func kib(b int64) float64 { return float64(b) / 1024 }

// lagPhase runs a fresh scheduler for d, so each phase's lag histogram
// holds only its own checks.
func lagPhase(targets []probe.Target, sink probe.Sink, d time.Duration) (probe.SchedulerStats, error) {
	s, err := probe.NewScheduler(targets, sink, probe.SchedulerOptions{Registry: probe.NewRegistry()})
	if err != nil {
		return probe.SchedulerStats{}, fmt.Errorf("scheduler: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	_ = s.Run(ctx)
	return s.Stats(), nil
}

func startTarget() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	return "http://" + ln.Addr().String() + "/health", nil
}

func fleet(n int, interval time.Duration, url string) ([]store.Spec, []probe.Target) {
	specs := make([]store.Spec, n)
	targets := make([]probe.Target, n)
	for i := range n {
		id := "svc-" + strconv.Itoa(i)
		specs[i] = store.Spec{ID: id, Name: id, Kind: "http", Target: url, Interval: interval, Timeout: 2 * time.Second, FailThreshold: 1}
		targets[i] = probe.Target{ID: id, Kind: "http", Address: url, Interval: interval, Timeout: 2 * time.Second}
	}
	return specs, targets
}

// source makes the store a read-only tui.Source.
type source struct{ *store.Store }

func (source) Recheck(string) error { return tui.ErrReadOnly }

func startSSH(dir string, st *store.Store, sessions int, refresh time.Duration) (addr, keyFile string, stop func(), err error) {
	keyFile = filepath.Join(dir, "id_ed25519")
	pub, err := writeClientKey(keyFile)
	if err != nil {
		return "", "", nil, err
	}
	authorized := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(authorized, pub, 0o600); err != nil {
		return "", "", nil, err
	}
	srv, err := sshd.New(source{st}, sshd.Options{
		AuthorizedKeys: authorized, HostKeyPath: filepath.Join(dir, "host_key"),
		MaxSessions: sessions + 10, RatePerIP: -1, RefreshEvery: refresh,
	})
	if err != nil {
		return "", "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", "", nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = srv.Serve(ctx, ln); close(done) }()
	return ln.Addr().String(), keyFile, func() { cancel(); <-done }, nil
}

// startClients starts the child and waits for its "ready" line: every
// session has drawn its first screen.
func startClients(addr, keyFile string, n int) (*exec.Cmd, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "-client", "-addr", addr, "-key", keyFile, "-sessions", strconv.Itoa(n))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	buf := make([]byte, 64)
	k, err := out.Read(buf)
	if err != nil || !strings.HasPrefix(string(buf[:k]), "ready") {
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("clients did not get ready: %q %v", buf[:k], err)
	}
	time.Sleep(2 * time.Second) // let first renders and buffers settle before measuring
	return cmd, nil
}

// memory is the live heap after a GC and the process RSS, in bytes.
func memory() (heap, rss int64) {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	data, err := os.ReadFile("/proc/self/status")
	if err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				rss = kb * 1024
			}
		}
	}
	return int64(ms.HeapAlloc), rss
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.WriteHeapProfile(f)
}
