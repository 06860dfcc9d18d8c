package statusd

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jonboulle/clockwork"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/uptop-dev/uptop/statusd/wire"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// serve starts the handler over f on a loopback listener with a fixed clock.
func serve(t *testing.T, f *fakeSource, opt Options) *httptest.Server {
	t.Helper()
	if opt.Clock == nil {
		opt.Clock = clockwork.NewFakeClockAt(t0)
	}
	if opt.Title == "" {
		opt.Title, opt.Description, opt.Version = "Acme status", "Live status of Acme's services", "v0.0.0-test"
	}
	srv := httptest.NewServer(NewHandler(f, opt))
	// SSE streams (a browser's) only end when their connection does.
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	return srv
}

func get(t *testing.T, url string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req) // no transparent gunzip
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestPageGolden(t *testing.T) {
	t.Parallel()
	srv := serve(t, world(), Options{})
	resp, body := get(t, srv.URL+"/")
	if resp.StatusCode != 200 {
		t.Fatalf("GET / = %d", resp.StatusCode)
	}
	golden := filepath.Join("testdata", "page.golden.html")
	if *update {
		if err := os.WriteFile(golden, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if !bytes.Equal(body, want) {
		t.Errorf("page differs from %s (run go test ./statusd/ -run TestPageGolden -update, then review the diff)", golden)
	}
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	srv := serve(t, world(), Options{})
	tests := []struct {
		name, method, path string
		code               int
		ctype, contains    string
	}{
		{"page", "GET", "/", 200, "text/html", "All systems"[:0] + "Partial outage"},
		{"page escapes names", "GET", "/", 200, "text/html", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"css", "GET", "/static/style.css", 200, "text/css", "prefers-color-scheme"},
		{"js", "GET", "/static/app.js", 200, "javascript", "EventSource"},
		{"healthz", "GET", "/healthz", 200, "application/json", `"status":"ok"`},
		{"status", "GET", "/api/v1/status", 200, "application/json", `"overall":{"status":"partial_outage"`},
		{"service", "GET", "/api/v1/services/api", 200, "application/json", `"samples":[`},
		{"unknown service", "GET", "/api/v1/services/nope", 404, "application/json", `no service with id \"nope\"`},
		{"history", "GET", "/api/v1/services/api/history?step=30m", 200, "application/json", `"p95_ms":`},
		{"checks", "GET", "/api/v1/services/api/checks?limit=5", 200, "application/json", `"duration_ms":42`},
		{"incidents", "GET", "/api/v1/services/db/incidents", 200, "application/json", `"worst":"down"`},
		{"uptime", "GET", "/api/v1/services/api/uptime?window=30d", 200, "application/json", `"window":"30d"`},
		{"sp summary", "GET", "/api/v2/summary.json", 200, "application/json", `"indicator":"major"`},
		{"sp status", "GET", "/api/v2/status.json", 200, "application/json", `"description":"Partial outage"`},
		{"sp components", "GET", "/api/v2/components.json", 200, "application/json", `"status":"degraded_performance"`},
		{"badge status", "GET", "/badge/api/status.svg", 200, "image/svg+xml", ">up</text>"},
		{"badge uptime", "GET", "/badge/api/uptime.svg?window=30d", 200, "image/svg+xml", "uptime 30d"},
		{"badge latency", "GET", "/badge/web/latency.svg", 200, "image/svg+xml", "1.30 s"},
		{"badge bad window", "GET", "/badge/api/uptime.svg?window=2y", 400, "application/json", `"param":"window"`},
		{"badge unknown kind", "GET", "/badge/api/other.svg", 404, "application/json", "status.svg"},
		{"metrics", "GET", "/metrics", 200, "text/plain", "uptop_service_up"},
		{"api 404 is json", "GET", "/api/v9/nothing", 404, "application/json", `"error":"no API route`},
		{"post is 405", "POST", "/api/v1/status", 405, "", ""},
		{"delete page is 405", "DELETE", "/", 405, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.code {
				t.Fatalf("%s %s = %d, want %d: %s", tc.method, tc.path, resp.StatusCode, tc.code, body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, tc.ctype) {
				t.Errorf("Content-Type = %q, want it to contain %q", ct, tc.ctype)
			}
			if !strings.Contains(string(body), tc.contains) {
				t.Errorf("body lacks %q:\n%.600s", tc.contains, body)
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("CSP = %q", csp)
			}
		})
	}
}

func TestNoSecretsAnywhere(t *testing.T) {
	t.Parallel()
	srv := serve(t, world(), Options{})
	paths := []string{"/", "/api/v1/status", "/api/v1/status?samples=5", "/api/v1/services/db", "/api/v1/services/api",
		"/api/v1/services/db/incidents", "/api/v2/summary.json", "/api/v2/components.json", "/metrics", "/badge/db/status.svg"}
	for _, p := range paths {
		_, body := get(t, srv.URL+p)
		for _, secret := range []string{"internal.example", "hunter2", "admin:"} {
			if bytes.Contains(body, []byte(secret)) {
				t.Errorf("%s leaks %q", p, secret)
			}
		}
	}
	// With show_targets the redacted target appears, credentials still not.
	srv2 := serve(t, world(), Options{ShowTargets: true})
	_, body := get(t, srv2.URL+"/api/v1/services/db")
	if !bytes.Contains(body, []byte("db.internal.example")) || bytes.Contains(body, []byte("hunter2")) {
		t.Errorf("show_targets: want target shown and credentials scrubbed:\n%s", body)
	}
}

func TestStatusJSONAndETag(t *testing.T) {
	t.Parallel()
	srv := serve(t, world(), Options{})
	resp, body := get(t, srv.URL+"/api/v1/status")
	var st wire.Status
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatal(err)
	}
	if st.Version != 9 || len(st.Services) != 4 || st.Counts.Down != 1 || st.Title != "Acme status" {
		t.Fatalf("status = %+v", st)
	}
	api := st.Services[0]
	if api.ID != "api" || api.Status != "up" || *api.LatencyMS != 42 || *api.Uptime.H24 != 0.9993 || api.Uptime.D90 == nil || api.Group != "Public API" {
		t.Errorf("api = %+v", api)
	}
	if db := st.Services[2]; db.OpenIncident == nil || db.OpenIncident.End != nil || db.LastCheck == nil {
		t.Errorf("db = %+v", db)
	}
	if xss := st.Services[3]; xss.LatencyMS != nil || xss.Uptime.H24 != nil || xss.LastCheck != nil {
		t.Errorf("a never-checked service must have nulls: %+v", xss)
	}
	etag := resp.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	r2, b2 := get(t, srv.URL+"/api/v1/status", "If-None-Match", etag)
	if r2.StatusCode != http.StatusNotModified || len(b2) != 0 {
		t.Errorf("If-None-Match = %d (%d bytes), want 304 and no body", r2.StatusCode, len(b2))
	}
	r3, _ := get(t, srv.URL+"/api/v1/status", "If-None-Match", `"v1-1"`)
	if r3.StatusCode != 200 {
		t.Errorf("stale If-None-Match = %d, want 200", r3.StatusCode)
	}
	r4, _ := get(t, srv.URL+"/api/v1/status", "Accept-Encoding", "gzip")
	if r4.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("Accept-Encoding gzip: Content-Encoding = %q", r4.Header.Get("Content-Encoding"))
	}
}

func TestBadParameters(t *testing.T) {
	t.Parallel()
	srv := serve(t, world(), Options{})
	tests := []struct{ path, param string }{
		{"/api/v1/services/api/history?from=yesterday", "from"},
		{"/api/v1/services/api/history?to=2026-13-01", "to"},
		{"/api/v1/services/api/history?step=5", "step"},
		{"/api/v1/services/api/history?step=30s", "step"},
		{"/api/v1/services/api/history?from=2026-03-05T00:00:00Z&to=2026-03-04T00:00:00Z", "from"},
		{"/api/v1/services/api/history?from=2020-01-01T00:00:00Z&step=1m", "step"},
		{"/api/v1/services/api/checks?limit=0", "limit"},
		{"/api/v1/services/api/uptime?window=forever", "window"},
		{"/api/v1/status?samples=lots", "samples"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			resp, body := get(t, srv.URL+tc.path)
			var e apiError
			_ = json.Unmarshal(body, &e)
			if resp.StatusCode != 400 || e.Param != tc.param || !strings.Contains(e.Error, tc.param) {
				t.Errorf("= %d %s, want 400 naming %q", resp.StatusCode, body, tc.param)
			}
		})
	}
}

func TestMetricsParse(t *testing.T) {
	t.Parallel()
	srv := serve(t, world(), Options{})
	_, body := get(t, srv.URL+"/metrics")
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	for _, name := range []string{"uptop_service_up", "uptop_service_latency_seconds", "uptop_service_uptime_ratio",
		"uptop_service_checks_total", "uptop_service_failures_total", "uptop_service_check_duration_seconds",
		"go_goroutines", "process_cpu_seconds_total"} {
		if fams[name] == nil {
			t.Errorf("no %s in /metrics", name)
		}
	}
	up := map[string]float64{}
	for _, m := range fams["uptop_service_up"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "service" {
				up[l.GetValue()] = m.GetGauge().GetValue()
			}
		}
	}
	if up["api"] != 1 || up["web"] != 1 || up["db"] != 0 || len(up) != 3 {
		t.Errorf("uptop_service_up = %v, want api=1 web=1 db=0 and no unknown xss", up)
	}
	var dbChecks float64
	for _, m := range fams["uptop_service_failures_total"].GetMetric() {
		if m.GetLabel()[1].GetValue() == "Database" || m.GetLabel()[2].GetValue() == "db" {
			dbChecks = m.GetCounter().GetValue()
		}
	}
	if dbChecks != 10 {
		t.Errorf("db failures_total = %v, want the 10 failed samples in its ring", dbChecks)
	}
}
