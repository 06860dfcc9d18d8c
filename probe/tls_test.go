package probe

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// testPKI is a certificate authority made for one test run.
type testPKI struct {
	ca   *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

func newPKI(t testing.TB) *testPKI {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "uptop test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return &testPKI{ca: ca, key: key, pool: pool}
}

// leaf issues a certificate for 127.0.0.1 (or dnsName when set) valid from
// notBefore to notAfter; selfSigned signs it with its own key instead.
func (p *testPKI) leaf(t testing.TB, dnsName string, notBefore, notAfter time.Time, selfSigned bool) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "leaf"},
		NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	if dnsName != "" {
		tmpl.DNSNames = []string{dnsName}
	} else {
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	}
	parent, signer := p.ca, any(p.key)
	if selfSigned {
		tmpl.Issuer = tmpl.Subject
		parent, signer = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

type certCase struct {
	cert       tls.Certificate
	ok         bool
	warn, err  string
	chainValid bool
}

// certCases are the certificates every TLS-speaking checker is tried with.
func certCases(t testing.TB, p *testPKI) map[string]certCase {
	now := time.Now()
	day := 24 * time.Hour
	return map[string]certCase{
		"valid":           {cert: p.leaf(t, "", now.Add(-day), now.Add(90*day), false), ok: true, chainValid: true},
		"expiring in 10d": {cert: p.leaf(t, "", now.Add(-day), now.Add(10*day), false), ok: true, chainValid: true, warn: "certificate expires in 9 days"},
		"expired":         {cert: p.leaf(t, "", now.Add(-90*day), now.Add(-day), false), err: "x509: certificate has expired on "},
		"wrong host":      {cert: p.leaf(t, "example.com", now.Add(-day), now.Add(90*day), false), err: "x509: cannot validate certificate for 127.0.0.1"},
		"self-signed":     {cert: p.leaf(t, "", now.Add(-day), now.Add(90*day), true), err: "x509: certificate signed by unknown authority"},
	}
}

func discardLog() *log.Logger { return log.New(io.Discard, "", 0) }

func startTLSServer(t testing.TB, cert tls.Certificate) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok"))
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = discardLog()
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func TestTLSAndHTTPSCertificates(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	for name, tc := range certCases(t, p) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := startTLSServer(t, tc.cert)
			addr := srv.Listener.Addr().String()
			warn := TLSOptions{ExpiryWarn: 21 * 24 * time.Hour}
			tlsc, err := newTLSChecker(Target{Kind: "tls", Address: addr, Timeout: 2 * time.Second, TLS: warn}, p.pool)
			if err != nil {
				t.Fatal(err)
			}
			httpc, err := newHTTPChecker(Target{Kind: "http", Address: "https://" + addr + "/", Timeout: 2 * time.Second, TLS: warn},
				&tls.Config{RootCAs: p.pool})
			if err != nil {
				t.Fatal(err)
			}
			for kind, c := range map[string]Checker{"tls": tlsc, "https": httpc} {
				r := c.Check(context.Background())
				if r.OK != tc.ok || !strings.Contains(r.Err, tc.err) || (tc.err == "") != (r.Err == "") {
					t.Errorf("%s: OK=%v Err=%q, want OK=%v and an error containing %q", kind, r.OK, r.Err, tc.ok, tc.err)
				}
				if tc.warn != "" && !strings.Contains(r.Warning, tc.warn) || tc.warn == "" && r.Warning != "" {
					t.Errorf("%s: Warning=%q, want %q", kind, r.Warning, tc.warn)
				}
				if r.ChainValid != tc.chainValid {
					t.Errorf("%s: ChainValid=%v, want %v", kind, r.ChainValid, tc.chainValid)
				}
				if kind == "tls" && r.CertExpiry.IsZero() {
					t.Errorf("%s: no CertExpiry recorded", kind)
				}
				if tc.ok && r.CertIssuer != "uptop test CA" {
					t.Errorf("%s: CertIssuer=%q, want the test CA", kind, r.CertIssuer)
				}
			}
		})
	}
}

func TestTLSNeverOutlivesDeadline(t *testing.T) {
	t.Parallel()
	srv := startRaw(t, hang)
	c, err := NewTLSChecker(Target{Kind: "tls", Address: srv.addr(), Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	r := checkBounded(t, c)
	if r.OK || !strings.Contains(r.Err, "timeout after 200ms during TLS handshake") {
		t.Fatalf("Err=%q, want a handshake timeout", r.Err)
	}
}

func TestTLSFactoryValidates(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"example.com", "https://example.com", ":443", "example.com:0"} {
		if _, err := NewTLSChecker(Target{Kind: "tls", Address: addr}); err == nil {
			t.Errorf("address %q accepted", addr)
		}
	}
}

func TestHumanDays(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		9*24*time.Hour + time.Hour: "9 days", 36 * time.Hour: "1 day", 5 * time.Hour: "5 hours", time.Hour: "1 hour", -time.Hour: "0 hours",
	} {
		if got := humanDays(d); got != want {
			t.Errorf("humanDays(%v) = %q, want %q", d, got, want)
		}
	}
}
