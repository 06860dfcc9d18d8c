package sshd

import (
	"context"
	"io"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/jonboulle/clockwork"
)

// endReason says why a TUI session ended, for the closing notice and the log.
type endReason int32

const (
	endQuit     endReason = iota // the user quit, or the connection went away
	endIdle                      // no key pressed for IdleTimeout
	endShutdown                  // the server is stopping
)

func (r endReason) String() string {
	switch r {
	case endIdle:
		return "idle"
	case endShutdown:
		return "shutdown"
	}
	return "quit"
}

type (
	idleCheckMsg struct{}
	goodbyeMsg   struct{}
)

// idleModel wraps the TUI to end a session nobody is using: the TUI redraws
// on every snapshot, so transport-level idle timeouts never fire on it.
// Only key presses count as use.
type idleModel struct {
	inner   tea.Model
	ctx     context.Context // the session's: pending timers die with it
	clock   clockwork.Clock
	timeout time.Duration // ≤ 0: never
	lastKey time.Time
	end     *atomic.Int32 // endReason, read by the handler after Run returns
}

func newIdleModel(ctx context.Context, inner tea.Model, clock clockwork.Clock, timeout time.Duration, end *atomic.Int32) idleModel {
	return idleModel{inner: inner, ctx: ctx, clock: clock, timeout: timeout, lastKey: clock.Now(), end: end}
}

func (m idleModel) Init() tea.Cmd {
	return tea.Batch(m.inner.Init(), m.wait(m.timeout))
}

func (m idleModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg.(type) {
	case tea.KeyPressMsg, tea.PasteMsg:
		m.lastKey = m.clock.Now()
	case idleCheckMsg:
		idle := m.clock.Since(m.lastKey)
		if idle >= m.timeout {
			m.end.Store(int32(endIdle))
			return m, tea.Quit
		}
		return m, m.wait(m.timeout - idle)
	case goodbyeMsg:
		m.end.Store(int32(endShutdown))
		return m, tea.Quit
	}
	var cmd tea.Cmd
	m.inner, cmd = m.inner.Update(msg)
	return m, cmd
}

func (m idleModel) View() tea.View { return m.inner.View() }

// wait is one pending timer per session; a key press does not reset it, the
// check on expiry does the arithmetic, so typing costs nothing.
func (m idleModel) wait(d time.Duration) tea.Cmd {
	if m.timeout <= 0 {
		return nil
	}
	ctx, clock := m.ctx, m.clock
	return func() tea.Msg {
		t := clock.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.Chan():
			return idleCheckMsg{}
		case <-ctx.Done():
			return nil
		}
	}
}

// stallGuard bounds each write to a client: a suspended terminal or a dead
// link stops consuming the SSH window, and without a bound the session's
// program would wait on it forever. It runs on the real clock: it measures
// the network, not simulated time.
type stallGuard struct {
	w       io.Writer
	timeout time.Duration
	onStall func()
}

func (g stallGuard) Write(p []byte) (int, error) {
	t := time.AfterFunc(g.timeout, g.onStall)
	defer t.Stop()
	return g.w.Write(p)
}
