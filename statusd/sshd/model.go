package sshd

import (
	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
)

// tuiModel is the uptop TUI over the server's read-only source.
func (s *Server) tuiModel(sess ssh.Session) tea.Model {
	panic("tui.New not wired yet")
}
