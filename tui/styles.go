package tui

import (
	"image/color"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"

	"github.com/uptop-dev/uptop/store"
)

// palette is the one theme: every colour the TUI uses, for a dark and a
// light background. The renderer downsamples it to the colour profile (and
// drops it entirely under NO_COLOR), so nothing here may carry meaning that
// glyphs and bold do not carry too.
type palette struct {
	up, degraded, down, unknown, maint, paused color.Color
	dim, accent, spark, selBg                  color.Color
}

func newPalette(dark bool) palette {
	ld := lipgloss.LightDark(dark)
	c := lipgloss.Color
	return palette{
		up:       ld(c("#008700"), c("#5FD787")),
		degraded: ld(c("#AF8700"), c("#FFD75F")),
		down:     ld(c("#D70000"), c("#FF5F5F")),
		unknown:  ld(c("#6C6C6C"), c("#8A8A8A")),
		maint:    ld(c("#005FD7"), c("#5FAFFF")),
		paused:   ld(c("#6C6C6C"), c("#8A8A8A")),
		dim:      ld(c("#767676"), c("#808080")),
		accent:   ld(c("#005FAF"), c("#87AFFF")),
		spark:    ld(c("#0087AF"), c("#87AFD7")),
		selBg:    ld(c("#DCE6F2"), c("#2E3646")),
	}
}

// rowStyles style one table row's cells; the selected row gets its own set
// with the selection background on every cell, so no reset in the middle
// of the row punches a hole in the highlight.
type rowStyles struct {
	status                                   [6]ink // by store.Status
	text, dim, marker                        ink
	spark, sparkWarn, sparkFail, sparkNoData ink
}

// ink is a style reduced to its escape sequences, for the hot path: a
// table row paints a dozen cells per frame and lipgloss.Style.Render costs
// microseconds each. Only for styles without width, padding or borders.
type ink struct{ pre, post string }

func inkOf(st lipgloss.Style) ink {
	s := st.Render("\x01")
	i := strings.IndexByte(s, 1)
	if i < 0 {
		return ink{}
	}
	return ink{pre: s[:i], post: s[i+1:]}
}

func (k ink) Render(s string) string {
	if s == "" {
		return ""
	}
	return k.pre + s + k.post
}

// Styles are built once per theme (dark or light background) and shared by
// every component; they never paint the base background.
type Styles struct {
	dark bool

	Title, Dim, Accent, Bold, Notice, Error lipgloss.Style
	Header, HeaderSorted                    lipgloss.Style
	Status                                  [6]lipgloss.Style
	header, headerSorted, dim               ink // hot-path twins of the above

	row, sel rowStyles
	Help     help.Styles
	Input    textinput.Styles
}

func newStyles(dark bool) *Styles {
	p := newPalette(dark)
	s := &Styles{dark: dark}
	base := lipgloss.NewStyle()
	s.Title = base.Bold(true).Foreground(p.accent)
	s.Dim = base.Foreground(p.dim)
	s.Accent = base.Foreground(p.accent)
	s.Bold = base.Bold(true)
	s.Notice = base.Foreground(p.degraded)
	s.Error = base.Foreground(p.down).Bold(true)
	s.Header = base.Foreground(p.dim).Bold(true)
	s.HeaderSorted = base.Foreground(p.accent).Bold(true).Underline(true)
	s.Status = statusStyles(base, p)
	s.header, s.headerSorted, s.dim = inkOf(s.Header), inkOf(s.HeaderSorted), inkOf(s.Dim)
	s.row = newRowStyles(base, p)
	s.sel = newRowStyles(base.Background(p.selBg), p)
	s.sel.text = inkOf(base.Background(p.selBg).Bold(true))
	s.Help = help.DefaultStyles(dark)
	s.Input = textinput.DefaultStyles(dark)
	return s
}

func statusStyles(base lipgloss.Style, p palette) [6]lipgloss.Style {
	var st [6]lipgloss.Style
	st[store.Unknown] = base.Foreground(p.unknown)
	st[store.Up] = base.Foreground(p.up)
	st[store.Degraded] = base.Foreground(p.degraded)
	st[store.Down] = base.Foreground(p.down).Bold(true) // bold: readable without colour
	st[store.Maintenance] = base.Foreground(p.maint)
	st[store.Paused] = base.Foreground(p.paused)
	return st
}

func newRowStyles(base lipgloss.Style, p palette) rowStyles {
	rs := rowStyles{
		text:        inkOf(base),
		dim:         inkOf(base.Foreground(p.dim)),
		marker:      inkOf(base.Foreground(p.accent).Bold(true)),
		spark:       inkOf(base.Foreground(p.spark)),
		sparkWarn:   inkOf(base.Foreground(p.degraded)),
		sparkFail:   inkOf(base.Foreground(p.down).Bold(true)),
		sparkNoData: inkOf(base.Foreground(p.dim)),
	}
	for i, st := range statusStyles(base, p) {
		rs.status[i] = inkOf(st)
	}
	return rs
}

// glyphs are the characters that carry meaning without colour. The ASCII
// set is for TERM=linux or dumb, whose fonts lack the block elements.
type glyphs struct {
	status   [6]string
	levels   []rune
	fail     rune
	noData   rune
	marker   string
	ellipsis string
	dash     string // "no data" in a figure column
	up, down string // sort arrows
}

var statusWords = [6]string{"unknown", "up", "degraded", "down", "maint", "paused"}

func newGlyphs(ascii bool) glyphs {
	if ascii {
		return glyphs{
			status: [6]string{"?", "o", "^", "x", "*", "="},
			levels: []rune("_.-=#"), fail: 'x', noData: ' ',
			marker: ">", ellipsis: "~", dash: "-", up: "^", down: "v",
		}
	}
	return glyphs{
		status: [6]string{"?", "●", "▲", "✖", "◆", "‖"},
		levels: []rune("▁▂▃▄▅▆▇█"), fail: '✖', noData: '·',
		marker: "▶", ellipsis: "…", dash: "—", up: "↑", down: "↓",
	}
}

// statusLabel is a status as glyph + word, e.g. "✖ down".
func (g glyphs) statusLabel(s store.Status) string {
	if int(s) >= len(statusWords) {
		s = store.Unknown
	}
	return g.status[s] + " " + statusWords[s]
}
