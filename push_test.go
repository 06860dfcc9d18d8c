package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestServeReceivesPushHeartbeats drives a push service through `uptop
// serve`: a heartbeat brings it up, a reported failure takes it down, and
// the token never shows on the public surfaces.
func TestServeReceivesPushHeartbeats(t *testing.T) {
	t.Parallel()
	const token = "0123456789abcdef0123"
	cfg := writeConfig(t, `
[http]
listen = "127.0.0.1:0"

[[service]]
name = "Nightly backup"
push = true
push_token = "`+token+`"
interval = "1s"
timeout = "500ms"
grace = "5s"
fail_threshold = 1
`)
	base, stop := startServe(t, cfg)

	if code := post(t, base+"api/v1/push/not-the-token"); code != http.StatusNotFound {
		t.Errorf("unknown token: %d, want 404", code)
	}
	if resp, err := http.Get(base + "api/v1/push/" + token); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET on the push URL: %v %v, want 405", resp.Status, err)
	}
	if code := post(t, base+"api/v1/push/"+token); code/100 != 2 {
		t.Fatalf("heartbeat: %d, want 2xx", code)
	}
	waitStatus(t, base, "up")
	if code := post(t, base+"api/v1/push/"+token+"?status=down&msg=disk+full"); code/100 != 2 {
		t.Fatalf("down report: %d, want 2xx", code)
	}
	body := waitStatus(t, base, "down")
	if !strings.Contains(body, "disk full") {
		t.Errorf("the job's message is not in the status: %s", body)
	}
	for _, path := range []string{"", "api/v1/status", "api/v2/summary.json", "metrics"} {
		if strings.Contains(get(t, base+path), token) {
			t.Errorf("/%s shows the push token", path)
		}
	}
	stop()
}

func post(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Post(url, "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
