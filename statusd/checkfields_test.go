package statusd

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

// kindsWorld has one service per kind whose measurements issue 6 added:
// a TLS check with a warning, a ping and a DNS check.
func kindsWorld() *fakeSource {
	spec := func(id, kind, target string) store.Spec {
		return store.Spec{ID: id, Name: id, Kind: kind, Target: target, Interval: 30 * time.Second, Timeout: 5 * time.Second, FailThreshold: 1}
	}
	expiry := t0.Add(9 * 24 * time.Hour)
	warn := "certificate for vault.internal.example expires in 9 days"
	svcs := []*store.ServiceState{
		{Spec: spec("cert", "tls", "vault.internal.example:443"), Status: store.Degraded, Since: t0.Add(-time.Hour),
			LastCheck: t0.Add(-time.Second), LastLatency: 40 * time.Millisecond, CertExpiry: expiry,
			CertIssuer: "Let's Encrypt R3", LastWarning: warn, Version: 3},
		{Spec: spec("gw", "icmp", "10.0.0.1"), Status: store.Up, Since: t0.Add(-time.Hour), LastCheck: t0.Add(-time.Second),
			LastLatency: 300 * time.Microsecond, Version: 3},
		{Spec: spec("mx", "dns", "example.com"), Status: store.Down, Since: t0.Add(-time.Minute), LastCheck: t0.Add(-time.Second),
			LastLatency: 2 * time.Millisecond, LastCode: 3, LastError: "NXDOMAIN", Version: 3},
	}
	f := &fakeSource{subs: map[chan struct{}]bool{}, days: map[string][]store.Day{}, buckets: map[string][]store.Bucket{},
		results: map[string][]probe.Result{}}
	f.snap = store.NewSnapshot(3, t0, svcs)
	f.results["cert"] = []probe.Result{{ServiceID: "cert", Start: t0.Add(-time.Second), Duration: 40 * time.Millisecond, OK: true,
		Phases:     probe.Phases{DNS: time.Millisecond, Connect: 4 * time.Millisecond, TLS: 30 * time.Millisecond},
		CertExpiry: expiry, CertIssuer: "Let's Encrypt R3", ChainValid: true, Warning: warn}}
	f.results["gw"] = []probe.Result{{ServiceID: "gw", Start: t0.Add(-time.Second), Duration: 300 * time.Microsecond, OK: true,
		Loss: 1.0 / 3, Warning: "lost 1 of 3 packets"}}
	return f
}

// TestCheckFieldsJSON decodes into maps: the keys themselves are the
// contract, so a renamed tag fails here.
func TestCheckFieldsJSON(t *testing.T) {
	t.Parallel()
	srv := serve(t, kindsWorld(), Options{})
	scenarios := []struct {
		path string
		want map[string]any // key → value; nil value: the key must be absent
	}{
		{"/api/v1/services/cert", map[string]any{"kind": "tls", "cert_expiry": "2026-03-13T12:00:00Z",
			"cert_issuer": "Let's Encrypt R3", "last_warning": "certificate for [host] expires in 9 days", "loss": nil}},
		{"/api/v1/services/gw", map[string]any{"kind": "icmp", "loss": 0.0, "cert_expiry": nil, "cert_issuer": nil, "last_warning": nil}},
		{"/api/v1/services/mx", map[string]any{"kind": "dns", "code": 3.0, "last_error": "NXDOMAIN", "loss": nil}},
		{"/api/v1/services/cert/checks", map[string]any{"warning": "certificate for [host] expires in 9 days",
			"cert_issuer": "Let's Encrypt R3", "chain_valid": true, "phases": map[string]any{"dns_ms": 1.0, "connect_ms": 4.0, "tls_ms": 30.0}, "loss": nil}},
		{"/api/v1/services/gw/checks", map[string]any{"loss": 0.3333, "warning": "lost 1 of 3 packets", "chain_valid": nil}},
	}
	for _, sc := range scenarios {
		t.Run(sc.path, func(t *testing.T) {
			t.Parallel()
			resp, body := get(t, srv.URL+sc.path)
			if resp.StatusCode != 200 {
				t.Fatalf("GET %s = %d: %s", sc.path, resp.StatusCode, body)
			}
			if strings.Contains(string(body), "internal.example") || strings.Contains(string(body), "10.0.0.1") {
				t.Errorf("%s leaks the target: %s", sc.path, body)
			}
			var got map[string]any
			if strings.HasSuffix(sc.path, "/checks") {
				var list []map[string]any
				if err := json.Unmarshal(body, &list); err != nil || len(list) != 1 {
					t.Fatalf("checks = %s (%v), want one", body, err)
				}
				got = list[0]
			} else if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			for k, want := range sc.want {
				v, ok := got[k]
				if want == nil {
					if ok {
						t.Errorf("%s: %q = %v, want it absent", sc.path, k, v)
					}
					continue
				}
				wb, _ := json.Marshal(want)
				vb, _ := json.Marshal(v)
				if string(wb) != string(vb) {
					t.Errorf("%s: %q = %s, want %s", sc.path, k, vb, wb)
				}
			}
		})
	}
}
