package alert

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Window is a [[maintenance]] entry: a one-off period (Start + Duration) or
// a weekly one (Every + Duration). While it is active, the services it
// covers send no alerts.
type Window struct {
	Services []string // service ids; nil = all
	Start    time.Time
	Every    Weekly // used when Start is zero
	Duration time.Duration
}

// Weekly is a time of the week in a location: "sun 02:00".
type Weekly struct {
	Day      time.Weekday
	Hour     int
	Minute   int
	Location *time.Location // nil = UTC
	set      bool
}

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// ParseWeekly reads "sun 02:00" (day names by their first three letters,
// any case) in loc (nil = UTC).
func ParseWeekly(s string, loc *time.Location) (Weekly, error) {
	day, hm, ok := strings.Cut(strings.TrimSpace(strings.ToLower(s)), " ")
	d, known := weekdays[day[:min(3, len(day))]]
	if !ok || !known {
		return Weekly{}, fmt.Errorf("every = %q: write a day and a time, like \"sun 02:00\"", s)
	}
	t, err := time.Parse("15:04", strings.TrimSpace(hm))
	if err != nil {
		return Weekly{}, fmt.Errorf("every = %q: the time must be HH:MM, like \"sun 02:00\"", s)
	}
	return Weekly{Day: d, Hour: t.Hour(), Minute: t.Minute(), Location: loc, set: true}, nil
}

// Validate checks the window is well formed.
func (w Window) Validate() error {
	switch {
	case w.Duration <= 0:
		return fmt.Errorf("maintenance: duration must be positive, like \"2h\"")
	case w.Start.IsZero() && !w.Every.set:
		return fmt.Errorf("maintenance: set start (RFC 3339) or every (\"sun 02:00\")")
	case w.Every.set && w.Duration > 7*24*time.Hour:
		return fmt.Errorf("maintenance: a weekly window must last less than a week")
	}
	return nil
}

// covers reports whether the window applies to the service.
func (w Window) covers(id string) bool {
	return w.Services == nil || slices.Contains(w.Services, id)
}

// Active reports whether the window is on at t for the service.
func (w Window) Active(id string, t time.Time) bool {
	if !w.covers(id) {
		return false
	}
	if !w.Start.IsZero() {
		return !t.Before(w.Start) && t.Before(w.Start.Add(w.Duration))
	}
	if !w.Every.set {
		return false
	}
	start := w.Every.lastStart(t)
	return t.Before(start.Add(w.Duration))
}

// lastStart is the most recent weekly start at or before t.
func (e Weekly) lastStart(t time.Time) time.Time {
	loc := e.Location
	if loc == nil {
		loc = time.UTC
	}
	lt := t.In(loc)
	back := (int(lt.Weekday()) - int(e.Day) + 7) % 7
	y, m, d := lt.Date()
	s := time.Date(y, m, d-back, e.Hour, e.Minute, 0, 0, loc)
	if s.After(t) {
		s = time.Date(y, m, d-back-7, e.Hour, e.Minute, 0, 0, loc)
	}
	return s
}

// inMaintenance reports whether any window covers the service at t.
func inMaintenance(ws []Window, id string, t time.Time) bool {
	for _, w := range ws {
		if w.Active(id, t) {
			return true
		}
	}
	return false
}
