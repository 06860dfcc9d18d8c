package store

import (
	"context"
	"testing"
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
