package probe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// maxStderr is how much of a command's stderr is kept for its message.
const maxStderr = 4 << 10

// commandChecker runs one program without a shell, under the timeout, in
// its own process group so that a timeout kills everything it started.
// Exit 0 is up; anything else is down with the first line of stderr. Safe
// for concurrent use (each check starts its own process).
type commandChecker struct {
	argv    []string
	timeout time.Duration
}

var _ Checker = (*commandChecker)(nil)

// NewCommandChecker is the "command" Factory. Whether commands may run at
// all is the config's decision (allow_commands); this only checks argv.
func NewCommandChecker(t Target) (Checker, error) {
	if len(t.Command.Argv) == 0 || t.Command.Argv[0] == "" {
		return nil, errors.New(`command is empty; write e.g. command = ["pg_isready", "-h", "db"]`)
	}
	if t.Timeout <= 0 {
		return nil, errors.New("a command check needs a timeout; set timeout = \"5s\"")
	}
	return &commandChecker{argv: append([]string(nil), t.Command.Argv...), timeout: t.Timeout}, nil
}

// Check runs the command once.
func (c *commandChecker) Check(ctx context.Context) Result {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	res := Result{Start: start}
	cmd := exec.CommandContext(ctx, c.argv[0], c.argv[1:]...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// Kill the whole group: a shell script's children must not outlive it.
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	// A grandchild holding stderr open must not keep Wait from returning.
	cmd.WaitDelay = 100 * time.Millisecond
	stderr := &capped{max: maxStderr}
	cmd.Stderr = stderr
	err := cmd.Start()
	if err != nil {
		res.Duration = time.Since(start)
		res.Err = "cannot start " + c.argv[0] + ": " + startError(err)
		return res
	}
	err = cmd.Wait()
	res.Duration = time.Since(start)
	// Whatever the outcome, nothing the check started survives it.
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	switch {
	case ctx.Err() != nil:
		res.Err = describe(context.DeadlineExceeded, ctx.Err(), stageReply, allowed(ctx, start, c.timeout))
		if errors.Is(ctx.Err(), context.Canceled) {
			res.Err = "canceled while waiting for the command"
		}
	case err != nil:
		res.Err = exitMessage(err, stderr.String())
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			res.Code = ee.ExitCode()
		}
	}
	res.OK = res.Err == ""
	return res
}

// exitMessage is "exit status 2: <first line of stderr>".
func exitMessage(err error, stderr string) string {
	msg := err.Error()
	if line := strings.TrimSpace(firstLine([]byte(strings.TrimSpace(stderr)))); line != "" {
		msg += ": " + clip(line, 200)
	}
	return msg
}

func startError(err error) string {
	switch {
	case errors.Is(err, exec.ErrNotFound):
		return "not found in PATH; write the full path"
	case errors.Is(err, syscall.EACCES):
		return "permission denied; make it executable"
	}
	return err.Error()
}

// capped keeps the first max bytes written to it and drops the rest, so a
// chatty command cannot grow memory.
type capped struct {
	buf bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (c *capped) String() string { return c.buf.String() }

// String keeps fmt from printing the checker's argv, which may hold secrets.
func (c *commandChecker) String() string { return fmt.Sprintf("command %s", c.argv[0]) }
