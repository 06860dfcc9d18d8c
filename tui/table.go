package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/uptop-dev/uptop/store"
)

// tableModel is the list of services: filtered, sorted, scrolled. Rows are
// rendered lazily by View, only the visible ones, through the row cache.
type tableModel struct {
	all    []*store.ServiceState // the snapshot's services, config order
	rows   []*store.ServiceState // filtered and sorted
	cursor int
	offset int
	selID  string // keeps the selection on the same service across re-sorts
	moved  bool   // until the user moves, the cursor stays on the top row

	sort  sortSpec
	query query
	now   time.Time

	width, height int // height includes the column header line
	lay           layout
	longName      int
	longTarget    int

	st    *Styles
	theme int
	g     glyphs
	keys  keyMap
	cache *rowCache
}

func newTable(st *Styles, g glyphs, keys keyMap) tableModel {
	return tableModel{sort: defaultSort(), st: st, g: g, keys: keys, cache: newRowCache()}
}

// SetServices replaces the data (a new snapshot) and re-applies filter and sort.
func (t tableModel) SetServices(svcs []*store.ServiceState) tableModel {
	t.all = svcs
	t.longName, t.longTarget = 0, 0
	for _, s := range svcs {
		t.longName = max(t.longName, width(s.Name))
		t.longTarget = max(t.longTarget, width(s.Target))
	}
	t.relayout()
	return t.refresh()
}

func (t tableModel) SetQuery(q query) tableModel   { t.query = q; return t.refresh() }
func (t tableModel) SetSort(s sortSpec) tableModel { t.sort = s; return t.refresh() }
func (t tableModel) SetNow(now time.Time) tableModel {
	t.now = now
	return t
}

// SetTheme switches styles or glyphs; every cached row becomes stale.
func (t tableModel) SetTheme(st *Styles, g glyphs) tableModel {
	t.st, t.g = st, g
	t.theme++
	return t
}

func (t *tableModel) SetSize(w, h int) {
	t.width, t.height = w, h
	t.relayout()
	t.clampOffset()
}

func (t *tableModel) relayout() {
	l := newLayout(t.width, t.longName, t.longTarget)
	if !l.same(t.lay) {
		l.gen = t.lay.gen + 1
		t.lay = l
	}
}

// refresh rebuilds the visible list and puts the cursor back on the
// service it was on, if that service is still listed.
func (t tableModel) refresh() tableModel {
	rows := make([]*store.ServiceState, 0, len(t.all))
	for _, s := range t.all {
		if t.query.match(s) {
			rows = append(rows, s)
		}
	}
	sortServices(rows, t.sort)
	t.rows = rows
	t.cursor = min(t.cursor, max(len(rows)-1, 0))
	for i, s := range rows {
		if t.moved && s.ID == t.selID {
			t.cursor = i
			break
		}
	}
	return t.select_(t.cursor)
}

func (t tableModel) select_(i int) tableModel {
	t.cursor = max(min(i, len(t.rows)-1), 0)
	if len(t.rows) > 0 {
		t.selID = t.rows[t.cursor].ID
	}
	t.clampOffset()
	return t
}

func (t *tableModel) clampOffset() {
	page := t.pageSize()
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+page {
		t.offset = t.cursor - page + 1
	}
	t.offset = max(min(t.offset, len(t.rows)-page), 0)
}

func (t tableModel) pageSize() int { return max(t.height-1, 1) }

// Selected is the service under the cursor, nil when the list is empty.
func (t tableModel) Selected() *store.ServiceState {
	if len(t.rows) == 0 {
		return nil
	}
	return t.rows[t.cursor]
}

// Update moves the cursor.
func (t tableModel) Update(msg tea.Msg) (tableModel, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return t, nil
	}
	t.moved = true
	switch {
	case key.Matches(k, t.keys.Up):
		t = t.select_(t.cursor - 1)
	case key.Matches(k, t.keys.Down):
		t = t.select_(t.cursor + 1)
	case key.Matches(k, t.keys.PageUp):
		t = t.select_(t.cursor - t.pageSize())
	case key.Matches(k, t.keys.PageDown):
		t = t.select_(t.cursor + t.pageSize())
	case key.Matches(k, t.keys.Top):
		t = t.select_(0)
	case key.Matches(k, t.keys.Bottom):
		t = t.select_(len(t.rows) - 1)
	}
	return t, nil
}

// View is the column header and the visible rows.
func (t tableModel) View() string {
	if t.width <= 0 || t.height <= 0 {
		return ""
	}
	lines := make([]string, 0, t.height)
	lines = append(lines, t.headerView())
	if len(t.rows) == 0 {
		lines = append(lines, t.st.dim.Render(t.emptyText()))
		return clipLines(lines, t.width, t.height)
	}
	r := &rowRenderer{l: t.lay, st: t.st, g: t.g}
	end := min(t.offset+t.pageSize(), len(t.rows))
	for i := t.offset; i < end; i++ {
		s := t.rows[i]
		sel := i == t.cursor
		k := rowKey{version: s.Version, layout: t.lay.gen, theme: t.theme, selected: sel}
		lines = append(lines, t.cache.row(s, k, r)+r.agoCell(s, t.now, sel))
	}
	return strings.Join(lines, "\n")
}

func (t tableModel) emptyText() string {
	if len(t.all) == 0 {
		return "  no services: add [[service]] entries to services.toml"
	}
	return "  no service matches the filter (esc clears it)"
}

// headerView is the column titles, the sorted one with its arrow.
func (t tableModel) headerView() string {
	l := t.lay
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", markerW))
	b.WriteString(t.headerCell(l.status, "status", sortStatus, false))
	col := func(w int, name string, c sortColumn, right bool) {
		if w > 0 {
			b.WriteString(" " + t.headerCell(w, name, c, right))
		}
	}
	col(l.name, "name", sortName, false)
	col(l.target, "target", sortTarget, false)
	col(l.lat, "latency", sortLatency, true)
	col(l.p95, "p95 1h", sortP95, true)
	col(l.up, "up 24h", sortUptime, true)
	col(l.spark, sparkTitle(l.spark), -1, false)
	col(l.ago, "checked", sortLast, true)
	return b.String()
}

// headerCell is one column title; c < 0 is a column that cannot be sorted.
func (t tableModel) headerCell(w int, name string, c sortColumn, right bool) string {
	style := t.st.header
	if c == t.sort.col {
		style = t.st.headerSorted
		name += t.arrow()
	}
	return style.Render(fit(name, w, t.g.ellipsis, right))
}

func (t tableModel) arrow() string {
	if t.sort.desc {
		return t.g.down
	}
	return t.g.up
}

func sparkTitle(w int) string {
	if t := fmt.Sprintf("last %d checks", w); len(t) <= w {
		return t
	}
	return "recent"
}
