package tui

import (
	"cmp"
	"slices"
	"strings"

	"github.com/uptop-dev/uptop/store"
)

// sortColumn is a table column the rows can be ordered by.
type sortColumn int

const (
	sortStatus sortColumn = iota
	sortName
	sortTarget
	sortLatency
	sortP95
	sortUptime
	sortLast
	numSortColumns
)

var sortNames = [numSortColumns]string{"status", "name", "target", "latency", "p95 1h", "up 24h", "last check"}

// sortDescDefault is each column's first direction when s selects it: the
// one that puts what needs attention on top.
var sortDescDefault = [numSortColumns]bool{
	sortStatus: true, sortLatency: true, sortP95: true,
}

// sortSpec is the active sort: a column and a direction. Descending on
// status means worst first; on "last check" ascending means most recent
// first (it orders by age).
type sortSpec struct {
	col  sortColumn
	desc bool
}

func defaultSort() sortSpec { return sortSpec{col: sortStatus, desc: true} }

// next is the following column in its default direction.
func (s sortSpec) next() sortSpec {
	c := (s.col + 1) % numSortColumns
	return sortSpec{col: c, desc: sortDescDefault[c]}
}

func (s sortSpec) reversed() sortSpec { return sortSpec{col: s.col, desc: !s.desc} }

func (s sortSpec) label(g glyphs) string {
	arrow := g.up
	if s.desc {
		arrow = g.down
	}
	return sortNames[s.col] + " " + arrow
}

// severity orders statuses from fine to worst.
var severity = [6]int{
	store.Up: 0, store.Paused: 1, store.Maintenance: 2,
	store.Unknown: 3, store.Degraded: 4, store.Down: 5,
}

func statusRank(s store.Status) int {
	if int(s) < len(severity) {
		return severity[s]
	}
	return severity[store.Unknown]
}

// sortServices orders svcs in place; ties keep their incoming (config)
// order so rows do not shuffle between snapshots.
func sortServices(svcs []*store.ServiceState, s sortSpec) {
	slices.SortStableFunc(svcs, func(a, b *store.ServiceState) int {
		c := compareBy(a, b, s.col)
		if s.desc {
			return -c
		}
		return c
	})
}

func compareBy(a, b *store.ServiceState, col sortColumn) int {
	switch col {
	case sortStatus:
		return cmp.Compare(statusRank(a.Status), statusRank(b.Status))
	case sortName:
		return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	case sortTarget:
		return cmp.Compare(a.Target, b.Target)
	case sortLatency:
		return cmp.Compare(a.LastLatency, b.LastLatency)
	case sortP95:
		return cmp.Compare(a.P95Hour, b.P95Hour)
	case sortUptime:
		return cmp.Compare(uptimeKey(a.Uptime24h), uptimeKey(b.Uptime24h))
	case sortLast:
		// Older checks have a larger age; never-checked is the oldest.
		return -cmp.Compare(lastKey(a), lastKey(b))
	}
	return 0
}

// uptimeKey puts services without checks below every measured ratio.
func uptimeKey(u store.Uptime) float64 {
	if u.Checks == 0 {
		return -1
	}
	return u.Ratio
}

func lastKey(s *store.ServiceState) int64 {
	if s.LastCheck.IsZero() {
		return -1 << 62
	}
	return s.LastCheck.UnixNano()
}
