package sshd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"github.com/uptop-dev/uptop/tui"
)

// Server is the SSH front of `uptop serve`. Build it with New, run it with
// Serve; it is safe for concurrent use.
type Server struct {
	opt     Options
	src     tui.Source
	keys    *keyring
	limiter *ipLimiter
	slots   *slots
	pacer   *pacer
	ssh     *ssh.Server

	closing  atomic.Bool
	mu       sync.Mutex
	sessions map[ssh.Session]*sessionState
}

// sessionState is one live session, tracked so shutdown can reach its
// program and the log can say how it ended.
type sessionState struct {
	program *tea.Program // nil for commands
	end     atomic.Int32 // endReason
	// closeModel releases the TUI's subscription; set and called on the
	// session's own goroutine.
	closeModel func()
}

// New checks the options, loads authorized_keys (a missing file is an error
// naming its path) and loads or creates the host key. Sessions read src; its
// Recheck is never called.
func New(src tui.Source, opt Options) (*Server, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	keys, err := newKeyring(opt.AuthorizedKeys, opt.Logger)
	if err != nil {
		return nil, err
	}
	signer, err := loadOrCreateHostKey(opt.HostKeyPath, opt.Logger)
	if err != nil {
		return nil, err
	}
	p := newPacer(src, opt.RefreshEvery, opt.Clock)
	s := &Server{
		opt:      opt,
		src:      sessionSource{Source: src, p: p},
		pacer:    p,
		keys:     keys,
		limiter:  newIPLimiter(opt.RatePerIP, opt.Burst, opt.Clock),
		slots:    &slots{max: opt.MaxSessions},
		sessions: map[ssh.Session]*sessionState{},
	}
	if s.opt.Model == nil {
		s.opt.Model = s.tuiModel
	}
	srv, err := wish.NewServer(
		wish.WithVersion("uptop"),
		func(srv *ssh.Server) error { srv.AddHostKey(signer); return nil },
		wish.WithPublicKeyAuth(s.authPublicKey),
		// Composed first to last, run last to first: log, admit, route, TUI, notice.
		wish.WithMiddleware(s.notice, bubbletea.MiddlewareWithProgramHandler(s.newProgram), s.route, s.admit, s.logSession),
	)
	if err != nil {
		return nil, fmt.Errorf("ssh: build server: %w", err)
	}
	srv.HandshakeTimeout = opt.HandshakeTimeout
	srv.ConnCallback = s.onConn
	srv.ConnectionFailedCallback = s.onConnFailed
	s.ssh = srv
	return s, nil
}

// HostKey is the server's public host key, for operators to publish.
func (s *Server) HostKey() gossh.PublicKey { return s.ssh.HostSigners[0].PublicKey() }

// Serve accepts SSH connections on ln until ctx is done, then says goodbye
// to every TUI session, waits up to ShutdownGrace for them to leave and
// closes what is left. It returns nil after a shutdown it was asked for.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.opt.Logger.Info("ssh: listening", "addr", ln.Addr().String(),
		"host_key", gossh.FingerprintSHA256(s.HostKey()))
	pctx, stopPacer := context.WithCancel(ctx)
	defer stopPacer()
	go s.pacer.run(pctx)
	errc := make(chan error, 1)
	go func() { errc <- s.ssh.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("ssh: serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	s.closing.Store(true)
	n := s.sayGoodbye()
	grace, cancel := context.WithTimeout(context.Background(), s.opt.ShutdownGrace)
	defer cancel()
	if err := s.ssh.Shutdown(grace); err != nil {
		s.opt.Logger.Warn("ssh: closing connections that outlived the shutdown grace", "grace", s.opt.ShutdownGrace)
		_ = s.ssh.Close()
	}
	if err := <-errc; err != nil && !errors.Is(err, ssh.ErrServerClosed) {
		return fmt.Errorf("ssh: serve %s: %w", ln.Addr(), err)
	}
	s.opt.Logger.Info("ssh: stopped", "sessions_told", n)
	return nil
}

// sayGoodbye asks every TUI to end with the shutdown notice. Send blocks
// until the program takes the message, and a program writing to a stuck
// client may not, so each send has its own goroutine.
func (s *Server) sayGoodbye() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, st := range s.sessions {
		if st.program != nil {
			go st.program.Send(goodbyeMsg{})
			n++
		}
	}
	return n
}

func (s *Server) track(sess ssh.Session) *sessionState {
	st := &sessionState{}
	s.mu.Lock()
	s.sessions[sess] = st
	s.mu.Unlock()
	return st
}

func (s *Server) state(sess ssh.Session) *sessionState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[sess]
}

func (s *Server) untrack(sess ssh.Session) {
	s.mu.Lock()
	delete(s.sessions, sess)
	s.mu.Unlock()
}

// setProgram records a session's program; if shutdown began meanwhile the
// program is told at once, so no session can slip past the goodbye.
func (s *Server) setProgram(st *sessionState, p *tea.Program) {
	s.mu.Lock()
	st.program = p
	s.mu.Unlock()
	if s.closing.Load() {
		go p.Send(goodbyeMsg{})
	}
}

func (s *Server) authPublicKey(ctx ssh.Context, key ssh.PublicKey) bool {
	if s.keys.allowed(key) {
		return true
	}
	s.opt.Logger.Debug("ssh: key not in authorized_keys", "key", gossh.FingerprintSHA256(key), "remote", ctx.RemoteAddr().String())
	return false
}

// onConn applies the per-IP rate limit before the handshake: a refused
// connection is closed without a word and costs no crypto.
func (s *Server) onConn(_ ssh.Context, c net.Conn) net.Conn {
	if s.closing.Load() || !s.limiter.allow(c.RemoteAddr()) {
		s.opt.Logger.Debug("ssh: connection refused by rate limit", "remote", c.RemoteAddr().String())
		return nil
	}
	return c
}

func (s *Server) onConnFailed(c net.Conn, err error) {
	s.opt.Logger.Info("ssh: connection refused", "remote", c.RemoteAddr().String(), "err", err)
}

// closeConn drops a session's whole connection: closing only the channel
// would queue a message behind the very writes that are stuck.
func closeConn(sess ssh.Session) {
	if c, ok := sess.Context().Value(ssh.ContextKeyConn).(gossh.Conn); ok {
		_ = c.Close()
	}
}

// since is time.Since on the server's clock.
func (s *Server) since(t time.Time) time.Duration { return s.opt.Clock.Since(t) }
