package tui

import (
	"testing"

	"github.com/uptop-dev/uptop/store"
)

func sample(ms uint32, st store.Status) store.Sample {
	return store.Sample{LatencyUS: ms * 1000, Status: st}
}

func TestSparkCells(t *testing.T) {
	t.Parallel()
	up, deg, down := store.Up, store.Degraded, store.Down
	cases := []struct {
		name    string
		samples []store.Sample
		width   int
		ascii   bool
		want    string
	}{
		{"scales min to max", []store.Sample{sample(10, up), sample(45, up), sample(80, up)}, 3, false, "▁▅█"},
		{"flat is the floor", []store.Sample{sample(5, up), sample(5, up)}, 2, false, "▁▁"},
		{"failure is a mark", []store.Sample{sample(10, up), sample(5000, down), sample(80, up)}, 3, false, "▁✖█"},
		{"failure does not stretch the scale", []store.Sample{sample(10, up), sample(9000, down), sample(20, up)}, 3, false, "▁✖█"},
		{"no data pads the left", []store.Sample{sample(10, up), sample(80, up)}, 5, false, "···▁█"},
		{"keeps the newest", []store.Sample{sample(99, up), sample(10, up), sample(80, up)}, 2, false, "▁█"},
		{"nothing at all", nil, 4, false, "····"},
		{"all failed", []store.Sample{sample(1, down), sample(1, down)}, 2, false, "✖✖"},
		{"degraded keeps its level", []store.Sample{sample(10, up), sample(80, deg)}, 2, false, "▁█"},
		{"ascii levels", []store.Sample{sample(0, up), sample(25, up), sample(50, up), sample(75, up), sample(100, up)}, 5, true, "_.-=#"},
		{"ascii failure and no data", []store.Sample{sample(10, up), sample(1, down)}, 3, true, " _x"},
		{"zero width", []store.Sample{sample(10, up)}, 0, false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := sparkText(sparkCells(c.samples, c.width, newGlyphs(c.ascii)))
			if got != c.want {
				t.Errorf("sparkline %q, want %q", got, c.want)
			}
		})
	}
}

func TestSparkKinds(t *testing.T) {
	t.Parallel()
	cells := sparkCells([]store.Sample{sample(10, store.Up), sample(80, store.Degraded), sample(1, store.Down)}, 4, newGlyphs(false))
	want := []sparkKind{sparkNoData, sparkOK, sparkWarn, sparkFail}
	for i, c := range cells {
		if c.kind != want[i] {
			t.Errorf("cell %d kind %d, want %d", i, c.kind, want[i])
		}
	}
	// Styled output keeps every glyph, in order.
	st := newStyles(true)
	if got := plainString(renderSpark(cells, &st.row)); got != "·▁█✖" {
		t.Errorf("rendered %q", got)
	}
}
