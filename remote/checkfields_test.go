package remote

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/statusd"
	"github.com/uptop-dev/uptop/store"
)

// TestClientMapsCheckFields: what the TLS and ping checks measure reaches
// the remote TUI, in the first snapshot, over SSE, and in Results.
func TestClientMapsCheckFields(t *testing.T) {
	t.Parallel()
	specs := []store.Spec{
		{ID: "cert", Name: "Cert", Kind: "tls", Target: "vault.example:443", Interval: time.Second, Timeout: time.Second, FailThreshold: 1},
		{ID: "gw", Name: "Gateway", Kind: "icmp", Target: "gw.example", Interval: time.Second, Timeout: time.Second, FailThreshold: 1},
	}
	st, err := store.Open(specs, store.Options{Path: filepath.Join(t.TempDir(), "u.db"), Node: "n1", PublishEvery: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(statusd.NewHandler(daemonSource{st}, statusd.Options{Title: "t", Heartbeat: 100 * time.Millisecond}))
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })

	now := time.Now().Add(-5 * time.Second).Truncate(time.Millisecond)
	expiry := now.Add(9 * 24 * time.Hour).UTC()
	cert := probe.Result{ServiceID: "cert", Node: "n1", Start: now, Duration: 40 * time.Millisecond, OK: true,
		Phases:     probe.Phases{Connect: 5 * time.Millisecond, TLS: 30 * time.Millisecond},
		CertExpiry: expiry, CertIssuer: "Let's Encrypt R3", ChainValid: true, Warning: "certificate expires in 9 days"}
	st.Ingest(cert)
	waitStore(t, st, "cert", now)

	c, err := Dial(context.Background(), srv.URL, Options{MinBackoff: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got, _ := c.Snapshot().Service("cert")
	if got.Kind != "tls" || got.Status != store.Degraded || got.LastWarning != cert.Warning || got.CertIssuer != cert.CertIssuer ||
		!got.CertExpiry.Equal(expiry) || got.LastPhases != cert.Phases {
		t.Errorf("cert over HTTP = kind %q %v warning %q issuer %q expiry %v phases %+v; want %+v",
			got.Kind, got.Status, got.LastWarning, got.CertIssuer, got.CertExpiry, got.LastPhases, cert)
	}

	// A ping arrives over SSE with its loss.
	ping := probe.Result{ServiceID: "gw", Node: "n1", Start: now.Add(time.Second), Duration: time.Millisecond, OK: true,
		Loss: 1.0 / 3, Warning: "lost 1 of 3 packets"}
	st.Ingest(ping)
	waitFor(t, c, "gw degraded", func(s *store.Snapshot) bool { g, _ := s.Service("gw"); return g.Status == store.Degraded })
	gw, _ := c.Snapshot().Service("gw")
	if gw.Loss != 0.3333 || gw.LastWarning != "lost 1 of 3 packets" || gw.Kind != "icmp" {
		t.Errorf("gw over SSE = loss %v warning %q kind %q, want 0.3333 (rounded), the warning, icmp", gw.Loss, gw.LastWarning, gw.Kind)
	}

	if err := st.Sync(); err != nil {
		t.Fatal(err)
	}
	res, err := c.Results(context.Background(), "cert", time.Time{}, time.Time{}, 10)
	if err != nil || len(res) != 1 {
		t.Fatalf("Results = %+v, %v", res, err)
	}
	if r := res[0]; r.Warning != cert.Warning || r.CertIssuer != cert.CertIssuer || !r.ChainValid || r.Phases != cert.Phases || !r.CertExpiry.Equal(expiry) {
		t.Errorf("remote check = %+v, want the fields of %+v", r, cert)
	}
	pr, err := c.Results(context.Background(), "gw", time.Time{}, time.Time{}, 10)
	if err != nil || len(pr) != 1 || pr[0].Loss != 0.3333 || pr[0].Warning != ping.Warning {
		t.Errorf("remote ping checks = %+v, %v", pr, err)
	}
}
