package sshd

import (
	"fmt"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	gossh "golang.org/x/crypto/ssh"
)

// logSession records who did what for how long: key fingerprint (never the
// key or anything the client typed), address, terminal, duration, ending.
func (s *Server) logSession(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		start := s.opt.Clock.Now()
		st := s.track(sess)
		defer s.untrack(sess)
		next(sess)
		if st.closeModel != nil {
			st.closeModel()
		}
		pty, _, hasPty := sess.Pty()
		term := ""
		if hasPty {
			term = pty.Term
		}
		fp := ""
		if k := sess.PublicKey(); k != nil {
			fp = gossh.FingerprintSHA256(k)
		}
		s.opt.Logger.Info("ssh: session ended",
			"user", sess.User(), "key", fp, "remote", sess.RemoteAddr().String(),
			"term", term, "command", commandName(sess), "duration", s.since(start).Round(1e6).String(),
			"end", endReason(st.end.Load()).String())
	}
}

// admit turns sessions away past MaxSessions or during shutdown, with one
// line saying why, before any work is done for them.
func (s *Server) admit(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if s.closing.Load() {
			refuse(sess, 1, "uptop: the server is shutting down; try again in a moment")
			return
		}
		if !s.slots.acquire() {
			s.opt.Logger.Warn("ssh: session refused: max_sessions reached", "max_sessions", s.opt.MaxSessions, "remote", sess.RemoteAddr().String())
			refuse(sess, 1, fmt.Sprintf("uptop: too many sessions (max_sessions = %d); try again later", s.opt.MaxSessions))
			return
		}
		defer s.slots.release()
		next(sess)
	}
}

// route sends a command to runCommand, a terminal to the TUI, and refuses a
// session with neither (`ssh -T host`).
func (s *Server) route(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if sess.RawCommand() != "" {
			s.runCommand(sess)
			return
		}
		if _, _, ok := sess.Pty(); !ok {
			refuse(sess, 2, "uptop: no terminal: run `ssh -t HOST` for the live view, or `ssh HOST check` for a table")
			return
		}
		next(sess)
	}
}

// The size assumed for a PTY that reports none.
const fallbackWidth, fallbackHeight = 80, 24

// newProgram builds one session's program: the TUI inside the idle
// wrapper, input from the session, output through the stall guard, colour
// profile and size from the session's PTY and environment (MakeOptions).
func (s *Server) newProgram(sess ssh.Session) *tea.Program {
	st := s.state(sess)
	inner := s.opt.Model(sess)
	if c, ok := inner.(interface{ Close() }); ok {
		st.closeModel = c.Close
	}
	model := newIdleModel(sess.Context(), inner, s.opt.Clock, s.opt.IdleTimeout, &st.end)
	opts := append(bubbletea.MakeOptions(sess),
		tea.WithOutput(stallGuard{w: sess, timeout: s.opt.WriteTimeout, onStall: func() {
			s.opt.Logger.Warn("ssh: client stopped reading; closing its connection",
				"remote", sess.RemoteAddr().String(), "write_timeout", s.opt.WriteTimeout)
			closeConn(sess)
		}}),
		// Shutdown is the server's to drive (goodbye first); a SIGINT
		// to the daemon must not kill every session's program on its own.
		tea.WithoutSignalHandler(),
		sessionFilter(sess),
	)
	p := tea.NewProgram(model, opts...)
	s.setProgram(st, p)
	return p
}

// notice runs after a TUI program ends, on the restored terminal.
func (s *Server) notice(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		var msg string
		switch endReason(s.state(sess).end.Load()) {
		case endIdle:
			msg = fmt.Sprintf("uptop: no key pressed for %s; session closed. Reconnect any time.", s.opt.IdleTimeout)
		case endShutdown:
			msg = "uptop: the server is shutting down. Goodbye!"
		}
		if msg != "" {
			s.guarded(sess).Write([]byte(msg + "\n"))
		}
		next(sess)
	}
}

func (s *Server) guarded(sess ssh.Session) stallGuard {
	return stallGuard{w: sess, timeout: s.opt.WriteTimeout, onStall: func() { closeConn(sess) }}
}

// refuse writes one line to stderr and ends the session with code.
func refuse(sess ssh.Session, code int, line string) {
	wish.Errorln(sess, line)
	_ = sess.Exit(code)
}
