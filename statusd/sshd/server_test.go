package sshd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/uptop-dev/uptop/store"
)

var allUp = map[string]store.Status{"checkout-api": store.Up, "billing-db": store.Up, "search": store.Degraded}

func TestTUIOverPTY(t *testing.T) {
	t.Parallel()
	src := newFakeSource(allUp)
	h := startServer(t, src, Options{})
	c := h.mustDial(t)
	sess, scr, in := openTUI(t, c, "xterm-256color", 100, 30)
	scr.waitFor(t, "checkout-api")
	h.waitEvent(t, "size 100x30")
	if err := sess.WindowChange(40, 120); err != nil {
		t.Fatalf("window change: %v", err)
	}
	h.waitEvent(t, "size 120x40")
	if _, err := in.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if err := sess.Wait(); err != nil {
		t.Fatalf("session after q: %v", err)
	}
	h.waitEvent(t, "closed") // the TUI's subscription is released
	if !strings.Contains(h.logs.String(), "ssh: session ended") || !strings.Contains(h.logs.String(), "term=xterm-256color") {
		t.Errorf("session not logged with its terminal:\n%s", h.logs.String())
	}
}

func TestColourProfileFromSession(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, term string
		env        map[string]string
		want       string
	}{
		{"truecolor term", "xterm-256color", map[string]string{"COLORTERM": "truecolor"}, "profile TrueColor"},
		{"256 colours", "xterm-256color", nil, "profile ANSI256"},
		{"NO_COLOR", "xterm-256color", map[string]string{"NO_COLOR": "1"}, "profile Ascii"},
		{"dumb", "dumb", nil, "profile NoTTY"},
	}
	src := newFakeSource(allUp)
	h := startServer(t, src, Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := h.mustDial(t)
			sess, err := c.NewSession()
			if err != nil {
				t.Fatal(err)
			}
			defer sess.Close()
			for k, v := range tc.env {
				if err := sess.Setenv(k, v); err != nil {
					t.Fatalf("setenv %s: %v", k, err)
				}
			}
			if err := sess.RequestPty(tc.term, 24, 80, gossh.TerminalModes{}); err != nil {
				t.Fatal(err)
			}
			out, _ := sess.StdoutPipe()
			if err := sess.Shell(); err != nil {
				t.Fatal(err)
			}
			newScreen(out).waitFor(t, tc.want)
		})
	}
}

func TestRefusedBeforeAnySession(t *testing.T) {
	t.Parallel()
	h := startServer(t, newFakeSource(allUp), Options{})
	stranger := newTestKey(t)
	cases := []struct {
		name string
		auth gossh.AuthMethod
	}{
		{"unknown key", gossh.PublicKeys(stranger.signer)},
		{"password", gossh.Password("hunter2")},
		{"keyboard-interactive", gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			return []string{"hunter2"}, nil
		})},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := h.dial(t, tc.auth)
			if err == nil {
				c.Close()
				t.Fatal("connection accepted; want authentication refused")
			}
			if !strings.Contains(err.Error(), "unable to authenticate") {
				t.Errorf("err = %v; want an authentication failure", err)
			}
		})
	}
}

func TestCommands(t *testing.T) {
	t.Parallel()
	down := map[string]store.Status{"checkout-api": store.Up, "billing-db": store.Down}
	cases := []struct {
		name     string
		statuses map[string]store.Status
		cmd      string
		code     int
		stdout   []string
		stderr   string
	}{
		{"check all up", allUp, "check", 0, []string{"checkout-api", "billing-db", "3 services: 2 up, 1 degraded, 0 down"}, ""},
		{"check one down", down, "check", 1, []string{"✖ down", "billing-db"}, ""},
		{"help", allUp, "help", 0, []string{"check --json"}, ""},
		{"unknown", allUp, "rm -rf /", 2, nil, `uptop: unknown command "rm -rf /"`},
		{"check with junk", allUp, "check --yaml", 2, nil, "unknown command"},
		{"shell metacharacters", allUp, "check; id", 2, nil, "unknown command"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := startServer(t, newFakeSource(tc.statuses), Options{})
			out, errOut, code := run(t, h.mustDial(t), tc.cmd)
			if code != tc.code {
				t.Errorf("exit status %d; want %d (stderr %q)", code, tc.code, errOut)
			}
			for _, w := range tc.stdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			if tc.stderr != "" && (!strings.Contains(errOut, tc.stderr) || strings.Count(errOut, "\n") != 1) {
				t.Errorf("stderr = %q; want one line with %q", errOut, tc.stderr)
			}
		})
	}
}

func TestCheckJSON(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		statuses map[string]store.Status
		code     int
	}{
		{"all up", allUp, 0},
		{"one down", map[string]store.Status{"search": store.Down}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := startServer(t, newFakeSource(tc.statuses), Options{})
			out, _, code := run(t, h.mustDial(t), "check --json")
			if code != tc.code {
				t.Errorf("exit status %d; want %d", code, tc.code)
			}
			var rows []struct{ Name, Status, Target string }
			if err := json.Unmarshal([]byte(out), &rows); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			if len(rows) != len(tc.statuses) {
				t.Fatalf("%d rows; want %d", len(rows), len(tc.statuses))
			}
			for _, r := range rows {
				if r.Status != tc.statuses[r.Name].String() {
					t.Errorf("%s: status %q; want %q", r.Name, r.Status, tc.statuses[r.Name])
				}
			}
		})
	}
}

func TestNoTerminalNoCommand(t *testing.T) {
	t.Parallel()
	h := startServer(t, newFakeSource(allUp), Options{})
	sess, err := h.mustDial(t).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var errb strings.Builder
	sess.Stderr = &errb
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	err = sess.Wait()
	if ee, ok := err.(*gossh.ExitError); !ok || ee.ExitStatus() != 2 {
		t.Fatalf("err = %v; want exit status 2", err)
	}
	if !strings.Contains(errb.String(), "no terminal") {
		t.Errorf("stderr = %q", errb.String())
	}
}

func TestMaxSessions(t *testing.T) {
	t.Parallel()
	h := startServer(t, newFakeSource(allUp), Options{MaxSessions: 1})
	_, scr, _ := openTUI(t, h.mustDial(t), "xterm", 80, 24)
	scr.waitFor(t, "checkout-api")
	_, errOut, code := run(t, h.mustDial(t), "check")
	if code != 1 || !strings.Contains(errOut, "too many sessions (max_sessions = 1)") {
		t.Fatalf("second session: exit %d, stderr %q; want 1 and the max_sessions message", code, errOut)
	}
}

func TestHostKeyPersists(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	keys := filepath.Join(dir, "authorized_keys")
	writeFile(t, keys, newTestKey(t).authorizedLine())
	path := filepath.Join(dir, "state", "ssh", "host_ed25519")
	opt := Options{AuthorizedKeys: keys, HostKeyPath: path}
	first, err := New(newFakeSource(allUp), opt)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("host key not written: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("host key mode %v; want 0600", fi.Mode().Perm())
	}
	second, err := New(newFakeSource(allUp), opt)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := gossh.FingerprintSHA256(first.HostKey()), gossh.FingerprintSHA256(second.HostKey()); a != b || first.HostKey().Type() != gossh.KeyAlgoED25519 {
		t.Fatalf("host key changed across restarts: %s then %s (type %s)", a, b, first.HostKey().Type())
	}
}

func TestNewErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope", "authorized_keys")
	cases := []struct {
		name string
		opt  Options
		want string
	}{
		{"missing authorized_keys", Options{AuthorizedKeys: missing, HostKeyPath: filepath.Join(dir, "k")}, missing},
		{"no authorized_keys", Options{HostKeyPath: filepath.Join(dir, "k")}, "authorized_keys is required"},
		{"no host key path", Options{AuthorizedKeys: missing}, "host key path is required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(newFakeSource(allUp), tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v; want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestAuthorizedKeysReloaded(t *testing.T) {
	t.Parallel()
	h := startServer(t, newFakeSource(allUp), Options{})
	late := newTestKey(t)
	if c, err := h.dial(t, gossh.PublicKeys(late.signer)); err == nil {
		c.Close()
		t.Fatal("key accepted before it was added")
	}
	path := filepath.Join(h.dir, "authorized_keys")
	// A garbage line must not lock out the valid keys around it.
	writeFile(t, path, h.allowed.authorizedLine()+"ssh-ed25519 not-base64!!\n"+late.authorizedLine())
	// Make sure the mtime moves even on coarse-grained filesystems.
	future := time.Now().Add(time.Minute)
	if err := os.Chtimes(path, future, future); err != nil {
		t.Fatal(err)
	}
	for _, k := range []testKey{late, h.allowed} {
		c, err := h.dial(t, gossh.PublicKeys(k.signer))
		if err != nil {
			t.Fatalf("key refused after reload: %v", err)
		}
		c.Close()
	}
}
