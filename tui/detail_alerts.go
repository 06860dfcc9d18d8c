package tui

import (
	"fmt"
	"time"
)

// Delivery is one alert about a service as the detail view lists it: when,
// through which notifier, what it said, and how its delivery went.
type Delivery struct {
	At       time.Time
	Notifier string
	Event    string // down, up, degraded, reminder…
	Result   string // pending | retrying | delivered | failed
	Attempts int
}

// DeliverySource is optional: a Source whose process sends alerts lists
// the recent deliveries about one service, newest first. The detail view
// asks for it with a type assertion, so SSH and remote sources need not
// implement it. It must be cheap (memory, no network): it runs in the
// detail view's fetch, next to the history queries.
type DeliverySource interface {
	Deliveries(id string, limit int) []Delivery
}

// deliveriesLimit is how many deliveries the detail view shows.
const deliveriesLimit = 5

// fetchDeliveries asks src for the service's deliveries when it can;
// ok is false when the source does not alert.
func fetchDeliveries(src Source, id string) (ds []Delivery, ok bool) {
	s, ok := src.(DeliverySource)
	if !ok {
		return nil, false
	}
	return s.Deliveries(id, deliveriesLimit), true
}

// withDeliveries appends the history and the recent alerts: on a wide
// screen the alerts (short) go first; on a narrow one they follow, so the
// checks and incidents keep their place and the alerts are a scroll away.
func (d detailModel) withDeliveries(lines []string) []string {
	alerts := d.deliveryLines()
	if d.width >= 100 {
		lines = append(lines, alerts...)
		return append(lines, d.history(d.height-len(lines))...)
	}
	lines = append(lines, d.history(d.height-len(lines))...)
	return append(lines, alerts...)
}

// deliveryLines are the "recent alerts" section; none without alerting.
func (d detailModel) deliveryLines() []string {
	if d.data == nil || !d.data.alerting {
		return nil
	}
	out := []string{"", d.st.Bold.Render("recent alerts")}
	if len(d.data.deliveries) == 0 {
		return append(out, d.st.Dim.Render("none"))
	}
	for _, dl := range d.data.deliveries {
		result := dl.Result
		switch dl.Result {
		case "failed":
			result = d.st.Error.Render(result)
		case "pending", "retrying":
			result = d.st.Dim.Render(result)
		}
		attempts := "attempts"
		if dl.Attempts == 1 {
			attempts = "attempt"
		}
		out = append(out, fmt.Sprintf("%s %-10s %-11s %s, %d %s", dl.At.Format("Jan 2 15:04:05"),
			dl.Notifier, dl.Event, result, dl.Attempts, attempts))
	}
	return out
}
