package tui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/uptop-dev/uptop/store"
)

// fmtDur is a latency in at most 6 cells: "0.4ms", "12.3ms", "123ms",
// "1.23s", "12.3s". Zero means "no data" and is shown as dash.
func fmtDur(d time.Duration, dash string) string {
	switch {
	case d <= 0:
		return dash
	case d < 100*time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%dms", d/time.Millisecond)
	case d < 10*time.Second:
		return fmt.Sprintf("%.2fs", d.Seconds())
	case d < 100*time.Second:
		return fmt.Sprintf("%.1fs", d.Seconds())
	default:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	}
}

// fmtUptime is a ratio as a percentage that never rounds up to a perfect
// score it did not earn: 99.999% shows as "99.99%", not "100%".
func fmtUptime(u store.Uptime, dash string) string {
	if u.Checks == 0 {
		return dash
	}
	if u.Fails == 0 || u.Ratio >= 1 {
		return "100%"
	}
	pct := math.Floor(u.Ratio*10000) / 100
	return fmt.Sprintf("%.2f%%", pct)
}

// fmtAgo is how long ago t was, in the largest whole unit: "12s ago".
func fmtAgo(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < time.Second:
		return "now"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d/time.Hour))
	default:
		return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
	}
}

// fmtSpan is a duration for humans, two units at most: "3h12m", "45s".
func fmtSpan(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	default:
		return fmt.Sprintf("%dd%02dh", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
	}
}

// fit truncates s (plain text) to w cells with the ellipsis and pads it
// with spaces to exactly w cells; right aligns to the right.
func fit(s string, w int, ellipsis string, right bool) string {
	if w <= 0 {
		return ""
	}
	sw := width(s)
	if sw > w {
		s = ansi.Truncate(s, w, ellipsis)
		sw = ansi.StringWidth(s)
	}
	pad := strings.Repeat(" ", w-sw)
	if right {
		return pad + s
	}
	return s + pad
}

// clipLines keeps at most h lines of s, each cut to w cells.
func clipLines(lines []string, w, h int) string {
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	return strings.Join(lines, "\n")
}

// width is s's width in cells, without the grapheme walk for plain ASCII
// (most names, targets and figures) on the per-frame path.
func width(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}
