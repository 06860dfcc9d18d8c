package statusd

import (
	"fmt"
	"strconv"
	"time"

	"github.com/uptop-dev/uptop/store"
)

// bar is one day of the 90-day bars: a colour class, the day and what the
// hover says about it.
type bar struct {
	Class string
	Date  time.Time // zero for a padding day when no day has data at all
	Note  string    // "100% up, no downtime", "99.50% up, 7 min down", "no data"
	// Alone keeps the day out of runs: days with downtime get their own
	// rect and hover text, so a bad day is never hidden inside a good run.
	Alone bool
}

// Title is the day's hover text: "Nov 24: 99.95% up, 1 min down".
func (b bar) Title() string { return string(appendTitle(nil, b, b)) }

// appendTitle is the hover text of the run from first to last (the same
// day for a single bar): "Aug 27 – Nov 24: 100% up, no downtime".
func appendTitle(b []byte, first, last bar) []byte {
	switch {
	case first.Date.IsZero() && last.Date.IsZero():
	case first.Date.Equal(last.Date):
		b = last.Date.UTC().AppendFormat(b, "Jan 2")
		b = append(b, ": "...)
	default:
		b = first.Date.UTC().AppendFormat(b, "Jan 2")
		b = append(b, " – "...)
		b = last.Date.UTC().AppendFormat(b, "Jan 2")
		b = append(b, ": "...)
	}
	return append(b, last.Note...)
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
		out[i] = bar{Class: "b0", Note: "no data"}
		if len(days) > 0 {
			out[i].Date = days[0].Date.AddDate(0, 0, i-pad)
		}
	}
	for i, d := range days {
		out[pad+i] = dayBar(d)
	}
	return out
}

// dayBar is one day with data (or a day the rollup says had no checks).
func dayBar(d store.Day) bar {
	b := bar{Class: barClass(d), Date: d.Date, Note: "no data"}
	if b.Class == "b0" {
		return b
	}
	switch {
	case d.DowntimeMinutes == 0 && d.Uptime >= 1:
		b.Note = "100% up, no downtime" // most days: no allocation
	case d.DowntimeMinutes == 0:
		b.Note = pct(d.Uptime) + " up, no downtime"
	default:
		b.Note = pct(d.Uptime) + " up, " + strconv.Itoa(d.DowntimeMinutes) + " min down"
		b.Alone = true
	}
	return b
}

// runEnd is the end (exclusive) of the run of bars starting at i: days with
// the same class and hover note. The last bar (today) is always alone so
// live updates can recolour it without touching the days before.
func runEnd(bars []bar, i int) int {
	j := i + 1
	if bars[i].Alone {
		return j
	}
	for j < len(bars)-1 && !bars[j].Alone && bars[j].Class == bars[i].Class && bars[j].Note == bars[i].Note {
		j++
	}
	return j
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
