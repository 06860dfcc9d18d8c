package sshd

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/uptop-dev/uptop/store"
)

// TestOpenSSH drives the server with the real `ssh` binary, host key pinned
// in known_hosts, as an operator would.
func TestOpenSSH(t *testing.T) {
	t.Parallel()
	bin, err := exec.LookPath("ssh")
	if err != nil {
		t.Skip("OpenSSH client not installed (apt-get install -y openssh-client)")
	}
	h := startServer(t, newFakeSource(map[string]store.Status{"checkout-api": store.Up, "billing-db": store.Down}), Options{})
	home := t.TempDir()
	keyFile := filepath.Join(home, "id_ed25519")
	block, err := gossh.MarshalPrivateKey(h.allowed.priv, "")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, keyFile, string(pem.EncodeToMemory(block)))
	host, port, _ := net.SplitHostPort(h.addr)
	knownHosts := filepath.Join(home, "known_hosts")
	writeFile(t, knownHosts, "["+host+"]:"+port+" "+string(gossh.MarshalAuthorizedKey(h.srv.HostKey())))
	sshCmd := func(ctx context.Context, extra ...string) *exec.Cmd {
		args := append([]string{"-F", "/dev/null", "-p", port, "-i", keyFile,
			"-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "BatchMode=yes",
			"-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
			"-o", "ConnectTimeout=5"}, extra...)
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH")}
		return cmd
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second) // a failure bound; busy CI is slow
	defer cancel()

	t.Run("check", func(t *testing.T) {
		out, err := sshCmd(ctx, "ops@"+host, "check").Output()
		if code := exitCode(t, err); code != 1 || !strings.Contains(string(out), "billing-db") {
			t.Fatalf("exit %d; want 1 with the table:\n%s", code, out)
		}
	})
	t.Run("check --json", func(t *testing.T) {
		out, err := sshCmd(ctx, "ops@"+host, "check", "--json").Output()
		if code := exitCode(t, err); code != 1 || !strings.Contains(string(out), `"status": "down"`) {
			t.Fatalf("exit %d; want 1 with JSON:\n%s", code, out)
		}
	})
	t.Run("unknown command", func(t *testing.T) {
		var stderr bytes.Buffer
		cmd := sshCmd(ctx, "ops@"+host, "sh")
		cmd.Stderr = &stderr
		if code := exitCode(t, cmd.Run()); code != 2 || !strings.Contains(stderr.String(), "unknown command") {
			t.Fatalf("exit %d; want 2, stderr %q", code, stderr.String())
		}
	})
	t.Run("password refused", func(t *testing.T) {
		out, err := sshCmd(ctx, "-o", "PreferredAuthentications=password,keyboard-interactive", "ops@"+host, "check").CombinedOutput()
		if code := exitCode(t, err); code != 255 || !strings.Contains(string(out), "Permission denied (publickey)") {
			t.Fatalf("exit %d; want 255 and publickey as the only method:\n%s", code, out)
		}
	})
	t.Run("tui", func(t *testing.T) {
		cmd := sshCmd(ctx, "-tt", "ops@"+host)
		in, _ := cmd.StdinPipe()
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		newScreen(out).waitFor(t, "billing-db")
		in.Write([]byte("q"))
		if err := cmd.Wait(); err != nil {
			t.Fatalf("ssh after q: %v", err)
		}
	})
}

func exitCode(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		t.Fatalf("ssh: %v", err)
	}
	return 0
}

func TestRateLimitPerIP(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	h := startServer(t, newFakeSource(allUp), Options{Clock: clock, RatePerIP: 0.5, Burst: 2})
	for i := range 2 {
		c, err := h.dial(t)
		if err != nil {
			t.Fatalf("connection %d within the burst refused: %v", i+1, err)
		}
		c.Close()
	}
	if c, err := h.dial(t); err == nil {
		c.Close()
		t.Fatal("third connection in the same instant accepted; want it refused by the rate limit")
	}
	clock.Advance(2 * time.Second) // one token back at 0.5/s
	c, err := h.dial(t)
	if err != nil {
		t.Fatalf("connection after the bucket refilled refused: %v", err)
	}
	c.Close()
}
