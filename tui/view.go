package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/uptop-dev/uptop/store"
)

// View is the root's frame: header, the current component, footer.
func (m Model) View() tea.View {
	v := tea.NewView(m.content())
	v.AltScreen = true
	v.WindowTitle = m.title()
	return v
}

func (m Model) content() string {
	switch {
	case m.width <= 0 || m.height <= 0:
		return "" // before the first size message, or a pipe
	case m.width < minWidth || m.height < minHeight:
		return m.tooSmall()
	}
	footer := m.footerLines()
	lines := make([]string, 0, m.height)
	if m.mode == modeDetail {
		lines = append(lines, m.detail.View())
	} else {
		lines = append(lines, m.headerLines()...)
		lines = append(lines, m.table.View())
	}
	body := strings.Join(lines, "\n")
	if pad := m.height - len(footer) - lipgloss.Height(body); pad > 0 {
		body += strings.Repeat("\n", pad)
	}
	return body + "\n" + strings.Join(footer, "\n")
}

func (m Model) tooSmall() string {
	why := fmt.Sprintf("(need %d×%d, have %d×%d)", minWidth, minHeight, m.width, m.height)
	msg := "terminal too small " + why
	if len("terminal too small ")+ansi.StringWidth(why) > m.width {
		msg = "terminal too small\n" + why
	}
	return clipLines(strings.Split(ansi.Wrap(msg, m.width, ""), "\n"), m.width, m.height)
}

// resize hands each component its share of the screen; the header and
// footer heights depend on the state, so it runs after every update.
func (m *Model) resize() {
	w, h := m.width, m.height
	m.help.SetWidth(w)
	m.helpLines = m.renderHelp()
	footer := len(m.footerLines())
	m.table.SetSize(w, max(h-len(m.headerLines())-footer, 0))
	m.detail.SetSize(w, max(h-footer, 0))
	m.filter.SetSize(w/2, 1)
	m.help.SetWidth(w)
}

// headerLines are the title with the counts, and the sort and filter: on
// one line when they fit, else on two.
func (m Model) headerLines() []string {
	left := m.st.Title.Render(m.opt.Title) + "  " + m.counts()
	filter := m.st.Dim.Render("none")
	if q := m.filter.Value(); q != "" {
		filter = m.st.Accent.Render(q)
	}
	right := m.st.Dim.Render("sort ") + m.table.sort.label(m.g) + m.st.Dim.Render(" · filter ") + filter
	lw, rw := lipgloss.Width(left), lipgloss.Width(right)
	if lw+2+rw <= m.width {
		return []string{left + strings.Repeat(" ", m.width-lw-rw) + right}
	}
	return []string{ansi.Truncate(left, m.width, m.g.ellipsis), ansi.Truncate(right, m.width, m.g.ellipsis)}
}

// counts is "3 up · 1 degraded · 1 down", plus the rarer states when present.
func (m Model) counts() string {
	parts := m.countParts()
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = m.st.Status[p.status].Render(fmt.Sprintf("%d %s", p.n, statusWords[p.status]))
	}
	return strings.Join(out, m.st.Dim.Render(" · "))
}

func (m Model) countsPlain() string {
	var out []string
	for _, p := range m.countParts() {
		out = append(out, fmt.Sprintf("%d %s", p.n, statusWords[p.status]))
	}
	return strings.Join(out, " · ")
}

type countPart struct {
	n      int
	status store.Status
}

func (m Model) countParts() []countPart {
	var c store.Counts
	if m.snap != nil {
		c = m.snap.Counts
	}
	parts := []countPart{{c.Up, store.Up}, {c.Degraded, store.Degraded}, {c.Down, store.Down}}
	for _, p := range []countPart{{c.Unknown, store.Unknown}, {c.Maintenance, store.Maintenance}, {c.Paused, store.Paused}} {
		if p.n > 0 {
			parts = append(parts, p)
		}
	}
	return parts
}

// footerLines are the filter input while typing, else a notice, else the
// help for the current mode (several lines when ? expanded it).
func (m Model) footerLines() []string {
	switch {
	case m.filter.Focused():
		in := m.filter.View()
		hints := m.help.ShortHelpView(filterHelp{m.keys.filter}.ShortHelp())
		return []string{ansi.Truncate(in+"  "+hints, m.width, m.g.ellipsis)}
	case m.notice != "":
		style := m.st.Notice
		if m.noticeErr {
			style = m.st.Error
		}
		return []string{ansi.Truncate(style.Render(m.notice), m.width, m.g.ellipsis)}
	}
	return m.helpLines
}

// renderHelp renders the help bar once per update, not per frame.
func (m Model) renderHelp() []string {
	// help.Model can overrun its width by one item: clip.
	lines := strings.Split(m.help.View(m.helpKeys()), "\n")
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, m.width, m.g.ellipsis)
	}
	return lines
}
