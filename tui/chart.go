package tui

import (
	"math"
	"strings"
	"time"

	"github.com/guptarohit/asciigraph"

	"github.com/uptop-dev/uptop/probe"
)

// Chart geometry: the y labels are fixed at 6 cells (fmtDur's widest), so
// asciigraph's left margin is a known 8 cells: label, space, axis.
const (
	chartLabelW   = 6
	chartOverhead = chartLabelW + 2
	chartMinW     = chartOverhead + 10
)

// buckets is a time window cut into n equal slots: the slowest successful
// check in each (max, so a spike is never averaged away; NaN when none)
// and whether any check in it failed.
type buckets struct {
	maxMS []float64
	fail  []bool
	any   bool // at least one successful check
}

func bucketMax(results []probe.Result, from, to time.Time, n int) buckets {
	b := buckets{maxMS: make([]float64, n), fail: make([]bool, n)}
	for i := range b.maxMS {
		b.maxMS[i] = math.NaN()
	}
	span := to.Sub(from)
	if n <= 0 || span <= 0 {
		return b
	}
	for _, r := range results {
		if r.Start.Before(from) || r.Start.After(to) {
			continue
		}
		i := min(int(int64(r.Start.Sub(from))*int64(n)/int64(span)), n-1)
		if !r.OK {
			b.fail[i] = true
			continue
		}
		ms := float64(r.Duration) / float64(time.Millisecond)
		if math.IsNaN(b.maxMS[i]) || ms > b.maxMS[i] {
			b.maxMS[i] = ms
		}
		b.any = true
	}
	return b
}

// chartSpec is what renderChart draws.
type chartSpec struct {
	results   []probe.Result // newest first, as Source.Results returns them
	from, to  time.Time
	width     int // total cells, labels included
	height    int // plot rows
	threshold time.Duration
	g         glyphs
	dash      string
}

// renderChart draws the latency chart, a row of failure marks under it and
// the time axis. It returns nil when there is nothing to draw: asciigraph
// panics on an empty series, so it is never called without a point.
func renderChart(c chartSpec) []string {
	n := c.width - chartOverhead + 1
	if n < 2 || c.height < 2 {
		return nil
	}
	// Never more columns than checks: a young service's few points would
	// otherwise be scattered as unconnected dots across the width.
	n = max(min(n, inWindow(c.results, c.from, c.to)), 2)
	b := bucketMax(c.results, c.from, c.to, n)
	if !b.any {
		return nil
	}
	hi := 0.0
	for _, v := range b.maxMS {
		if !math.IsNaN(v) {
			hi = max(hi, v)
		}
	}
	series := [][]float64{b.maxMS}
	colors := []asciigraph.AnsiColor{asciigraph.Default}
	chars := []asciigraph.CharSet{asciigraph.DefaultCharSet}
	th := float64(c.threshold) / float64(time.Millisecond)
	// The threshold line only helps when it is on the same scale as the
	// data; a 1 s threshold over 5 ms checks would flatten the chart.
	if th > 0 && th <= hi*1.5 {
		line := make([]float64, n)
		for i := range line {
			line[i] = th
		}
		series = [][]float64{line, b.maxMS}
		colors = []asciigraph.AnsiColor{asciigraph.Yellow, asciigraph.Default}
		chars = []asciigraph.CharSet{asciigraph.CreateCharSet(thresholdGlyph(c.g)), asciigraph.DefaultCharSet}
	}
	plot := asciigraph.PlotMany(series,
		asciigraph.Height(c.height-1),
		asciigraph.LowerBound(0),
		asciigraph.SeriesColors(colors...),
		asciigraph.SeriesChars(chars...),
		asciigraph.YAxisValueFormatter(func(v float64) string {
			if v <= 0 {
				return "0"
			}
			return fmtDur(time.Duration(v*float64(time.Millisecond)), c.dash)
		}),
	)
	lines := strings.Split(plot, "\n")
	return append(lines, failRow(b.fail, c.g), timeAxis(c.from, c.to, chartOverhead+n-1))
}

func inWindow(results []probe.Result, from, to time.Time) int {
	n := 0
	for _, r := range results {
		if !r.Start.Before(from) && !r.Start.After(to) {
			n++
		}
	}
	return n
}

func thresholdGlyph(g glyphs) string {
	if g.dash == "-" {
		return "-"
	}
	return "┄"
}

// failRow marks, under the chart, every bucket that holds a failed check.
func failRow(fail []bool, g glyphs) string {
	rs := []rune(strings.Repeat(" ", chartOverhead-1+len(fail)))
	for i, f := range fail {
		if f {
			rs[chartOverhead-1+i] = g.fail
		}
	}
	return strings.TrimRight(string(rs), " ")
}

func timeAxis(from, to time.Time, width int) string {
	layout := "15:04"
	if to.Sub(from) < 10*time.Minute {
		layout = "15:04:05"
	}
	l, r := from.Format(layout), to.Format(layout)
	gap := width - chartOverhead - len(l) - len(r)
	if gap < 1 {
		return ""
	}
	return strings.Repeat(" ", chartOverhead-1) + l + strings.Repeat(" ", gap+1) + r
}
