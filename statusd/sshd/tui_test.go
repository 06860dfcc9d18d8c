package sshd

import (
	"testing"
	"time"
)

// TestRealTUI runs the uptop TUI itself over SSH: the service names appear,
// r (re-check) is refused as read-only without reaching the source, and q
// ends the session.
func TestRealTUI(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, term string }{
		{"xterm", "xterm-256color"},
		{"linux console", "linux"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := newFakeSource(allUp)
			h := startRealTUI(t, src, Options{})
			sess, scr, in := openTUI(t, h.mustDial(t), tc.term, 100, 30)
			scr.waitFor(t, "checkout-api")
			scr.waitFor(t, "billing-db")
			if _, err := in.Write([]byte("r")); err != nil {
				t.Fatal(err)
			}
			scr.waitFor(t, "read-only")
			if _, err := in.Write([]byte("q")); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- sess.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("session after q: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("q did not end the session")
			}
			if n := src.rechecks.Load(); n != 0 {
				t.Fatalf("Recheck reached the source %d times over SSH", n)
			}
		})
	}
}
