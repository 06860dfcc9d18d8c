package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/jonboulle/clockwork"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

// kindService is one service of a check kind beyond HTTP, with an hour of
// checks every 30 s, newest first; mod alters the i-th check.
func kindService(kind, id, target string, mod func(i int, r *probe.Result)) (*store.ServiceState, []probe.Result) {
	spec := store.Spec{ID: id, Name: id, Kind: kind, Target: target, Interval: 30 * time.Second, Timeout: 5 * time.Second, FailThreshold: 1}
	var rs []probe.Result
	for i := range 120 {
		r := probe.Result{ServiceID: id, Start: t0.Add(-time.Duration(i+1) * 30 * time.Second),
			Duration: time.Duration(20+i%7) * time.Millisecond, OK: true}
		mod(i, &r)
		rs = append(rs, r)
	}
	last := rs[0]
	st := &store.ServiceState{Spec: spec, Status: store.Classify(spec, last), Since: t0.Add(-20 * time.Minute),
		CheckStatus: store.Classify(spec, last), LastCheck: last.Start, LastLatency: last.Duration, LastCode: last.Code,
		LastError: last.Err, LastPhases: last.Phases, CertExpiry: last.CertExpiry, CertIssuer: last.CertIssuer,
		LastWarning: last.Warning, Loss: last.Loss, Uptime24h: store.Uptime{Ratio: 1, Checks: 2880},
		Samples: samples(120, 20, store.Up, nil), Version: 3}
	return st, rs
}

func kindFixtures() map[string]func() (*store.ServiceState, []probe.Result) {
	return map[string]func() (*store.ServiceState, []probe.Result){
		"tls_warning": func() (*store.ServiceState, []probe.Result) {
			return kindService("tls", "vault", "vault.example.com:443", func(i int, r *probe.Result) {
				r.Phases = probe.Phases{DNS: time.Millisecond, Connect: 4 * time.Millisecond, TLS: 15 * time.Millisecond}
				r.CertExpiry, r.CertIssuer, r.ChainValid = t0.Add(9*24*time.Hour+3*time.Hour), "Let's Encrypt R3", true
				if i < 40 { // the warning began 20 minutes ago
					r.Warning = "certificate expires in 9 days"
				}
			})
		},
		"ping": func() (*store.ServiceState, []probe.Result) {
			return kindService("icmp", "gateway", "10.0.0.1", func(i int, r *probe.Result) {
				r.Duration = time.Duration(300+i%5*40) * time.Microsecond
				if i == 0 || i == 17 {
					r.Loss, r.Warning = 1.0/3, "lost 1 of 3 packets"
				}
			})
		},
		"dns": func() (*store.ServiceState, []probe.Result) {
			return kindService("dns", "mx", "example.com", func(i int, r *probe.Result) {
				if i < 3 {
					r.OK, r.Code, r.Err = false, 3, "resolver answered NXDOMAIN for MX example.com"
				}
			})
		},
	}
}

func TestDetailGoldensPerKind(t *testing.T) {
	t.Parallel()
	for kind, build := range kindFixtures() {
		for _, sz := range [][2]int{{80, 24}, {120, 40}} {
			name := fmt.Sprintf("detail_%s_%dx%d", kind, sz[0], sz[1])
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				st, rs := build()
				src := newFakeSource([]*store.ServiceState{st})
				src.results[st.ID] = rs
				m := New(src, Options{Clock: clockwork.NewFakeClockAt(t0)})
				t.Cleanup(m.Close)
				m = send(m, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
				m = press(m, "enter")
				m = send(m, fetchDetail(src, st.ID, t0)())
				got := plain(m)
				checkFrame(t, got, sz[0], sz[1])
				golden(t, name, got)
			})
		}
	}
}

func TestDetailKindLines(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, 80, 24)
	d := m.detail.SetNow(t0)
	scenarios := []struct {
		name string
		svc  store.ServiceState
		want []string // substrings of the plain summary, in order
		not  []string
	}{
		{"expired certificate", store.ServiceState{Spec: store.Spec{Kind: "tls"}, LastCheck: t0,
			CertExpiry: t0.Add(-3 * 24 * time.Hour), LastError: "certificate expired"},
			[]string{"cert expired Nov 22 (3d ago)"}, []string{"issuer"}},
		{"certificate next year", store.ServiceState{Spec: store.Spec{Kind: "http"}, LastCheck: t0,
			CertExpiry: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), CertIssuer: "R3"},
			[]string{"phases", "cert expires Feb 1 2026 (67d) · issuer R3"}, nil},
		{"certificate within two days", store.ServiceState{Spec: store.Spec{Kind: "tls"}, LastCheck: t0,
			CertExpiry: t0.Add(30 * time.Hour), LastWarning: "certificate expires in 1 day"},
			[]string{"▲ certificate expires in 1 day", "cert expires Nov 26 (30h00m)"}, nil},
		{"ping loss never rounds to zero", store.ServiceState{Spec: store.Spec{Kind: "icmp"}, LastCheck: t0, Loss: 0.001},
			[]string{"loss 1%"}, []string{"phases"}},
		{"ping never checked", store.ServiceState{Spec: store.Spec{Kind: "icmp"}}, []string{"loss —"}, nil},
		{"dns noerror by name", store.ServiceState{Spec: store.Spec{Kind: "dns"}, LastCheck: t0}, []string{"NOERROR"}, nil},
		{"dns timeout has no rcode", store.ServiceState{Spec: store.Spec{Kind: "dns"}, LastCheck: t0, LastError: "timeout after 5s"},
			nil, []string{"NOERROR"}},
		{"http 503 stays a number", store.ServiceState{Spec: store.Spec{Kind: "http"}, LastCheck: t0, LastCode: 503, LastError: "unexpected status 503"},
			[]string{"· 503"}, []string{"SERVFAIL", "cert"}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			svc := sc.svc
			got := plainString(strings.Join(d.SetService(&svc).summary(), "\n"))
			rest := got
			for _, w := range sc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("summary lacks %q (in order):\n%s", w, got)
				}
				rest = rest[i+len(w):]
			}
			for _, n := range sc.not {
				if strings.Contains(got, n) {
					t.Errorf("summary has %q:\n%s", n, got)
				}
			}
		})
	}
}
