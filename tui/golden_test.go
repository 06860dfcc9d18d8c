package tui

import (
	"fmt"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

func TestGoldenViews(t *testing.T) {
	t.Parallel()
	sizes := [][2]int{{80, 24}, {120, 40}, {40, 10}}
	flows := []struct {
		name string
		do   func(Model) Model
	}{
		{"table", func(m Model) Model { return m }},
		{"filtered", func(m Model) Model { return press(typeText(press(m, "/"), "tag:prod"), "enter") }},
		{"detail", func(m Model) Model {
			m = press(m, "enter") // sorted worst first: Payments is on top
			cmd := fetchDetail(m.src, "pay", t0)
			return send(m, cmd())
		}},
	}
	for _, f := range flows {
		for _, sz := range sizes {
			name := fmt.Sprintf("%s_%dx%d", f.name, sz[0], sz[1])
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				m, _ := newTestModel(t, sz[0], sz[1])
				got := plain(f.do(m))
				checkFrame(t, got, sz[0], sz[1])
				golden(t, name, got)
			})
		}
	}
}

// checkFrame: the view fills the screen exactly and never overflows it.
func checkFrame(t *testing.T, got string, w, h int) {
	t.Helper()
	lines := strings.Split(got, "\n")
	if len(lines) != h {
		t.Errorf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if lw := lipgloss.Width(l); lw > w {
			t.Errorf("line %d is %d cells wide, screen is %d: %q", i, lw, w, l)
		}
	}
}
