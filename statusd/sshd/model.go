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
// session cannot be suspended: SuspendMsg becomes ResumeMsg), keeps a 0×0
// window at the fallback size, and, for a
// colourless session (NO_COLOR, a dumb terminal), drops the capability
// reports with which bubbletea would upgrade the profile to truecolor.
func sessionFilter(sess ssh.Session) tea.ProgramOption {
	pty, _, _ := sess.Pty()
	colourless := colorprofile.Env(append(sess.Environ(), "TERM="+pty.Term)) <= colorprofile.ASCII
	return tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg { return filterMsg(colourless, msg) })
}

func filterMsg(colourless bool, msg tea.Msg) tea.Msg {
	switch m := msg.(type) {
	case tea.SuspendMsg:
		return tea.ResumeMsg{}
	case tea.WindowSizeMsg:
		// A PTY that reports 0×0 (ssh -tt from a pipe) can do so after
		// the initial fallback size too; keep drawing for a classic
		// terminal instead of for nothing.
		if m.Width <= 0 || m.Height <= 0 {
			return tea.WindowSizeMsg{Width: fallbackWidth, Height: fallbackHeight}
		}
	case tea.CapabilityMsg:
		if colourless {
			return nil
		}
	}
	return msg
}
