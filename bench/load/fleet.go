package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// serveFleet is the child process: it serves n loopback HTTP listeners that
// answer every path with 200 "ok" and close the connection, prints their
// ports on one line, and exits when its stdin closes (the parent is gone).
func serveFleet(n int) error {
	raiseFileLimit()
	handler := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Connection", "close")
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "ok")
	})
	ports := make([]string, n)
	for i := range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("fleet: listen on loopback: %w", err)
		}
		ports[i] = strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
		srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
		srv.SetKeepAlivesEnabled(false)
		go func() { _ = srv.Serve(ln) }()
	}
	fmt.Println(strings.Join(ports, ","))
	_, _ = io.Copy(io.Discard, os.Stdin)
	return nil
}

// fleet is the parent's handle on the child process.
type fleet struct {
	cmd   *exec.Cmd
	stdin io.Closer
	ports []int
}

// startFleet re-executes this binary in -fleet mode and reads its ports.
func startFleet(listeners int) (*fleet, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find this executable to start the fleet: %w", err)
	}
	cmd := exec.Command(self, "-fleet", "-listeners", strconv.Itoa(listeners))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the fleet child: %w", err)
	}
	f := &fleet{cmd: cmd, stdin: stdin}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		f.stop()
		return nil, fmt.Errorf("read the fleet's ports: %w", err)
	}
	for _, p := range strings.Split(strings.TrimSpace(line), ",") {
		port, err := strconv.Atoi(p)
		if err != nil {
			f.stop()
			return nil, fmt.Errorf("fleet printed a bad port %q: %w", p, err)
		}
		f.ports = append(f.ports, port)
	}
	return f, nil
}

// stop closes the child's stdin, which makes it exit, and reaps it.
func (f *fleet) stop() {
	_ = f.stdin.Close()
	_ = f.cmd.Wait()
}
