package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	testPassword = "hunter2-correct-horse"
	testToken    = "Bearer s3cr3t-t0ken-value"
)

// optionsMux answers only what an option-laden check should send.
func optionsMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || string(body) != `{"q":1}` || r.Header.Get("Authorization") != testToken || r.Host != "api.internal" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.Header().Set("X-Version", "v2.3.1")
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"ok","db":{"latency_ms":12.5,"up":true},"items":[1,2,3],"version":"2.3.1"}`)
	})
	mux.HandleFunc("/auth", func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "me" || p != testPassword {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		io.WriteString(w, "welcome")
	})
	mux.HandleFunc("/text", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "build 2024-05-01 ok") })
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/text", http.StatusFound) })
	return mux
}

func TestHTTPOptions(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(optionsMux())
	t.Cleanup(srv.Close)
	echo := HTTPOptions{Method: "post", Body: `{"q":1}`, Headers: map[string]string{"Authorization": testToken, "Host": "api.internal"}}
	with := func(f func(o *HTTPOptions)) HTTPOptions {
		o := echo
		f(&o)
		return o
	}
	scenarios := map[string]struct {
		path string
		opt  HTTPOptions
		err  string // "" means up
		code int
	}{
		"method body headers host": {path: "/echo", opt: echo, code: 200},
		"missing header":           {path: "/echo", opt: HTTPOptions{Method: "POST", Body: `{"q":1}`}, err: "status 400", code: 400},
		"basic auth":               {path: "/auth", opt: HTTPOptions{BasicAuth: &BasicAuth{User: "me", Password: testPassword}}, code: 200},
		"basic auth wrong":         {path: "/auth", opt: HTTPOptions{BasicAuth: &BasicAuth{User: "me", Password: testPassword + "x"}}, err: "status 401", code: 401},
		"regex match":              {path: "/text", opt: HTTPOptions{BodyRegex: `build \d{4}-\d\d-\d\d ok`}, code: 200},
		"regex mismatch":           {path: "/text", opt: HTTPOptions{BodyRegex: `^ok$`}, err: `body does not match "^ok$"`, code: 200},
		"redirect followed":        {path: "/moved", opt: HTTPOptions{BodyContains: "build"}, code: 200},
		"redirect not followed":    {path: "/moved", opt: HTTPOptions{NoRedirects: true}, code: 302},
		"expect header":            {path: "/echo", opt: with(func(o *HTTPOptions) { o.ExpectHeader = map[string]string{"x-version": "v2."} }), code: 200},
		"expect header value":      {path: "/echo", opt: with(func(o *HTTPOptions) { o.ExpectHeader = map[string]string{"X-Version": "v3"} }), err: `header X-Version does not contain "v3"`, code: 200},
		"expect header missing":    {path: "/echo", opt: with(func(o *HTTPOptions) { o.ExpectHeader = map[string]string{"X-Build": "1"} }), err: "response has no X-Build header", code: 200},
		"json all pass": {path: "/echo", code: 200, opt: with(func(o *HTTPOptions) {
			o.JSON = []JSONCheck{{Path: "status", Op: "equals", Value: "ok"}, {Path: "db.latency_ms", Op: "lt", Number: 50},
				{Path: "items.#", Op: "gt", Number: 2}, {Path: "db.up", Op: "equals", Value: "true"}, {Path: "version", Op: "contains", Value: "2.3"},
				{Path: "items.2", Op: "equals", Value: "3.0"}, {Path: "db", Op: "exists"}}
		})},
		"json equals fails": {path: "/echo", code: 200, err: `json status is "ok", expected "healthy"`, opt: with(func(o *HTTPOptions) {
			o.JSON = []JSONCheck{{Path: "status", Op: "equals", Value: "healthy"}}
		})},
		"json lt fails": {path: "/echo", code: 200, err: "json db.latency_ms is 12.5, expected less than 10", opt: with(func(o *HTTPOptions) {
			o.JSON = []JSONCheck{{Path: "db.latency_ms", Op: "lt", Number: 10}}
		})},
		"json gt not a number": {path: "/echo", code: 200, err: `json status is "ok", not a number`, opt: with(func(o *HTTPOptions) {
			o.JSON = []JSONCheck{{Path: "status", Op: "gt", Number: 1}}
		})},
		"json missing": {path: "/echo", code: 200, err: "json db.conns is missing", opt: with(func(o *HTTPOptions) {
			o.JSON = []JSONCheck{{Path: "db.conns", Op: "exists"}}
		})},
		"json on text": {path: "/text", code: 200, err: "body is not valid JSON", opt: HTTPOptions{JSON: []JSONCheck{{Path: "a", Op: "exists"}}}},
		"ip 4":         {path: "/text", opt: HTTPOptions{IP: "4"}, code: 200},
	}
	for name, sc := range scenarios {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := mustHTTP(t, Target{Address: srv.URL + sc.path, Timeout: 2 * time.Second, HTTP: sc.opt})
			r := c.Check(context.Background())
			if r.OK != (sc.err == "") || !strings.Contains(r.Err, sc.err) || r.Code != sc.code {
				t.Fatalf("OK=%v Code=%d Err=%q, want code %d and error %q", r.OK, r.Code, r.Err, sc.code, sc.err)
			}
			if strings.Contains(r.Err, testPassword) || strings.Contains(r.Err, "s3cr3t") {
				t.Fatalf("a secret leaked into Err: %q", r.Err)
			}
		})
	}
}

func TestHTTPSecretsNeverInErr(t *testing.T) {
	t.Parallel()
	c := mustHTTP(t, Target{Address: "http://" + deadPort(t) + "/", Timeout: time.Second, HTTP: HTTPOptions{
		Headers: map[string]string{"X-Api-Key": "k3y-abcdef"}, BasicAuth: &BasicAuth{User: "u", Password: testPassword}}})
	r := c.Check(context.Background())
	if r.OK || r.Err == "" {
		t.Fatalf("a dead port answered: %+v", r)
	}
	if got := c.scrub("echo k3y-abcdef and " + testPassword); strings.Contains(got, "k3y-abcdef") || strings.Contains(got, testPassword) {
		t.Fatalf("scrub left a secret: %q", got)
	}
	if _, err := NewHTTPChecker(Target{Kind: "http", Address: "http://x/", HTTP: HTTPOptions{
		Headers: map[string]string{"Bad Name": testToken}}}); err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("bad header name: err %v, want an error without the value", err)
	}
}

func TestHTTPInsecureSkipVerify(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	now := time.Now()
	srv := startTLSServer(t, p.leaf(t, "", now.Add(-time.Hour), now.Add(48*time.Hour), true))
	c := mustHTTP(t, Target{Address: srv.URL + "/", Timeout: 2 * time.Second, TLS: TLSOptions{ExpiryWarn: 72 * time.Hour},
		HTTP: HTTPOptions{InsecureSkipVerify: true}})
	r := c.Check(context.Background())
	if !r.OK || r.ChainValid || r.CertExpiry.IsZero() {
		t.Fatalf("OK=%v ChainValid=%v CertExpiry=%v Err=%q; want up, chain invalid, expiry known", r.OK, r.ChainValid, r.CertExpiry, r.Err)
	}
	if !strings.HasPrefix(r.Warning, "certificate expires in 1 day") {
		t.Fatalf("Warning=%q: an accepted certificate still warns before it expires", r.Warning)
	}
}

func TestHTTPClientCertificate(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	now := time.Now()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.TLS.PeerCertificates[0].Subject.CommonName)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{p.leaf(t, "", now.Add(-time.Hour), now.Add(time.Hour), false)},
		ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: p.pool}
	srv.Config.ErrorLog = discardLog()
	srv.StartTLS()
	t.Cleanup(srv.Close)
	client := p.leaf(t, "", now.Add(-time.Hour), now.Add(time.Hour), false)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem")
	keyDER, err := x509.MarshalPKCS8PrivateKey(client.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: client.Certificate[0]}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600)

	for name, opt := range map[string]HTTPOptions{"with": {ClientCert: certFile, ClientKey: keyFile, BodyContains: "leaf"}, "without": {}} {
		c, err := newHTTPChecker(Target{Kind: "http", Address: srv.URL + "/", Timeout: 2 * time.Second, HTTP: opt}, &tls.Config{RootCAs: p.pool})
		if err != nil {
			t.Fatal(err)
		}
		r := c.Check(context.Background())
		if r.OK != (name == "with") {
			t.Errorf("%s a client certificate: OK=%v Err=%q", name, r.OK, r.Err)
		}
	}
	if _, err := NewHTTPChecker(Target{Kind: "http", Address: srv.URL, HTTP: HTTPOptions{ClientCert: certFile, ClientKey: filepath.Join(dir, "nope.pem")}}); err == nil {
		t.Error("a missing key file was accepted")
	}
}

func TestHTTPOptionsValidate(t *testing.T) {
	t.Parallel()
	for name, o := range map[string]HTTPOptions{
		"method":    {Method: "GE T"},
		"regex":     {BodyRegex: "(["},
		"json op":   {JSON: []JSONCheck{{Path: "a", Op: "matches"}}},
		"json path": {JSON: []JSONCheck{{Op: "exists"}}},
		"ip":        {IP: "5"},
		"cert only": {ClientCert: "c.pem"},
	} {
		if _, err := NewHTTPChecker(Target{Kind: "http", Address: "http://x/", HTTP: o}); err == nil {
			t.Errorf("%s: accepted %+v", name, o)
		}
	}
}

// TestHTTPIPFamily: a server on ::1 is up over IPv6 and has no address
// over IPv4.
func TestHTTPIPFamily(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	}
	srv := httptest.NewUnstartedServer(optionsMux())
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	for ip, wantErr := range map[string]string{"6": "", "4": `the host has no IPv4 address (ip = "4")`} {
		r := mustHTTP(t, Target{Address: srv.URL + "/text", Timeout: 2 * time.Second, HTTP: HTTPOptions{IP: ip}}).Check(context.Background())
		if r.OK != (wantErr == "") || r.Err != wantErr {
			t.Errorf("ip %q: OK=%v Err=%q, want %q", ip, r.OK, r.Err, wantErr)
		}
	}
}
