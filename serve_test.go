package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServeWiresProbeStoreAndHTTP runs `uptop serve` in-process against a
// loopback service and reads its status back over the daemon's own API.
func TestServeWiresProbeStoreAndHTTP(t *testing.T) {
	t.Parallel()
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	defer svc.Close()
	cfg := writeConfig(t, fmt.Sprintf(`
[http]
listen = "127.0.0.1:0"
title = "Test status"

[[service]]
name = "Web"
url = %q
interval = "1s"
timeout = "500ms"
`, svc.URL+"/?token=hunter2"))

	base, stop := startServe(t, cfg)

	if body := waitStatus(t, base, "up"); strings.Contains(body, "hunter2") {
		t.Fatalf("token leaked into the API: %s", body)
	}
	if page := get(t, base); !strings.Contains(page, "Test status") || !strings.Contains(page, "Web") {
		t.Errorf("page lacks title or service")
	}
	stop()
}

// startServe runs `uptop serve --config cfg` in-process with a scratch
// database and returns the status page's base URL and a stop function that
// ends the daemon and fails the test unless it exits 0 within 10s.
func startServe(t *testing.T, cfg string) (base string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logR, logW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := run(ctx, []string{"serve", "--config", cfg, "--data", filepath.Join(t.TempDir(), "u.db"), "--node", "t1"},
			strings.NewReader(""), io.Discard, logW)
		logW.Close()
		done <- code
	}()
	base = waitForURL(t, logR)
	go io.Copy(io.Discard, logR) // keep the daemon's log flowing
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			if code != exitOK {
				t.Errorf("serve exited %d after a clean stop, want 0", code)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("serve did not stop within 10s of its context ending")
		}
	}
	t.Cleanup(stop)
	return base, stop
}

var urlInLog = regexp.MustCompile(`url=(http://[0-9.:]+/)`)

func waitForURL(t *testing.T, r io.Reader) string {
	t.Helper()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if m := urlInLog.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				return
			}
		}
		close(found)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			t.Fatal("serve exited before logging its status page URL")
		}
		return u
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not log its status page URL within 15s")
	}
	return ""
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", url, resp.Status, b)
	}
	return string(b)
}

// waitStatus polls the daemon's own API until its only service has status
// want, or fails after a deadline; it returns the last status JSON.
func waitStatus(t *testing.T, base, want string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		body := get(t, base+"api/v1/status")
		var st struct {
			Services []struct {
				Status string `json:"status"`
			} `json:"services"`
		}
		if err := json.Unmarshal([]byte(body), &st); err != nil {
			t.Fatalf("status JSON: %v", err)
		}
		if len(st.Services) == 1 && st.Services[0].Status == want {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("status never became %q: %s", want, body)
		}
		time.Sleep(50 * time.Millisecond) // polling a live daemon under a deadline
	}
}
