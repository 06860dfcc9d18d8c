package sshd

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

// fakeSource serves a fixed snapshot; the TUI's queries return nothing.
type fakeSource struct {
	snap     atomic.Pointer[store.Snapshot]
	rechecks atomic.Int32
}

func newFakeSource(statuses map[string]store.Status) *fakeSource {
	var svcs []*store.ServiceState
	for _, id := range []string{"checkout-api", "billing-db", "search"} {
		st, ok := statuses[id]
		if !ok {
			continue
		}
		svcs = append(svcs, &store.ServiceState{
			Spec:        store.Spec{ID: id, Name: id, Kind: "http", Target: "https://" + id + ".example.com/health"},
			Status:      st,
			LastCheck:   time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
			LastLatency: 42 * time.Millisecond,
		})
	}
	f := &fakeSource{}
	f.snap.Store(store.NewSnapshot(1, time.Now(), svcs))
	return f
}

func (f *fakeSource) Snapshot() *store.Snapshot { return f.snap.Load() }
func (f *fakeSource) Subscribe() (<-chan struct{}, func()) {
	return make(chan struct{}), func() {}
}
func (f *fakeSource) Results(context.Context, string, time.Time, time.Time, int) ([]probe.Result, error) {
	return nil, nil
}
func (f *fakeSource) Incidents(context.Context, string, time.Time, int) ([]store.Incident, error) {
	return nil, nil
}
func (f *fakeSource) Uptime(context.Context, string, time.Duration) (store.Uptime, error) {
	return store.Uptime{}, nil
}
func (f *fakeSource) Recheck(string) error {
	f.rechecks.Add(1)
	return nil
}

// namesModel is a tiny stand-in TUI: service names, the window size, the
// colour profile it was given, and q to quit.
type namesModel struct {
	src     *fakeSource
	w, h    int
	profile string
	events  chan<- string // what the model saw, for tests to wait on
}

func (m namesModel) note(e string) {
	if m.events == nil {
		return
	}
	select {
	case m.events <- e:
	default:
	}
}

func (m namesModel) Init() tea.Cmd { return nil }
func (m namesModel) Close()        { m.note("closed") }
func (m namesModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m.note(fmt.Sprintf("size %dx%d", m.w, m.h))
	case tea.ColorProfileMsg:
		m.profile = msg.Profile.String()
	case tea.KeyPressMsg:
		if msg.String() == "q" {
			return m, tea.Quit
		}
		m.note("key " + msg.String())
	}
	return m, nil
}
func (m namesModel) View() tea.View {
	var b strings.Builder
	for _, s := range m.src.Snapshot().Services {
		b.WriteString(s.Name + " " + s.Status.String() + "\n")
	}
	fmt.Fprintf(&b, "size %dx%d profile %s\n", m.w, m.h, m.profile)
	return tea.NewView(b.String())
}

type testKey struct {
	signer gossh.Signer
	priv   ed25519.PrivateKey
}

func newTestKey(t *testing.T) testKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{signer: signer, priv: priv}
}

func (k testKey) authorizedLine() string {
	return string(gossh.MarshalAuthorizedKey(k.signer.PublicKey()))
}

type harness struct {
	addr    string
	srv     *Server
	allowed testKey
	dir     string
	cancel  context.CancelFunc
	done    chan error
	logs    *syncBuffer
	events  chan string // from every namesModel of this server
}

// startServer runs a server on loopback with one allowed key; opt's zero
// fields get test defaults. The server is stopped at cleanup.
func startServer(t *testing.T, src *fakeSource, opt Options) *harness {
	t.Helper()
	return start(t, src, opt, false)
}

// startRealTUI is startServer with the uptop TUI in every PTY session.
func startRealTUI(t *testing.T, src *fakeSource, opt Options) *harness {
	t.Helper()
	return start(t, src, opt, true)
}

func start(t *testing.T, src *fakeSource, opt Options, realTUI bool) *harness {
	t.Helper()
	h := &harness{allowed: newTestKey(t), dir: t.TempDir(), logs: &syncBuffer{}, events: make(chan string, 64)}
	if opt.AuthorizedKeys == "" {
		opt.AuthorizedKeys = filepath.Join(h.dir, "authorized_keys")
		writeFile(t, opt.AuthorizedKeys, "# operators\n"+h.allowed.authorizedLine())
	}
	if opt.HostKeyPath == "" {
		opt.HostKeyPath = filepath.Join(h.dir, "state", "ssh_host_ed25519_key")
	}
	if opt.Model == nil && !realTUI {
		opt.Model = func(ssh.Session) tea.Model { return namesModel{src: src, events: h.events} }
	}
	if opt.RatePerIP == 0 {
		opt.RatePerIP = -1
	}
	opt.Logger = newTestLogger(h.logs)
	srv, err := New(src, opt)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h.srv, h.addr = srv, ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan error, 1)
	go func() { h.done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-h.done:
		case <-time.After(10 * time.Second):
			t.Error("Serve did not return within 10s of shutdown")
		}
	})
	return h
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (h *harness) dial(t *testing.T, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	t.Helper()
	if len(auth) == 0 {
		auth = []gossh.AuthMethod{gossh.PublicKeys(h.allowed.signer)}
	}
	return gossh.Dial("tcp", h.addr, &gossh.ClientConfig{
		User:            "ops",
		Auth:            auth,
		HostKeyCallback: gossh.FixedHostKey(h.srv.HostKey()),
		Timeout:         5 * time.Second,
	})
}

func (h *harness) mustDial(t *testing.T) *gossh.Client {
	t.Helper()
	c, err := h.dial(t)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// run executes a command without a PTY and returns stdout, stderr and the
// exit status.
func run(t *testing.T, c *gossh.Client, cmd string) (string, string, int) {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatalf("new session: %v", err)
	}
	defer sess.Close()
	var out, errb bytes.Buffer
	sess.Stdout, sess.Stderr = &out, &errb
	err = sess.Run(cmd)
	code := 0
	if ee, ok := err.(*gossh.ExitError); ok {
		code = ee.ExitStatus()
	} else if err != nil {
		t.Fatalf("run %q: %v", cmd, err)
	}
	return out.String(), errb.String(), code
}

// screen is a PTY session's output, accumulated by a reader goroutine.
type screen struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	more chan struct{} // 1-slot: something arrived
	eof  chan struct{}
}

func newScreen(r io.Reader) *screen {
	s := &screen{more: make(chan struct{}, 1), eof: make(chan struct{})}
	go func() {
		defer close(s.eof)
		p := make([]byte, 32*1024)
		for {
			n, err := r.Read(p)
			s.mu.Lock()
			s.buf.Write(p[:n])
			s.mu.Unlock()
			select {
			case s.more <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
	return s
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitFor blocks until the output contains want, or fails at the deadline.
func (s *screen) waitFor(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(30 * time.Second) // a failure deadline: generous for -race on two busy cores
	for !strings.Contains(s.String(), want) {
		select {
		case <-s.more:
		case <-s.eof:
			if !strings.Contains(s.String(), want) {
				t.Fatalf("output ended without %q; got:\n%q", want, s.String())
			}
		case <-deadline:
			t.Fatalf("no %q on screen within 30s; got:\n%q", want, s.String())
		}
	}
}

// openTUI starts a PTY session and returns its screen and stdin.
func openTUI(t *testing.T, c *gossh.Client, term string, w, h int) (*gossh.Session, *screen, io.Writer) {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatalf("new session: %v", err)
	}
	t.Cleanup(func() { sess.Close() })
	if err := sess.RequestPty(term, h, w, gossh.TerminalModes{}); err != nil {
		t.Fatalf("request pty: %v", err)
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	in, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatalf("shell: %v", err)
	}
	return sess, newScreen(out), in
}

// syncBuffer is a log sink the server writes to from many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitEvent blocks until a namesModel of h reports want.
func (h *harness) waitEvent(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(30 * time.Second) // a failure deadline: generous for -race on two busy cores
	for {
		select {
		case e := <-h.events:
			if e == want {
				return
			}
		case <-deadline:
			t.Fatalf("the model never saw %q", want)
		}
	}
}
