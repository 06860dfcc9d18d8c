package sshd

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"github.com/jonboulle/clockwork"
)

func TestIdleTimeout(t *testing.T) {
	t.Parallel()
	clock := clockwork.NewFakeClock()
	h := startServer(t, newFakeSource(allUp), Options{Clock: clock, IdleTimeout: time.Minute})
	sess, scr, in := openTUI(t, h.mustDial(t), "xterm", 80, 24)
	scr.waitFor(t, "checkout-api")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	// A key pressed 40s in keeps the session past the first minute…
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatalf("idle timer never armed: %v", err)
	}
	clock.Advance(40 * time.Second)
	if _, err := in.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	h.waitEvent(t, "key x") // the wrapper saw the key before the model did
	clock.Advance(20 * time.Second)
	// …so the check at 1m re-arms for the remaining 40s instead of ending it.
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatalf("idle timer not re-armed: %v", err)
	}
	if strings.Contains(scr.String(), "no key pressed") {
		t.Fatal("session ended although a key was pressed 20s ago")
	}
	clock.Advance(40 * time.Second)
	scr.waitFor(t, "uptop: no key pressed for 1m0s; session closed.")
	if err := sess.Wait(); err != nil {
		t.Fatalf("idle session did not end cleanly: %v", err)
	}
}

func TestShutdownSaysGoodbye(t *testing.T) {
	t.Parallel()
	h := startServer(t, newFakeSource(allUp), Options{})
	sess, scr, _ := openTUI(t, h.mustDial(t), "xterm", 80, 24)
	scr.waitFor(t, "checkout-api")
	h.cancel()
	scr.waitFor(t, "the server is shutting down. Goodbye!")
	select {
	case err := <-h.done:
		if err != nil {
			t.Fatalf("Serve after shutdown: %v", err)
		}
		h.done <- nil // for the cleanup
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after shutdown")
	}
	_ = sess.Wait()
	if _, err := h.dial(t); err == nil {
		t.Fatal("new connection accepted after shutdown")
	}
}

// floodModel writes 64 KiB of output every millisecond, so a client that
// stops reading exhausts its SSH window (2 MiB) within a second or so.
type floodModel struct{}

type floodTick struct{}

var floodChunk = strings.Repeat("uptop ", 64<<10/6)

func (m floodModel) Init() tea.Cmd { return m.tick() }
func (m floodModel) tick() tea.Cmd {
	return tea.Tick(time.Millisecond, func(time.Time) tea.Msg { return floodTick{} })
}
func (m floodModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(floodTick); ok {
		return m, tea.Batch(tea.Raw(floodChunk), m.tick())
	}
	return m, nil
}
func (m floodModel) View() tea.View { return tea.NewView("flood") }

func TestStuckClientIsCutAndOthersUnaffected(t *testing.T) {
	t.Parallel()
	src := newFakeSource(allUp)
	h := startServer(t, src, Options{
		WriteTimeout: 300 * time.Millisecond,
		Model:        func(ssh.Session) tea.Model { return floodModel{} },
	})
	stuck := h.mustDial(t)
	sess, err := stuck.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm", 24, 80, nil); err != nil {
		t.Fatal(err)
	}
	// Never read stdout: the client stops granting window once its buffer
	// is full, as a suspended terminal would.
	if _, err := sess.StdoutPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	// Another client is served while that one is stuck.
	if out, _, code := run(t, h.mustDial(t), "check"); code != 0 || !strings.Contains(out, "checkout-api") {
		t.Fatalf("check while another client is stuck: exit %d\n%s", code, out)
	}
	ended := make(chan error, 1)
	go func() { ended <- stuck.Wait() }()
	select {
	case <-ended:
	case <-time.After(15 * time.Second):
		t.Fatal("stuck client's connection still open after 15s")
	}
	if !strings.Contains(h.logs.String(), "client stopped reading") {
		t.Errorf("stall not logged:\n%s", h.logs.String())
	}
}

func TestZeroSizePTYDrawsAtFallback(t *testing.T) {
	t.Parallel()
	h := startServer(t, newFakeSource(allUp), Options{})
	_, scr, _ := openTUI(t, h.mustDial(t), "xterm", 0, 0)
	h.waitEvent(t, "size 80x24")
	scr.waitFor(t, "checkout-api")
}
