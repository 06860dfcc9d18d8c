package statusd

import (
	"net/http"
	"time"

	"github.com/uptop-dev/uptop/probe"
)

// Delivery is one notification as GET /api/v1/alerts lists it: when, to
// which notifier, about what, and how its delivery went. It carries no
// payload, URL or header: nothing secret.
type Delivery struct {
	ID       string    `json:"id"`
	At       time.Time `json:"time"`
	Notifier string    `json:"notifier"`
	Event    string    `json:"event"`   // down, up, degraded, reminder…
	Service  string    `json:"service"` // a name, or "N services" for a grouped message
	Result   string    `json:"result"`  // pending | retrying | delivered | failed
	Attempts int       `json:"attempts"`
	Code     int       `json:"code,omitempty"`
	Error    string    `json:"error,omitempty"`
}

// Alerts is where recent deliveries come from (the alerter, adapted by
// main). Safe for concurrent use.
type Alerts interface {
	// RecentDeliveries returns up to limit deliveries, the most recent first.
	RecentDeliveries(limit int) []Delivery
}

// apiAlerts is GET /api/v1/alerts?limit=: recent deliveries, newest first.
func (s *server) apiAlerts(w http.ResponseWriter, r *http.Request) {
	if s.opt.Alerts == nil {
		writeError(w, http.StatusNotFound, "", "alerts are not configured: add an [[alert]] to the config")
		return
	}
	limit, ok := intParam(w, r, "limit", 50, 1, 200)
	if !ok {
		return
	}
	out := s.opt.Alerts.RecentDeliveries(limit)
	if out == nil {
		out = []Delivery{}
	}
	for i := range out {
		out[i].Error = probe.Redact(out[i].Error)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}
