package alert

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// receiver is a real loopback HTTP server that records what it was sent.
type receiver struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []captured
	got  chan captured
	// answer decides the reply to request n (0-based); nil = 200 "ok".
	answer func(n int, w http.ResponseWriter, r *http.Request)
}

type captured struct {
	Method, Path string
	Header       http.Header
	Body         []byte
}

func newReceiver(t *testing.T, answer func(n int, w http.ResponseWriter, r *http.Request)) *receiver {
	rc := &receiver{got: make(chan captured, 1000), answer: answer}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		c := captured{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: b}
		rc.mu.Lock()
		n := len(rc.reqs)
		rc.reqs = append(rc.reqs, c)
		rc.mu.Unlock()
		if rc.answer != nil {
			rc.answer(n, w, r)
		} else {
			io.WriteString(w, "ok")
		}
		rc.got <- c
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) requests() []captured {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]captured(nil), rc.reqs...)
}

var goldenHeaders = []string{"Content-Type", "Title", "Priority", "Tags", "Click", "Authorization", "X-Team"}

// dump is the golden form of a request: method, path, chosen headers and
// the body, indented when it is JSON.
func (c captured) dump() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", c.Method, c.Path)
	for _, h := range goldenHeaders {
		if v := c.Header.Get(h); v != "" {
			fmt.Fprintf(&b, "%s: %s\n", h, v)
		}
	}
	b.WriteString("\n")
	var out bytes.Buffer
	if json.Indent(&out, c.Body, "", "  ") == nil {
		b.Write(out.Bytes())
	} else {
		b.Write(c.Body)
	}
	b.WriteString("\n")
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./alert -update to create it)", err)
	}
	if got != string(want) {
		t.Fatalf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

var at = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// sampleMessages are the cases every notifier's golden file shows.
func sampleMessages() map[string]Message {
	down := Event{ID: "evt_down1", Kind: KindDown, ServiceID: "api", Service: "API", Status: store.Down, Previous: store.Up,
		At: at, Error: "connection refused", Latency: 12 * time.Millisecond}
	up := Event{ID: "evt_up1", Kind: KindUp, ServiceID: "api", Service: "API", Status: store.Up, Previous: store.Down,
		At: at.Add(5 * time.Minute), Duration: 5*time.Minute + 3*time.Second, Error: "connection refused", Latency: 40 * time.Millisecond}
	router := Event{ID: "evt_r", Kind: KindDown, ServiceID: "router", Service: "Core <router>", Status: store.Down, Previous: store.Up,
		At: at, Dependents: []string{"API", "DB"}}
	db := down
	db.ID, db.ServiceID, db.Service = "evt_db", "db", "DB"
	mk := func(k Kind, evs ...Event) Message {
		m, err := buildMessage(newNotification("n", k, evs), nil, "https://status.example.com/")
		if err != nil {
			panic(err)
		}
		return m
	}
	return map[string]Message{"1-down": mk(KindDown, down), "2-up": mk(KindUp, up), "3-group": mk(KindDown, db, router)}
}

func TestNotifierPayloads(t *testing.T) {
	t.Parallel()
	cases := []NotifierConfig{
		{Name: "hook", Type: "webhook", Headers: map[string]string{"X-Team": "sre"}},
		{Name: "slack", Type: "slack"},
		{Name: "discord", Type: "discord"},
		{Name: "teams", Type: "teams"},
		{Name: "telegram", Type: "telegram", Token: "123456:SECRET-token", ChatID: "-1001"},
		{Name: "ntfy", Type: "ntfy", Token: "tk_secret", Priority: 5},
	}
	for _, c := range cases {
		t.Run(c.Type, func(t *testing.T) {
			t.Parallel()
			rc := newReceiver(t, nil)
			c.URL = rc.URL + "/hook/" + c.Type
			if c.Type == "telegram" {
				c.URL = rc.URL
			}
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
			n, err := registry[c.Type](c, rc.Client())
			if err != nil {
				t.Fatal(err)
			}
			msgs := sampleMessages()
			keys := make([]string, 0, len(msgs))
			for k := range msgs {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var all strings.Builder
			for _, k := range keys {
				resp, err := n.Send(context.Background(), msgs[k])
				if err != nil || resp.Code != 200 {
					t.Fatalf("Send %s: %v %+v", k, err, resp)
				}
				fmt.Fprintf(&all, "=== %s\n%s", k, (<-rc.got).dump())
			}
			got := all.String()
			if c.Token != "" {
				got = strings.ReplaceAll(got, c.Token, "TOKEN")
			}
			golden(t, c.Type, got)
		})
	}
}
