package statusd

import (
	"fmt"
	"strconv"

	"github.com/uptop-dev/uptop/store"
)

// bar is one day of the 90-day bars: a colour class and the hover text.
type bar struct {
	Class string
	Title string
}

// barClass colours a day by its uptime: b0 no data (grey), b1 ≥ 99.9 %,
// b2 ≥ 99 %, b3 ≥ 95 %, b4 below (red).
func barClass(d store.Day) string {
	switch {
	case !d.HasData || d.Checks == 0:
		return "b0"
	case d.Uptime >= 0.999:
		return "b1"
	case d.Uptime >= 0.99:
		return "b2"
	case d.Uptime >= 0.95:
		return "b3"
	}
	return "b4"
}

// makeBars turns the daily rollup into the bars the page draws, padding
// the front with grey days so there are always barDays of them.
func makeBars(days []store.Day) []bar {
	out := make([]bar, barDays)
	pad := barDays - len(days)
	if pad < 0 {
		days, pad = days[-pad:], 0
	}
	for i := range pad {
		out[i] = bar{Class: "b0", Title: "no data"}
	}
	buf := make([]byte, 0, 64)
	for i, d := range days {
		out[pad+i] = bar{Class: barClass(d), Title: string(dayTitle(buf[:0], d))}
	}
	return out
}

// dayTitle is the hover text: "2026-01-02 · 99.95% up · 1 min down".
func dayTitle(b []byte, d store.Day) []byte {
	b = d.Date.UTC().AppendFormat(b, "2006-01-02")
	if !d.HasData || d.Checks == 0 {
		return append(b, " · no data"...)
	}
	b = append(b, " · "...)
	b = append(b, pct(d.Uptime)...)
	b = append(b, " up · "...)
	b = strconv.AppendInt(b, int64(d.DowntimeMinutes), 10)
	return append(b, " min down"...)
}

// pct formats a ratio as a percentage with no more digits than it needs.
func pct(r float64) string {
	switch {
	case r >= 1:
		return "100%"
	case r >= 0.9999:
		return "99.99%"
	}
	return fmt.Sprintf("%.2f%%", r*100)
}

// uptimeText is "99.95%" or "—" when the window had no checks.
func uptimeText(u store.Uptime) string {
	if u.Checks == 0 {
		return "—"
	}
	return pct(u.Ratio)
}
