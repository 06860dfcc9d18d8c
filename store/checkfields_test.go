package store

import (
	"context"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/uptop-dev/uptop/probe"
)

// tlsSpec is a TLS service: no DegradedAfter, so only a warning degrades it.
func tlsSpec(id string) Spec {
	sp := testSpec(id)
	sp.Kind, sp.Target, sp.DegradedAfter = "tls", id+".example:443", 0
	return sp
}

func warnedTLS(id string, at time.Time) probe.Result {
	return probe.Result{ServiceID: id, Node: "n1", Start: at, Duration: 40 * time.Millisecond, OK: true,
		Phases:     probe.Phases{Connect: 5 * time.Millisecond, TLS: 30 * time.Millisecond},
		CertExpiry: t0.Add(9 * 24 * time.Hour), CertIssuer: "Let's Encrypt R3", ChainValid: true,
		Warning: "certificate expires in 9 days"}
}

// TestCheckFieldsSurviveAReopen writes the issue-6 fields, closes the file
// and reads them back: from Results and from the restored snapshot.
func TestCheckFieldsSurviveAReopen(t *testing.T) {
	t.Parallel()
	path, clock := dbPath(t), clockwork.NewFakeClockAt(t0)
	specs := []Spec{tlsSpec("cert"), testSpec("ping")}
	s1, err := Open(specs, Options{Path: path, Node: "n1", Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	tlsRes := warnedTLS("cert", t0.Add(-time.Minute))
	pingRes := probe.Result{ServiceID: "ping", Node: "n1", Start: t0.Add(-time.Minute), Duration: 3 * time.Millisecond,
		OK: true, Loss: 1.0 / 3, Warning: "lost 1 of 3 packets"}
	s1.Ingest(tlsRes)
	s1.Ingest(pingRes)
	if err := s1.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s2 := openTest(t, path, clock, specs...)
	for _, want := range []probe.Result{tlsRes, pingRes} {
		t.Run(want.ServiceID, func(t *testing.T) {
			t.Parallel()
			rs, err := s2.Results(context.Background(), want.ServiceID, time.Time{}, time.Time{}, 0)
			if err != nil || len(rs) != 1 {
				t.Fatalf("Results = %+v, %v; want the one check", rs, err)
			}
			got := rs[0]
			if got.CertIssuer != want.CertIssuer || got.ChainValid != want.ChainValid || got.Loss != want.Loss ||
				got.Warning != want.Warning || !got.CertExpiry.Equal(want.CertExpiry) || got.Phases != want.Phases {
				t.Errorf("read back %+v, want %+v", got, want)
			}
			st := mustState(t, s2, want.ServiceID)
			if st.Status != Degraded || st.LastWarning != want.Warning || st.CertIssuer != want.CertIssuer ||
				st.Loss != want.Loss || !st.CertExpiry.Equal(want.CertExpiry) {
				t.Errorf("restored state = %v warning %q issuer %q loss %v expiry %v; want degraded with %+v",
					st.Status, st.LastWarning, st.CertIssuer, st.Loss, st.CertExpiry, want)
			}
			if len(st.Samples) != 1 || st.Samples[0].Status != Degraded {
				t.Errorf("restored samples %+v, want one degraded (by its warning)", st.Samples)
			}
			if st.OpenIncident == nil || st.OpenIncident.Cause != want.Warning {
				t.Errorf("restored incident %+v, want one caused by %q", st.OpenIncident, want.Warning)
			}
		})
	}
}

func TestWarningIsTheLiveCause(t *testing.T) {
	t.Parallel()
	s := openTest(t, "", nil, tlsSpec("cert"))
	s.Ingest(warnedTLS("cert", t0))
	mustSync(t, s)
	st := mustState(t, s, "cert")
	if st.Status != Degraded || st.LastWarning != "certificate expires in 9 days" || st.CertIssuer != "Let's Encrypt R3" {
		t.Errorf("state = %v %q %q, want degraded by the certificate warning", st.Status, st.LastWarning, st.CertIssuer)
	}
	trs, err := s.Transitions(context.Background(), "cert", time.Time{}, 0)
	if err != nil || len(trs) != 1 || trs[0].Cause != "certificate expires in 9 days" {
		t.Fatalf("transitions = %+v, %v; want one caused by the warning", trs, err)
	}
	ok := warnedTLS("cert", t0.Add(time.Minute))
	ok.Warning = ""
	s.Ingest(ok)
	mustSync(t, s)
	if st := mustState(t, s, "cert"); st.Status != Up || st.LastWarning != "" {
		t.Errorf("after a clean check: %v %q, want up with no warning", st.Status, st.LastWarning)
	}
}

// TestMigrationAddsCheckColumns opens a schema-3 file holding a result: the
// upgrade keeps it and reads the new columns as their zero values.
func TestMigrationAddsCheckColumns(t *testing.T) {
	t.Parallel()
	path := dbPath(t)
	db, err := openDBAt(path, 3)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`INSERT INTO results (service_id, start_ms, duration_us, ok, code) VALUES ('api', ?, 1000, 1, 200)`,
		t0.Add(-time.Minute).UnixMilli())
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s := openTest(t, path, nil, testSpec("api"))
	rs, err := s.Results(context.Background(), "api", time.Time{}, time.Time{}, 0)
	if err != nil || len(rs) != 1 || rs[0].Code != 200 || rs[0].Warning != "" || rs[0].CertIssuer != "" || rs[0].Loss != 0 {
		t.Fatalf("after the upgrade Results = %+v, %v; want the old check with empty new fields", rs, err)
	}
	if st := mustState(t, s, "api"); st.LastCode != 200 || st.LastWarning != "" {
		t.Errorf("restored %d %q, want 200 and no warning", st.LastCode, st.LastWarning)
	}
}
