package alert

import (
	"testing"
	"time"
)

func TestWindowActive(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	weekly, err := ParseWeekly("Sun 02:00", paris)
	if err != nil {
		t.Fatal(err)
	}
	sunday2am := time.Date(2026, 3, 1, 2, 0, 0, 0, paris) // a Sunday
	cases := []struct {
		name string
		w    Window
		id   string
		at   time.Time
		want bool
	}{
		{"one-off before", Window{Start: t0, Duration: time.Hour}, "a", t0.Add(-time.Second), false},
		{"one-off start", Window{Start: t0, Duration: time.Hour}, "a", t0, true},
		{"one-off end is outside", Window{Start: t0, Duration: time.Hour}, "a", t0.Add(time.Hour), false},
		{"one-off other service", Window{Services: []string{"b"}, Start: t0, Duration: time.Hour}, "a", t0, false},
		{"weekly in", Window{Every: weekly, Duration: time.Hour}, "a", sunday2am.Add(30 * time.Minute), true},
		{"weekly after", Window{Every: weekly, Duration: time.Hour}, "a", sunday2am.Add(61 * time.Minute), false},
		{"weekly before", Window{Every: weekly, Duration: time.Hour}, "a", sunday2am.Add(-time.Minute), false},
		{"weekly next week", Window{Every: weekly, Duration: time.Hour}, "a", sunday2am.Add(7*24*time.Hour + time.Minute), true},
		{"weekly across midnight", Window{Every: mustWeekly("sat 23:30"), Duration: time.Hour}, "a", time.Date(2026, 3, 1, 0, 15, 0, 0, time.UTC), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.w.Active(tc.id, tc.at); got != tc.want {
				t.Fatalf("Active(%s) = %v, want %v", tc.at, got, tc.want)
			}
		})
	}
}

func TestParseWeeklyErrors(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "sun", "funday 02:00", "sun 2am", "sun 25:00"} {
		t.Run(s, func(t *testing.T) {
			t.Parallel()
			if _, err := ParseWeekly(s, nil); err == nil {
				t.Fatalf("ParseWeekly(%q) succeeded", s)
			}
		})
	}
}
