package alert

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// verifyStandardWebhook is written from the spec, independently of sign:
// signed content is "{webhook-id}.{webhook-timestamp}.{body}", the key is
// the base64 part of a whsec_ secret, and the header holds space-separated
// "v1,<base64>" signatures.
func verifyStandardWebhook(secret string, h http.Header, body []byte, now time.Time) bool {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return false
	}
	ts, err := strconv.ParseInt(h.Get("webhook-timestamp"), 10, 64)
	if err != nil || now.Sub(time.Unix(ts, 0)).Abs() > 5*time.Minute {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(h.Get("webhook-id") + "." + h.Get("webhook-timestamp") + "." + string(body)))
	want := mac.Sum(nil)
	for _, sig := range strings.Fields(h.Get("webhook-signature")) {
		v, b64, ok := strings.Cut(sig, ",")
		got, err := base64.StdEncoding.DecodeString(b64)
		if ok && v == "v1" && err == nil && hmac.Equal(got, want) {
			return true
		}
	}
	return false
}

func TestWebhookSignature(t *testing.T) {
	t.Parallel()
	secret := "whsec_" + base64.StdEncoding.EncodeToString([]byte("a very secret key of 32 bytes!!!"))
	rc := newReceiver(t, nil)
	c := NotifierConfig{Name: "hook", Type: "webhook", URL: rc.URL, Secret: secret}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	n, err := newWebhook(c, rc.Client())
	if err != nil {
		t.Fatal(err)
	}
	m := sampleMessages()["1-down"]
	if _, err := n.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := <-rc.got
	if got.Header.Get("webhook-id") != m.ID {
		t.Fatalf("webhook-id = %q, want the notification id %q", got.Header.Get("webhook-id"), m.ID)
	}
	if !verifyStandardWebhook(secret, got.Header, got.Body, time.Now()) {
		t.Fatalf("signature does not verify: %v", got.Header)
	}
	tampered := append([]byte(nil), got.Body...)
	tampered[len(tampered)-2] ^= 1
	if verifyStandardWebhook(secret, got.Header, tampered, time.Now()) {
		t.Fatal("a tampered body verified")
	}
	var body map[string]any
	if err := json.Unmarshal(got.Body, &body); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "type", "service", "status", "previous_status", "time", "duration", "error", "latency_ms", "page_url"} {
		if _, ok := body[k]; !ok {
			t.Errorf("documented field %q missing from %s", k, got.Body)
		}
	}
	if strings.Contains(string(got.Body), "secret") {
		t.Fatal("the secret leaked into the body")
	}
}

func TestWebhookRejectsBadSecret(t *testing.T) {
	t.Parallel()
	if _, err := newWebhook(NotifierConfig{Name: "h", Type: "webhook", URL: "http://x", Secret: "whsec_***"}, http.DefaultClient); err == nil {
		t.Fatal("a whsec_ secret that is not base64 was accepted")
	}
}

func TestSecretsNeverInErrors(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte("bad request for " + r.URL.Path)) // receivers echo the path
	})
	closed := newReceiver(t, nil)
	closed.Close()
	const token = "987654:TOPSECRET"
	for _, base := range []string{rc.URL, closed.URL} {
		n, err := newTelegram(NotifierConfig{Name: "tg", Type: "telegram", URL: base, Token: token, ChatID: "1"}, rc.Client())
		if err != nil {
			t.Fatal(err)
		}
		resp, err := n.Send(context.Background(), sampleMessages()["1-down"])
		if err == nil {
			t.Fatal("Send succeeded against a failing receiver")
		}
		for _, s := range []string{err.Error(), resp.Body, n.(*Telegram).String()} {
			if strings.Contains(s, "TOPSECRET") || strings.Contains(s, token) {
				t.Fatalf("token leaked: %q", s)
			}
		}
		if se, ok := err.(*SendError); base == rc.URL && (!ok || !se.Permanent || se.Code != 400) {
			t.Fatalf("400 should be a permanent SendError, got %#v", err)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := map[string]time.Duration{
		"":                              0,
		"120":                           2 * time.Minute,
		"1.5":                           1500 * time.Millisecond,
		"Sun, 01 Mar 2026 12:00:30 GMT": 30 * time.Second,
		"Sun, 01 Mar 2026 11:00:00 GMT": 0,
		"soon":                          0,
	}
	for in, want := range cases {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			if got := retryAfter(in, now); got != want {
				t.Fatalf("retryAfter(%q) = %v, want %v", in, got, want)
			}
		})
	}
}
