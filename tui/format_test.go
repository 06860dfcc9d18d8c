package tui

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

func plainString(s string) string {
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.NoTTY}
	_, _ = w.WriteString(s)
	return b.String()
}

func TestFormat(t *testing.T) {
	t.Parallel()
	cases := []struct{ got, want string }{
		{fmtDur(0, "—"), "—"},
		{fmtDur(400*time.Microsecond, "—"), "0.4ms"},
		{fmtDur(42*time.Millisecond, "—"), "42.0ms"},
		{fmtDur(123*time.Millisecond, "—"), "123ms"},
		{fmtDur(1234*time.Millisecond, "—"), "1.23s"},
		{fmtDur(12345*time.Millisecond, "—"), "12.3s"},
		{fmtDur(200*time.Second, "—"), "200s"},
		{fmtUptime(store.Uptime{}, "—"), "—"},
		{fmtUptime(store.Uptime{Ratio: 1, Checks: 10}, "—"), "100%"},
		{fmtUptime(store.Uptime{Ratio: 0.99999, Checks: 100000, Fails: 1}, "—"), "99.99%"},
		{fmtUptime(store.Uptime{Ratio: 0.5, Checks: 2, Fails: 1}, "—"), "50.00%"},
		{fmtAgo(t0, time.Time{}), "never"},
		{fmtAgo(t0, t0), "now"},
		{fmtAgo(t0, t0.Add(-12*time.Second)), "12s ago"},
		{fmtAgo(t0, t0.Add(-3*time.Minute)), "3m ago"},
		{fmtAgo(t0, t0.Add(-5*time.Hour)), "5h ago"},
		{fmtAgo(t0, t0.Add(-72*time.Hour)), "3d ago"},
		{fmtSpan(12*time.Minute + 5*time.Second), "12m05s"},
		{fit("abcdef", 4, "…", false), "abc…"},
		{fit("ab", 4, "…", true), "  ab"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: %q, want %q", i, c.got, c.want)
		}
	}
}

func TestBucketMaxKeepsSpikes(t *testing.T) {
	t.Parallel()
	from := t0.Add(-time.Hour)
	var rs []probe.Result
	for i := 0; i < 3600; i++ { // 1 s checks, 10 ms, one 900 ms spike, one failure
		r := probe.Result{Start: from.Add(time.Duration(i) * time.Second), Duration: 10 * time.Millisecond, OK: true}
		if i == 1234 {
			r.Duration = 900 * time.Millisecond
		}
		if i == 2000 {
			r.OK = false
		}
		rs = append(rs, r)
	}
	b := bucketMax(rs, from, t0, 60)
	peak, fails := 0.0, 0
	for i, v := range b.maxMS {
		peak = math.Max(peak, v)
		if b.fail[i] {
			fails++
		}
	}
	if peak != 900 || fails != 1 || !b.any {
		t.Errorf("peak %v ms, %d failed buckets: want the 900 ms spike and 1 failure", peak, fails)
	}
	if got := bucketMax(nil, from, t0, 10); got.any {
		t.Error("an empty window claims data")
	}
}

func TestRenderChartGuards(t *testing.T) {
	t.Parallel()
	failed := []probe.Result{{Start: t0.Add(-time.Minute), Duration: time.Second}}
	cases := []struct {
		name string
		spec chartSpec
	}{
		{"no results", chartSpec{from: t0.Add(-time.Hour), to: t0, width: 80, height: 8}},
		{"only failures", chartSpec{results: failed, from: t0.Add(-time.Hour), to: t0, width: 80, height: 8}},
		{"too narrow", chartSpec{results: failed, from: t0.Add(-time.Hour), to: t0, width: 5, height: 8}},
		{"empty window", chartSpec{results: failed, from: t0, to: t0, width: 80, height: 8}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.spec.g = newGlyphs(false)
			if got := renderChart(c.spec); got != nil { // and no panic
				t.Errorf("chart drawn with nothing to draw: %q", got)
			}
		})
	}
}

func TestParseColorMode(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want ColorMode
		prof colorprofile.Profile
	}{
		{"truecolor", ColorTrueColor, colorprofile.TrueColor},
		{"256", Color256, colorprofile.ANSI256},
		{"16", Color16, colorprofile.ANSI},
		{"none", ColorNone, colorprofile.ASCII},
	}
	for _, c := range cases {
		got, err := ParseColorMode(c.in)
		if err != nil || got != c.want || got.Profile(nil, nil) != c.prof {
			t.Errorf("%q: %v %v (profile %v)", c.in, got, err, got.Profile(nil, nil))
		}
	}
	if _, err := ParseColorMode("rainbow"); err == nil {
		t.Error("an unknown mode was accepted")
	}
	// NO_COLOR under auto: no colour, even on a colour terminal.
	env := []string{"TERM=xterm-256color", "COLORTERM=truecolor", "NO_COLOR=1"}
	if p := ColorAuto.Profile(&bytes.Buffer{}, env); p > colorprofile.ASCII {
		t.Errorf("NO_COLOR ignored: profile %v", p)
	}
}

func TestInkMatchesLipgloss(t *testing.T) {
	t.Parallel()
	st := newStyles(true)
	for i, k := range st.sel.status {
		got := k.Render("down")
		if !strings.Contains(got, "\x1b[") || plainString(got) != "down" {
			t.Errorf("status %d: %q is not a styled \"down\"", i, got)
		}
		if want := st.Status[i].Render("down"); !strings.HasSuffix(got, want[len(want)-4:]) {
			t.Errorf("status %d: %q does not end like lipgloss's %q", i, got, want)
		}
	}
}
