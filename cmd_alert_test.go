package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/alert"
)

const hookSecret = "whsec_c2VjcmV0LWtleS1mb3ItdGVzdHM="

// TestAlertTest runs `uptop alert test` against a real receiver.
func TestAlertTest(t *testing.T) {
	t.Parallel()
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(r.URL.Path, "broken") {
			http.Error(w, "no such hook", http.StatusNotFound)
			return
		}
		// A receiver that echoes what it got, secrets included.
		fmt.Fprintf(w, "thanks for %s at %s with %s", bytes.TrimSpace(body)[:10], r.URL, r.Header.Get("Authorization"))
	}))
	t.Cleanup(recv.Close) // after the parallel subtests
	cfg := writeConfig(t, fmt.Sprintf(`
[[alert]]
name = "ops"
type = "webhook"
url = "%[1]s/hook?token=sekrit-token"
secret = %[2]q
headers = { Authorization = "Bearer sekrit-bearer" }

[[alert]]
name = "gone"
type = "webhook"
url = "%[1]s/broken"

[[service]]
name = "Web"
url = "http://127.0.0.1:1/"
`, recv.URL, hookSecret))
	cases := []struct {
		name     string
		args     []string
		code     int
		stdout   string
		stderr   string
		forbid   []string
		notEmpty bool
	}{
		{name: "delivered", args: []string{"alert", "test", "ops", "--config", cfg}, code: exitOK,
			stdout: "ops answered 200", forbid: []string{"sekrit-token", "sekrit-bearer", hookSecret}},
		{name: "flags first", args: []string{"alert", "test", "--config", cfg, "ops"}, code: exitOK, stdout: "ops answered 200"},
		{name: "receiver says 404", args: []string{"alert", "test", "gone", "--config", cfg}, code: exitDown,
			stdout: "gone answered 404", forbid: []string{"sekrit"}},
		{name: "unknown name lists the names", args: []string{"alert", "test", "nope", "--config", cfg}, code: exitConfig,
			stderr: "the names are: ops, gone"},
		{name: "no subcommand", args: []string{"alert", "--config", cfg}, code: exitConfig, stderr: "NAME"},
		{name: "bad config", args: []string{"alert", "test", "ops", "--config", filepath.Join(t.TempDir(), "missing.toml")}, code: exitConfig},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out, errb bytes.Buffer
			code := run(context.Background(), tc.args, strings.NewReader(""), &out, &errb)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out.String(), errb.String())
			}
			if !strings.Contains(out.String(), tc.stdout) || !strings.Contains(errb.String(), tc.stderr) {
				t.Errorf("stdout %q (want %q), stderr %q (want %q)", out.String(), tc.stdout, errb.String(), tc.stderr)
			}
			for _, f := range tc.forbid {
				if strings.Contains(out.String()+errb.String(), f) {
					t.Errorf("a secret (%q) was printed:\n%s%s", f, out.String(), errb.String())
				}
			}
		})
	}
}

// hookEvent is the part of the webhook's JSON event the test reads.
type hookEvent struct {
	Type    string `json:"type"`
	Service string `json:"service"`
	Status  string `json:"status"`
}

// TestServeSendsSignedDownAlert: `uptop serve` with a webhook alert; a
// service that goes down reaches the receiver as a signed down event.
func TestServeSendsSignedDownAlert(t *testing.T) {
	t.Parallel()
	var failing atomic.Bool
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failing.Load() {
			http.Error(w, "down", http.StatusInternalServerError)
		}
	}))
	defer svc.Close()
	got := make(chan *http.Request, 16)
	bodies := make(chan []byte, 16)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- r
		bodies <- b
	}))
	defer recv.Close()
	cfg := writeConfig(t, fmt.Sprintf(`
[http]
listen = "127.0.0.1:0"

[alerting]
group_window = "0s"

[[alert]]
name = "hook"
type = "webhook"
url = %q
secret = %q

[[service]]
name = "Web"
url = %q
interval = "1s"
timeout = "500ms"
fail_threshold = 1
`, recv.URL+"/in", hookSecret, svc.URL))

	base, stop := startServe(t, cfg)
	waitStatus(t, base, "up")
	failing.Store(true)

	var r *http.Request
	var body []byte
	select {
	case r = <-got:
		body = <-bodies
	case <-time.After(15 * time.Second):
		t.Fatal("the receiver got no alert within 15s of the service failing")
	}
	var ev hookEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		t.Fatalf("event JSON: %v\n%s", err, body)
	}
	if ev.Type != "down" || ev.Service != "Web" || ev.Status != "down" {
		t.Errorf("event = %+v, want a down event for Web", ev)
	}
	verifySignature(t, r.Header, body)
	if alerts := get(t, base+"api/v1/alerts"); !strings.Contains(alerts, `"notifier":"hook"`) || strings.Contains(alerts, "whsec_") {
		t.Errorf("/api/v1/alerts = %s, want the delivery and no secret", alerts)
	}
	stop()
}

// verifySignature checks Standard Webhooks' signature independently of the
// alert package: v1,base64(HMAC-SHA256(key, id.timestamp.body)).
func verifySignature(t *testing.T, h http.Header, body []byte) {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(hookSecret, "whsec_"))
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%s.%s", h.Get("webhook-id"), h.Get("webhook-timestamp"), body)
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	for _, sig := range strings.Fields(h.Get("webhook-signature")) {
		if sig == want {
			return
		}
	}
	t.Errorf("webhook-signature %q, want %q (id %q)", h.Get("webhook-signature"), want, h.Get("webhook-id"))
}

func TestDeliveriesFor(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	ds := []alert.Delivery{
		{At: at.Add(3 * time.Minute), Notifier: "ops", Event: "up", Service: "API", Result: "delivered", Attempts: 1},
		{At: at.Add(2 * time.Minute), Notifier: "ops", Event: "down", Service: "3 services", Result: "delivered", Attempts: 1},
		{At: at.Add(time.Minute), Notifier: "ops", Event: "down", Service: "API", Result: "retrying", Attempts: 3},
		{At: at, Notifier: "chat", Event: "down", Service: "API", Result: "failed", Attempts: 9},
	}
	got := deliveriesFor("API", ds, 2)
	if len(got) != 2 || got[0].Event != "up" || got[1].Result != "retrying" || got[1].Attempts != 3 {
		t.Errorf("deliveriesFor(API, limit 2) = %+v; want the up, then the retrying down, newest first", got)
	}
	if got := deliveriesFor("Web", ds, 10); len(got) != 0 {
		t.Errorf("a service with no deliveries got %+v", got)
	}
}
