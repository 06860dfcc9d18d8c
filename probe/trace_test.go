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
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// selfSignedCert makes a certificate for 127.0.0.1 and localhost valid
// between notBefore and notAfter, signed by itself.
func selfSignedCert(t testing.TB, notBefore, notAfter time.Time) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("key: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "uptop test"},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
		IsCA:         true,

		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("certificate: %v", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// tlsServer serves testMux over TLS with cert.
func tlsServer(t testing.TB, cert tls.Certificate) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(testMux())
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// trusting returns an HTTP checker that trusts srv's certificate.
func trusting(t testing.TB, srv *httptest.Server, target Target) *httpChecker {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	c, err := newHTTPChecker(target, &tls.Config{RootCAs: pool})
	if err != nil {
		t.Fatalf("newHTTPChecker: %v", err)
	}
	return c
}

func TestHTTPPhases(t *testing.T) {
	t.Parallel()
	plain := httptest.NewServer(testMux())
	t.Cleanup(plain.Close)
	secure := httptest.NewTLSServer(testMux())
	t.Cleanup(secure.Close)
	_, port, _ := net.SplitHostPort(plain.Listener.Addr().String())
	_, securePort, _ := net.SplitHostPort(secure.Listener.Addr().String())

	cases := map[string]struct {
		checker         func(t *testing.T) *httpChecker
		dns, tls, certs bool
	}{
		"http ip": {checker: func(t *testing.T) *httpChecker {
			return mustHTTP(t, Target{Address: plain.URL + "/ok"})
		}},
		"http localhost": {dns: true, checker: func(t *testing.T) *httpChecker {
			return mustHTTP(t, Target{Address: "http://localhost:" + port + "/ok"})
		}},
		"https ip": {tls: true, certs: true, checker: func(t *testing.T) *httpChecker {
			return trusting(t, secure, Target{Address: secure.URL + "/ok"})
		}},
		"https localhost after redirects": {dns: true, tls: true, certs: true, checker: func(t *testing.T) *httpChecker {
			c := trusting(t, secure, Target{Address: "https://localhost:" + securePort + "/r/2"})
			c.transport.TLSClientConfig.ServerName = "example.com" // httptest's certificate names
			return c
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := tc.checker(t).Check(context.Background())
			if !r.OK {
				t.Fatalf("check failed: %s", r.Err)
			}
			p := r.Phases
			if (p.DNS > 0) != tc.dns {
				t.Errorf("DNS = %s, want non-zero: %v", p.DNS, tc.dns)
			}
			if (p.TLS > 0) != tc.tls {
				t.Errorf("TLS = %s, want non-zero: %v", p.TLS, tc.tls)
			}
			// A small body arrives with the headers: its transfer may be 0.
			if p.Connect <= 0 || p.FirstByte <= 0 || p.Transfer < 0 {
				t.Errorf("connect %s, first byte %s, transfer %s: connect and first byte must be non-zero, transfer not negative", p.Connect, p.FirstByte, p.Transfer)
			}
			if sum := p.DNS + p.Connect + p.TLS + p.FirstByte + p.Transfer; sum > r.Duration {
				t.Errorf("phases add up to %s, more than the duration %s", sum, r.Duration)
			}
			if tc.certs && !r.CertExpiry.Equal(secure.Certificate().NotAfter) {
				t.Errorf("CertExpiry = %v, want %v", r.CertExpiry, secure.Certificate().NotAfter)
			}
			if !tc.certs && !r.CertExpiry.IsZero() {
				t.Errorf("CertExpiry = %v for plain http, want zero", r.CertExpiry)
			}
		})
	}
}

func TestHTTPCertificateErrors(t *testing.T) {
	t.Parallel()
	now := time.Now()
	expiredAt := now.Add(-48 * time.Hour).UTC()
	expired := tlsServer(t, selfSignedCert(t, now.Add(-30*24*time.Hour), expiredAt))
	future := tlsServer(t, selfSignedCert(t, now.Add(72*time.Hour), now.Add(90*24*time.Hour)))
	selfSigned := tlsServer(t, selfSignedCert(t, now.Add(-time.Hour), now.Add(24*time.Hour)))
	otherName := httptest.NewTLSServer(testMux()) // its certificate names example.com and IPs only
	t.Cleanup(otherName.Close)

	cases := map[string]struct {
		url    string
		err    string
		expiry time.Time
	}{
		"expired":     {url: expired.URL, err: "x509: certificate has expired on " + expiredAt.Format(time.DateOnly), expiry: expiredAt},
		"not yet":     {url: future.URL, err: "x509: certificate is not valid until " + now.Add(72*time.Hour).UTC().Format(time.DateOnly)},
		"self-signed": {url: selfSigned.URL, err: "x509: certificate signed by unknown authority"},
		"wrong name":  {url: strings.Replace(otherName.URL, "127.0.0.1", "localhost", 1), err: "x509: certificate is valid for example.com"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := mustHTTP(t, Target{Address: tc.url + "/ok", Timeout: 5 * time.Second}).Check(context.Background())
			if r.OK || !strings.HasPrefix(r.Err, tc.err) {
				t.Fatalf("got ok=%v err=%q, want an error starting %q", r.OK, r.Err, tc.err)
			}
			if r.Phases.TLS <= 0 {
				t.Errorf("TLS phase %s: the handshake was attempted, it must be timed", r.Phases.TLS)
			}
			if !tc.expiry.IsZero() && !r.CertExpiry.Equal(tc.expiry.Truncate(time.Second)) {
				t.Errorf("CertExpiry = %v, want %v", r.CertExpiry, tc.expiry)
			}
		})
	}
}

// TestHTTPTransferTimed: a body sent in two parts 50ms apart is timed from
// its first byte to its last, and the duration ends with that last byte.
func TestHTTPTransferTimed(t *testing.T) {
	t.Parallel()
	const gap = 50 * time.Millisecond
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "first part ")
		w.(http.Flusher).Flush()
		time.Sleep(gap) // the delay under test, not synchronisation
		io.WriteString(w, "second part")
	}))
	t.Cleanup(srv.Close)
	r := mustHTTP(t, Target{Address: srv.URL, Timeout: 2 * time.Second, HTTP: HTTPOptions{BodyContains: "second part"}}).Check(context.Background())
	if !r.OK {
		t.Fatalf("check failed: %s", r.Err)
	}
	if r.Phases.Transfer < gap || r.Duration < gap {
		t.Fatalf("transfer %s, duration %s: both must include the %s between the parts", r.Phases.Transfer, r.Duration, gap)
	}
	if sum := r.Phases.DNS + r.Phases.Connect + r.Phases.TLS + r.Phases.FirstByte + r.Phases.Transfer; sum > r.Duration {
		t.Fatalf("phases add up to %s, more than the duration %s", sum, r.Duration)
	}
}
