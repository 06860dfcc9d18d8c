package statusd

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/uptop-dev/uptop/probe"
)

const pushTok = "tok-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"

func TestPushHandler(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, method, path, body string
		code                     int
		recorded                 bool
		down                     bool
		msg                      string
	}{
		{name: "heartbeat", method: "POST", path: "/api/v1/push/" + pushTok, code: 200, recorded: true},
		{name: "explicit up", method: "POST", path: "/api/v1/push/" + pushTok + "?status=up", code: 200, recorded: true},
		{name: "down with msg", method: "POST", path: "/api/v1/push/" + pushTok + "?status=down&msg=disk+full%0Aline2", code: 200, recorded: true, down: true, msg: "disk full line2"},
		{name: "form body", method: "POST", path: "/api/v1/push/" + pushTok, body: "status=down&msg=exit+3", code: 200, recorded: true, down: true, msg: "exit 3"},
		{name: "GET", method: "GET", path: "/api/v1/push/" + pushTok, code: 405},
		{name: "unknown token", method: "POST", path: "/api/v1/push/nope", code: 404},
		{name: "token prefix", method: "POST", path: "/api/v1/push/" + pushTok[:10], code: 404},
		{name: "bad status", method: "POST", path: "/api/v1/push/" + pushTok + "?status=sideways", code: 400},
		{name: "huge query", method: "POST", path: "/api/v1/push/" + pushTok + "?msg=" + strings.Repeat("x", 3000), code: 414},
		{name: "huge body", method: "POST", path: "/api/v1/push/" + pushTok, body: "msg=" + strings.Repeat("x", 5000), code: 413},
		{name: "long msg capped", method: "POST", path: "/api/v1/push/" + pushTok + "?status=down&msg=" + strings.Repeat("y", 500), code: 200, recorded: true, down: true, msg: strings.Repeat("y", 200) + "…"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			book := probe.NewPushBook(clockwork.NewFakeClock())
			mux := http.NewServeMux()
			h := PushHandler(book, map[string]string{pushTok: "backup"})
			mux.Handle("POST /api/v1/push/{token}", h)
			mux.Handle("GET /api/v1/push/{token}", h)
			srv := httptest.NewServer(mux)
			t.Cleanup(srv.Close)
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.code {
				t.Fatalf("status %d (%s), want %d", resp.StatusCode, body, tc.code)
			}
			if strings.Contains(string(body), pushTok) || strings.Contains(string(body), "backup") {
				t.Fatalf("the answer names the token or the service: %s", body)
			}
			p, ok := book.Last("backup")
			if ok != tc.recorded || p.Down != tc.down || p.Msg != tc.msg {
				t.Fatalf("recorded=%v %+v, want recorded=%v down=%v msg=%q", ok, p, tc.recorded, tc.down, tc.msg)
			}
		})
	}
}

func TestPushHandlerUnknownAndMissingAlike(t *testing.T) {
	t.Parallel()
	h := PushHandler(probe.NewPushBook(nil), map[string]string{pushTok: "backup"})
	answer := func(path string) string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("POST", "/api/v1/push/"+url.PathEscape(path), nil))
		return rec.Body.String() + rec.Result().Status
	}
	if a, b := answer("wrong"), answer(""); a != b {
		t.Fatalf("an unknown token (%q) and none (%q) must look the same", a, b)
	}
}

// TestPushHandlerFeedsChecker: what the endpoint records is what the push
// checker judges, on the same fake clock.
func TestPushHandlerFeedsChecker(t *testing.T) {
	t.Parallel()
	clock := clockwork.NewFakeClock()
	book := probe.NewPushBook(clock)
	c, err := probe.NewPushFactory(book)(probe.Target{ID: "backup", Kind: "push", Interval: time.Minute,
		Push: probe.PushOptions{Every: time.Hour, Grace: time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	h := PushHandler(book, map[string]string{pushTok: "backup"})
	post := func(query string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("POST", "/api/v1/push/"+pushTok+query, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("push%s: status %d", query, rec.Code)
		}
	}
	post("")
	clock.Advance(30 * time.Minute)
	if r := c.Check(context.Background()); !r.OK || r.Warning != "" {
		t.Fatalf("after a push: %+v", r)
	}
	post("?status=down&msg=dump+failed")
	if r := c.Check(context.Background()); r.OK || r.Err != "the job reported down: dump failed" {
		t.Fatalf("after a down push: OK=%v Err=%q", r.OK, r.Err)
	}
	clock.Advance(2 * time.Hour)
	if r := c.Check(context.Background()); r.OK || !strings.HasPrefix(r.Err, "no push for 2h0m0s") {
		t.Fatalf("after silence: OK=%v Err=%q", r.OK, r.Err)
	}
}
