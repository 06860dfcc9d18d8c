package alert

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	"github.com/uptop-dev/uptop/store"
)

// Kind is what happened: the event types users subscribe to with `on`.
type Kind string

const (
	KindDown       Kind = "down"
	KindUp         Kind = "up"
	KindDegraded   Kind = "degraded"
	KindCertExpiry Kind = "cert_expiry"
	KindReminder   Kind = "reminder"
	KindFlapping   Kind = "flapping"
	KindTest       Kind = "test"
)

// Kinds lists every kind a notifier may subscribe to.
var Kinds = []Kind{KindDown, KindUp, KindDegraded, KindCertExpiry, KindReminder, KindFlapping}

// Event is one thing worth telling a human about one service.
type Event struct {
	ID        string       `json:"id"`
	Kind      Kind         `json:"type"`
	ServiceID string       `json:"service_id"`
	Service   string       `json:"service"` // display name
	Status    store.Status `json:"status"`
	Previous  store.Status `json:"previous_status"`
	At        time.Time    `json:"time"`
	// Duration is the downtime for up, the time down so far for reminder.
	Duration time.Duration `json:"duration_ns,omitempty"`
	Error    string        `json:"error,omitempty"`
	Latency  time.Duration `json:"latency_ns,omitempty"`
	// CertExpiry is the certificate's NotAfter for cert_expiry.
	CertExpiry time.Time `json:"cert_expiry,omitzero"`
	// Dependents names the services whose own alerts were suppressed
	// because this one (which they depend on) is down.
	Dependents []string `json:"dependents,omitempty"`
}

// eventID is stable: the same service, kind and instant always give the
// same id, so a replayed event is recognised as a duplicate.
func eventID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return "evt_" + hex.EncodeToString(h.Sum(nil)[:12])
}

func newEventID(k Kind, serviceID string, at time.Time) string {
	return eventID(string(k), serviceID, strconv.FormatInt(at.UnixNano(), 10))
}

// Notification is one message for one notifier: a single event, or a group
// of events of the same kind (a network outage: "12 services down").
type Notification struct {
	ID       string  `json:"id"`
	Notifier string  `json:"notifier"`
	Kind     Kind    `json:"type"`
	Events   []Event `json:"events"`
}

// newNotification gives the notification an id stable across retries and
// restarts, derived from its notifier and its events.
func newNotification(notifier string, k Kind, evs []Event) Notification {
	parts := make([]string, 0, len(evs)+2)
	parts = append(parts, notifier, string(k))
	for _, e := range evs {
		parts = append(parts, e.ID)
	}
	return Notification{ID: eventID(parts...), Notifier: notifier, Kind: k, Events: evs}
}

// eventAlias has Event's fields but no methods, so the JSON methods below
// can marshal it without recursion.
type eventAlias Event

// eventWire is Event as stored in the outbox: statuses as words (the store
// type marshals as text but has no UnmarshalText).
type eventWire struct {
	eventAlias
	Status   string `json:"status"`
	Previous string `json:"previous_status"`
}

// MarshalJSON writes statuses as words.
func (e Event) MarshalJSON() ([]byte, error) {
	return json.Marshal(eventWire{eventAlias: eventAlias(e), Status: e.Status.String(), Previous: e.Previous.String()})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (e *Event) UnmarshalJSON(b []byte) error {
	var w eventWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*e = Event(w.eventAlias)
	e.Status, _ = store.ParseStatus(w.Status)
	e.Previous, _ = store.ParseStatus(w.Previous)
	return nil
}
