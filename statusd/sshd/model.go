package sshd

import (
	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"github.com/charmbracelet/colorprofile"

	"github.com/uptop-dev/uptop/tui"
)

// tuiModel is the uptop TUI over the server's read-only source, with ASCII
// glyphs for terminals whose fonts lack block elements.
func (s *Server) tuiModel(sess ssh.Session) tea.Model {
	pty, _, _ := sess.Pty()
	return tui.New(s.src, tui.Options{
		ReadOnly: true,
		Title:    s.opt.Title,
		Clock:    s.opt.Clock,
		ASCII:    asciiTerm(pty.Term),
	})
}

func asciiTerm(term string) bool {
	return term == "linux" || term == "dumb" || term == ""
}

// sessionFilter replaces the filter bubbletea.MakeOptions installs (a
// session cannot be suspended: SuspendMsg becomes ResumeMsg) and, for a
// colourless session (NO_COLOR, a dumb terminal), drops the capability
// reports with which bubbletea would upgrade the profile to truecolor.
func sessionFilter(sess ssh.Session) tea.ProgramOption {
	pty, _, _ := sess.Pty()
	colourless := colorprofile.Env(append(sess.Environ(), "TERM="+pty.Term)) <= colorprofile.ASCII
	return tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
		switch msg.(type) {
		case tea.SuspendMsg:
			return tea.ResumeMsg{}
		case tea.CapabilityMsg:
			if colourless {
				return nil
			}
		}
		return msg
	})
}
