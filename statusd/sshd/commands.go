package sshd

import (
	"fmt"
	"io"

	"charm.land/ssh"

	"github.com/uptop-dev/uptop/report"
)

const helpText = `uptop over SSH
  ssh -t HOST             the live status view (read-only; q quits, ? for keys)
  ssh HOST check          the status table; exit 0 when all up, 1 when any is down
  ssh HOST check --json   the same as JSON
  ssh HOST help           this text
`

// runCommand answers the few read-only commands; nothing here reaches a
// shell, the config or a probe.
func (s *Server) runCommand(sess ssh.Session) {
	args := sess.Command()
	out := s.guarded(sess)
	switch {
	case len(args) == 1 && args[0] == "help":
		_, _ = io.WriteString(out, helpText)
		_ = sess.Exit(0)
	case len(args) >= 1 && args[0] == "check" && (len(args) == 1 || len(args) == 2 && args[1] == "--json"):
		rows := report.FromSnapshot(s.src.Snapshot())
		write := report.WriteTable
		if len(args) == 2 {
			write = report.WriteJSON
		}
		if err := write(out, rows); err != nil {
			s.opt.Logger.Warn("ssh: check output not delivered", "remote", sess.RemoteAddr().String(), "err", err)
		}
		_ = sess.Exit(report.ExitCode(rows))
	default:
		refuse(sess, 2, fmt.Sprintf("uptop: unknown command %q; try `help` (commands: check, check --json, help)", sess.RawCommand()))
	}
}

// commandName is what the log says the session ran: only known words, since
// anything else is client-chosen text.
func commandName(sess ssh.Session) string {
	args := sess.Command()
	switch {
	case sess.RawCommand() == "":
		return "tui"
	case len(args) == 1 && (args[0] == "help" || args[0] == "check"):
		return args[0]
	case len(args) == 2 && args[0] == "check" && args[1] == "--json":
		return "check --json"
	}
	return "unknown"
}
