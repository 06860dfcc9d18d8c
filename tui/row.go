package tui

import (
	"strings"
	"time"

	"github.com/uptop-dev/uptop/store"
)

// Fixed column widths; name, target and the sparkline share what is left.
const (
	markerW              = 2
	statusW              = 10 // "▲ degraded"
	latW                 = 8  // "latency↓"
	p95W                 = 7  // "p95 1h↓"
	upW                  = 7  // "up 24h↓"
	agoW                 = 8  // "checked↓", "59m ago"
	nameMin, nameMax     = 8, 28
	targetMin, targetMax = 10, 48
	sparkMin             = 8
)

// layout is the table's column widths for one terminal width; 0 hides a
// column. gen changes whenever the widths do, so cached rows can tell.
type layout struct {
	width                                          int
	status, name, target, lat, p95, up, spark, ago int
	gen                                            int
}

// newLayout fits the columns into width, dropping the least useful ones
// first (target, then p95, the sparkline, uptime) on narrow terminals.
// longestName and longestTarget stop those columns from hoarding space.
func newLayout(width, longestName, longestTarget int) layout {
	l := layout{width: width, status: statusW, name: nameMin, lat: latW, ago: agoW}
	used := markerW + statusW + 1 + nameMin + 1 + latW + 1 + agoW
	try := func(col *int, w int) {
		if used+1+w <= width {
			*col = w
			used += 1 + w
		}
	}
	try(&l.up, upW)
	try(&l.spark, sparkMin)
	try(&l.p95, p95W)
	try(&l.target, targetMin)
	spare := max(width-used, 0)
	grow := func(col *int, limit int) {
		if *col == 0 {
			return
		}
		add := min(spare, max(limit-*col, 0))
		*col += add
		spare -= add
	}
	grow(&l.name, min(max(longestName, nameMin), nameMax))
	grow(&l.target, min(max(longestTarget, targetMin), targetMax/2))
	grow(&l.spark, store.RecentSamples)
	grow(&l.target, targetMax)
	grow(&l.name, nameMax)
	return l
}

func (l layout) same(o layout) bool {
	o.gen = l.gen
	return l == o
}

// rowKey is what a rendered row depends on, apart from the "ago" cell that
// changes every second and is drawn at View time.
type rowKey struct {
	version       uint64
	layout, theme int
	selected      bool
}

type cachedRow struct {
	key rowKey
	s   string
}

// rowCache holds rendered rows by service id. Only visible rows are ever
// rendered, so it holds at most every row the user has scrolled past.
type rowCache struct{ rows map[string]cachedRow }

func newRowCache() *rowCache { return &rowCache{rows: map[string]cachedRow{}} }

// row returns st's rendered row (without the "ago" cell), rendering it only
// when its key changed.
func (c *rowCache) row(st *store.ServiceState, k rowKey, r *rowRenderer) string {
	if cr, ok := c.rows[st.ID]; ok && cr.key == k {
		return cr.s
	}
	s := r.render(st, k.selected)
	c.rows[st.ID] = cachedRow{key: k, s: s}
	return s
}

// rowRenderer turns one service into one styled line.
type rowRenderer struct {
	l  layout
	st *Styles
	g  glyphs
}

func (r *rowRenderer) render(s *store.ServiceState, selected bool) string {
	rs := &r.st.row
	marker := "  "
	if selected {
		rs = &r.st.sel
		marker = fit(r.g.marker, markerW, "", false)
	}
	var b strings.Builder
	gap := rs.text.Render(" ")
	b.WriteString(rs.marker.Render(marker))
	b.WriteString(rs.status[statusIndex(s.Status)].Render(fit(r.g.statusLabel(s.Status), r.l.status, r.g.ellipsis, false)))
	b.WriteString(gap + rs.text.Render(fit(s.Name, r.l.name, r.g.ellipsis, false)))
	if r.l.target > 0 {
		b.WriteString(gap + rs.dim.Render(fit(s.Target, r.l.target, r.g.ellipsis, false)))
	}
	b.WriteString(gap + rs.text.Render(fit(fmtDur(s.LastLatency, r.g.dash), r.l.lat, "", true)))
	if r.l.p95 > 0 {
		b.WriteString(gap + rs.text.Render(fit(fmtDur(s.P95Hour, r.g.dash), r.l.p95, "", true)))
	}
	if r.l.up > 0 {
		b.WriteString(gap + rs.text.Render(fit(fmtUptime(s.Uptime24h, r.g.dash), r.l.up, "", true)))
	}
	if r.l.spark > 0 {
		b.WriteString(gap + renderSpark(sparkCells(s.Samples, r.l.spark, r.g), rs))
	}
	return b.String()
}

// agoCell is the per-second part of a row, with the trailing padding that
// carries the selection highlight to the edge.
func (r *rowRenderer) agoCell(s *store.ServiceState, now time.Time, selected bool) string {
	rs := &r.st.row
	if selected {
		rs = &r.st.sel
	}
	used := r.usedWidth()
	tail := max(r.l.width-used-1-r.l.ago, 0)
	return rs.text.Render(" ") + rs.dim.Render(fit(fmtAgo(now, s.LastCheck), r.l.ago, "", true)+strings.Repeat(" ", tail))
}

// usedWidth is the width of the cached part of a row.
func (r *rowRenderer) usedWidth() int {
	w := markerW + r.l.status + 1 + r.l.name + 1 + r.l.lat
	for _, c := range []int{r.l.target, r.l.p95, r.l.up, r.l.spark} {
		if c > 0 {
			w += 1 + c
		}
	}
	return w
}

func statusIndex(s store.Status) int {
	if int(s) < len(statusWords) {
		return int(s)
	}
	return int(store.Unknown)
}
