package wire

import (
	"testing"
	"time"

	"github.com/uptop-dev/uptop/probe"
)

func TestResultRoundTrip(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	scenarios := []struct {
		name, kind string
		in         probe.Result
		want       probe.Result // after FromResult then ToResult
	}{
		{"tls chain invalid stays false", "tls",
			probe.Result{Start: at, OK: false, Err: "x509: unknown authority", CertExpiry: at.Add(time.Hour), CertIssuer: "Evil CA"},
			probe.Result{Start: at, OK: false, Err: "x509: unknown authority", CertExpiry: at.Add(time.Hour), CertIssuer: "Evil CA"}},
		{"tls chain valid with a warning", "tls",
			probe.Result{Start: at, OK: true, CertExpiry: at.Add(time.Hour), ChainValid: true, Warning: "certificate expires in 1 hour"},
			probe.Result{Start: at, OK: true, CertExpiry: at.Add(time.Hour), ChainValid: true, Warning: "certificate expires in 1 hour"}},
		{"ping loss", "icmp", probe.Result{Start: at, OK: true, Loss: 0.5}, probe.Result{Start: at, OK: true, Loss: 0.5}},
		{"loss is only a ping's", "http", probe.Result{Start: at, OK: true, Loss: 0.5}, probe.Result{Start: at, OK: true}},
		{"dns rcode", "dns", probe.Result{Start: at, Code: 3, Err: "NXDOMAIN"}, probe.Result{Start: at, Code: 3, Err: "NXDOMAIN"}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			c := FromResult(sc.in, sc.kind, "", true)
			got := ToResult("", c)
			if got != sc.want {
				t.Errorf("round trip = %+v, want %+v (wire %+v)", got, sc.want, c)
			}
			if (c.ChainValid != nil) != !sc.in.CertExpiry.IsZero() {
				t.Errorf("chain_valid present = %v, want only with a certificate", c.ChainValid != nil)
			}
		})
	}
}
