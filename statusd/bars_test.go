package statusd

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/store"
)

// TestBarsRuns checks the run-length bars: runs of same-coloured days are
// one pattern-filled rect with a date-range title, days with downtime and
// today keep their own rect, and the rects always cover exactly 90 days.
func TestBarsRuns(t *testing.T) {
	t.Parallel()
	day := func(i int) time.Time { return t0.Truncate(24*time.Hour).AddDate(0, 0, i-89) }
	tests := []struct {
		name  string
		days  []store.Day
		rects []string // class + title of each rect, in order
	}{
		{"no history at all", nil, []string{"r0 no data", "b0 no data"}},
		{"all up", fixtureDays(90, -1), []string{
			"r1 " + span(day(0), day(88)) + ": 100% up, no downtime",
			"b1 " + span(day(89), day(89)) + ": 100% up, no downtime",
		}},
		{"one bad day in the middle", fixtureDays(90, 3), []string{
			"r1 " + span(day(0), day(85)) + ": 100% up, no downtime",
			"b3 " + span(day(86), day(86)) + ": 95.00% up, 72 min down",
			"r1 " + span(day(87), day(88)) + ": 100% up, no downtime",
			"b1 " + span(day(89), day(89)) + ": 100% up, no downtime",
		}},
		{"bad day is the second to last", fixtureDays(90, 1), []string{
			"r1 " + span(day(0), day(87)) + ": 100% up, no downtime",
			"b3 " + span(day(88), day(88)) + ": 95.00% up, 72 min down",
			"b1 " + span(day(89), day(89)) + ": 100% up, no downtime",
		}},
		{"today is bad", fixtureDays(90, 0), []string{
			"r1 " + span(day(0), day(88)) + ": 100% up, no downtime",
			"b3 " + span(day(89), day(89)) + ": 95.00% up, 72 min down",
		}},
		{"young service: dated grey padding", fixtureDays(2, -1), []string{
			"r0 " + span(day(0), day(87)) + ": no data",
			"b1 " + span(day(88), day(88)) + ": 100% up, no downtime",
			"b1 " + span(day(89), day(89)) + ": 100% up, no downtime",
		}},
		{"two bad days in a row stay apart", twoBad(), []string{
			"r1 " + span(day(0), day(86)) + ": 100% up, no downtime",
			"b3 " + span(day(87), day(87)) + ": 95.00% up, 72 min down",
			"b3 " + span(day(88), day(88)) + ": 95.00% up, 72 min down",
			"b1 " + span(day(89), day(89)) + ": 100% up, no downtime",
		}},
	}
	rect := regexp.MustCompile(`<rect x="(\d+)" width="(\d+)" height="32" class="(\w+)"><title>([^<]*)</title></rect>`)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			svg := string(barsSVG(makeBars(tc.days)))
			var got []string
			next := 0
			for _, m := range rect.FindAllStringSubmatch(svg, -1) {
				got = append(got, m[3]+" "+m[4])
				if x := atoi(t, m[1]); x != next*4 {
					t.Errorf("rect %q starts at x=%d, want %d (gap or overlap)", m[4], x, next*4)
				}
				n := (atoi(t, m[2]) + 1) / 4
				if (n > 1) != strings.HasPrefix(m[3], "r") {
					t.Errorf("rect %q spans %d days with class %s: runs use r*, single days b*", m[4], n, m[3])
				}
				next += n
			}
			if next != barDays {
				t.Errorf("rects cover %d days, want %d", next, barDays)
			}
			if strings.Join(got, "\n") != strings.Join(tc.rects, "\n") {
				t.Errorf("rects:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.rects, "\n"))
			}
		})
	}
}

func span(a, b time.Time) string {
	if a.Equal(b) {
		return b.Format("Jan 2")
	}
	return a.Format("Jan 2") + " – " + b.Format("Jan 2")
}

func twoBad() []store.Day {
	d := fixtureDays(90, 1)
	d[87] = fixtureDays(90, 2)[87]
	return d
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("not a number: %q", s)
		}
		n = n*10 + int(c-'0')
	}
	return n
}
