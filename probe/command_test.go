package probe

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCommandCheck(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		argv []string
		code int
		err  string
	}{
		"exit 0":        {argv: []string{"true"}},
		"exit 1":        {argv: []string{"false"}, code: 1, err: "exit status 1"},
		"stderr line":   {argv: []string{"sh", "-c", "echo 'db: no response' >&2; echo second >&2; exit 2"}, code: 2, err: "exit status 2: db: no response"},
		"no shell":      {argv: []string{"echo", "$HOME", ";", "false"}},
		"not found":     {argv: []string{"uptop-no-such-program"}, err: "cannot start uptop-no-such-program: not found in PATH; write the full path"},
		"chatty stderr": {argv: []string{"sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x >&2; exit 4"}, code: 4, err: "exit status 4: xxxx"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := NewCommandChecker(Target{Kind: "command", Timeout: 5 * time.Second, Command: CommandOptions{Argv: tc.argv}})
			if err != nil {
				t.Fatal(err)
			}
			r := c.Check(context.Background())
			if r.OK != (tc.err == "") || !strings.HasPrefix(r.Err, tc.err) || r.Code != tc.code {
				t.Fatalf("OK=%v Code=%d Err=%q, want code %d, error %q", r.OK, r.Code, r.Err, tc.code, tc.err)
			}
			if len(r.Err) > 300 {
				t.Fatalf("Err is %d bytes: the message must stay one short line", len(r.Err))
			}
		})
	}
}

// TestCommandTimeoutKillsGroup runs a shell that starts a background child
// and hangs: after the timeout, both must be gone.
func TestCommandTimeoutKillsGroup(t *testing.T) {
	t.Parallel()
	pids := filepath.Join(t.TempDir(), "pids")
	script := "sleep 30 & echo $$ $! > " + pids + "; wait"
	c, err := NewCommandChecker(Target{Kind: "command", Timeout: 300 * time.Millisecond, Command: CommandOptions{Argv: []string{"sh", "-c", script}}})
	if err != nil {
		t.Fatal(err)
	}
	r := checkBounded(t, c)
	if r.OK || r.Err != "timeout after 300ms while waiting for a reply" {
		t.Fatalf("Err=%q, want the timeout", r.Err)
	}
	data, err := os.ReadFile(pids)
	if err != nil {
		t.Fatalf("the script did not start its child: %v", err)
	}
	for _, f := range strings.Fields(string(data)) {
		pid, _ := strconv.Atoi(f)
		waitGone(t, pid)
	}
}

// waitGone fails unless pid exits (or is a zombie awaiting its reaper)
// within 2 s.
func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return
		}
		// The state follows the ")" that ends the command name.
		if i := strings.LastIndexByte(string(stat), ')'); i > 0 && len(stat) > i+2 && stat[i+2] == 'Z' {
			return
		}
		time.Sleep(10 * time.Millisecond) // polling /proc: there is no event to wait on
	}
	t.Fatalf("process %d still runs after the check's timeout", pid)
}

func TestCommandFactoryValidates(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]Target{
		"empty":      {Timeout: time.Second},
		"empty name": {Timeout: time.Second, Command: CommandOptions{Argv: []string{""}}},
		"no timeout": {Command: CommandOptions{Argv: []string{"true"}}},
	} {
		if _, err := NewCommandChecker(tc); err == nil {
			t.Errorf("%s: accepted %+v", name, tc)
		}
	}
}
