package tui

import (
	"strings"

	"github.com/uptop-dev/uptop/store"
)

type sparkKind uint8

const (
	sparkOK sparkKind = iota
	sparkWarn
	sparkFail
	sparkNoData
)

type sparkCell struct {
	r    rune
	kind sparkKind
}

// sparkCells maps the last w samples to w cells, oldest on the left. A
// failure is a mark (never a gap) and missing history on the left is the
// no-data glyph. Successful latencies are scaled between this row's own
// minimum and maximum, so every row uses the full height.
func sparkCells(samples []store.Sample, w int, g glyphs) []sparkCell {
	if w <= 0 {
		return nil
	}
	if len(samples) > w {
		samples = samples[len(samples)-w:]
	}
	lo, hi := latencyRange(samples)
	cells := make([]sparkCell, w)
	pad := w - len(samples)
	for i := 0; i < pad; i++ {
		cells[i] = sparkCell{g.noData, sparkNoData}
	}
	top := len(g.levels) - 1
	for i, s := range samples {
		c := &cells[pad+i]
		if s.Failed() {
			*c = sparkCell{g.fail, sparkFail}
			continue
		}
		lvl := 0
		if hi > lo {
			lvl = int(float64(s.LatencyUS-lo)/float64(hi-lo)*float64(top) + 0.5)
		}
		c.r = g.levels[lvl]
		if s.Status == store.Degraded {
			c.kind = sparkWarn
		}
	}
	return cells
}

// latencyRange is the min and max latency of the successful samples.
func latencyRange(samples []store.Sample) (lo, hi uint32) {
	first := true
	for _, s := range samples {
		if s.Failed() {
			continue
		}
		if first || s.LatencyUS < lo {
			lo = s.LatencyUS
		}
		if first || s.LatencyUS > hi {
			hi = s.LatencyUS
		}
		first = false
	}
	return lo, hi
}

// renderSpark styles the cells one run of equal kind at a time, so a row
// costs a handful of style renders, not one per cell.
func renderSpark(cells []sparkCell, st *rowStyles) string {
	var b, run strings.Builder
	kind := sparkKind(255)
	flush := func() {
		if run.Len() > 0 {
			b.WriteString(sparkStyle(kind, st).Render(run.String()))
			run.Reset()
		}
	}
	for _, c := range cells {
		if c.kind != kind {
			flush()
			kind = c.kind
		}
		run.WriteRune(c.r)
	}
	flush()
	return b.String()
}

func sparkStyle(k sparkKind, st *rowStyles) ink {
	switch k {
	case sparkWarn:
		return st.sparkWarn
	case sparkFail:
		return st.sparkFail
	case sparkNoData:
		return st.sparkNoData
	default:
		return st.spark
	}
}

// sparkText is the cells as plain runes (tests, and width checks).
func sparkText(cells []sparkCell) string {
	rs := make([]rune, len(cells))
	for i, c := range cells {
		rs[i] = c.r
	}
	return string(rs)
}
