package store

import (
	"context"
	"testing"

	"github.com/uptop-dev/uptop/probe"
)

func TestPushTokenKeptAcrossRestarts(t *testing.T) {
	t.Parallel()
	path := dbPath(t)
	ctx := context.Background()
	s := openTest(t, path, nil, testSpec("backup"), testSpec("cron"))
	a, err := s.PushToken(ctx, "backup")
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 43 {
		t.Fatalf("token %q is %d chars, want 43 (32 random bytes, base64url)", a, len(a))
	}
	if again, _ := s.PushToken(ctx, "backup"); again != a {
		t.Fatalf("second call gave %q, want the stored %q", again, a)
	}
	if other, _ := s.PushToken(ctx, "cron"); other == a || other == "" {
		t.Fatalf("another service got %q", other)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openTest(t, path, nil, testSpec("backup"))
	if got, _ := s2.PushToken(ctx, "backup"); got != a {
		t.Fatalf("after a restart the token is %q, want %q", got, a)
	}
	if err := s2.ResetPushToken(ctx, "backup"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s2.PushToken(ctx, "backup"); got == a {
		t.Fatal("ResetPushToken kept the old token")
	}
}

// TestClassifyWarning: an OK result with a Warning (a push service still
// awaiting its first push, a certificate about to expire) is degraded;
// a failure stays down whatever its warning.
func TestClassifyWarning(t *testing.T) {
	t.Parallel()
	spec := testSpec("backup")
	cases := map[string]struct {
		r    probe.Result
		want Status
	}{
		"ok":              {probe.Result{OK: true}, Up},
		"ok with warning": {probe.Result{OK: true, Warning: "waiting for the first push"}, Degraded},
		"down wins":       {probe.Result{Err: "no push for 2h", Warning: "x"}, Down},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := Classify(spec, c.r); got != c.want {
				t.Fatalf("Classify = %v, want %v", got, c.want)
			}
		})
	}
}
