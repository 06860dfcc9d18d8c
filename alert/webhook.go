package alert

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Webhook posts the documented JSON event to any endpoint, signed per the
// Standard Webhooks spec when a secret is set:
//
//	webhook-id:        the notification id (the same on every retry)
//	webhook-timestamp: unix seconds of this attempt
//	webhook-signature: "v1," + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body))
//
// The key is the base64 after "whsec_" when the secret has that prefix,
// else the secret's bytes. The body (see webhookBody) carries the first
// event's fields at the top level and every event in "events".
type Webhook struct {
	url     string
	key     []byte
	headers http.Header
	p       poster
	now     func() time.Time
}

var _ Notifier = (*Webhook)(nil)

func newWebhook(c NotifierConfig, client *http.Client) (Notifier, error) {
	w := &Webhook{url: c.URL, headers: http.Header{}, now: time.Now}
	for k, v := range c.Headers {
		w.headers.Set(k, v)
	}
	secrets := []string{c.Secret, c.URL} // a webhook URL may carry its token too
	if c.Secret != "" {
		key, err := webhookKey(c.Secret)
		if err != nil {
			return nil, fmt.Errorf("alert %q: %w", c.Name, err)
		}
		w.key = key
	}
	for _, v := range c.Headers {
		secrets = append(secrets, v) // headers usually carry tokens
	}
	w.p = newPoster(client, secrets...)
	return w, nil
}

func webhookKey(secret string) ([]byte, error) {
	b64, ok := strings.CutPrefix(secret, "whsec_")
	if !ok {
		return []byte(secret), nil
	}
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("secret starts with whsec_ but the rest is not base64: paste it exactly as issued")
	}
	return key, nil
}

// eventJSON is one event as the webhook documents it.
type eventJSON struct {
	ID             string     `json:"id"`
	Type           Kind       `json:"type"`
	Service        string     `json:"service"`
	ServiceID      string     `json:"service_id"`
	Status         string     `json:"status"`
	PreviousStatus string     `json:"previous_status"`
	Time           time.Time  `json:"time"`
	Duration       float64    `json:"duration"` // seconds: downtime for up, down so far for reminder
	Error          string     `json:"error"`
	LatencyMS      float64    `json:"latency_ms"`
	CertExpiry     *time.Time `json:"cert_expiry,omitempty"`
	Dependents     []string   `json:"dependents,omitempty"`
}

// webhookBody is the posted JSON. ID is the notification's id (= webhook-id).
type webhookBody struct {
	eventJSON
	Title   string      `json:"title"`
	Message string      `json:"message"`
	PageURL string      `json:"page_url"`
	Count   int         `json:"count"`
	Events  []eventJSON `json:"events"`
}

func toJSON(e Event) eventJSON {
	j := eventJSON{
		ID: e.ID, Type: e.Kind, Service: e.Service, ServiceID: e.ServiceID,
		Status: e.Status.String(), PreviousStatus: e.Previous.String(), Time: e.At.UTC(),
		Duration: e.Duration.Seconds(), Error: e.Error, LatencyMS: float64(e.Latency.Microseconds()) / 1000,
		Dependents: e.Dependents,
	}
	if !e.CertExpiry.IsZero() {
		t := e.CertExpiry.UTC()
		j.CertExpiry = &t
	}
	return j
}

func webhookPayload(m Message) ([]byte, error) {
	b := webhookBody{Title: m.Title, Message: m.Text, PageURL: m.PageURL, Count: len(m.Events)}
	for _, e := range m.Events {
		b.Events = append(b.Events, toJSON(e))
	}
	if len(b.Events) > 0 {
		b.eventJSON = b.Events[0]
	}
	b.ID, b.Type = m.ID, m.Kind
	return json.Marshal(b)
}

// Send posts the event, signed when a secret is set.
func (w *Webhook) Send(ctx context.Context, m Message) (Response, error) {
	body, err := webhookPayload(m)
	if err != nil {
		return Response{}, &SendError{Msg: "encode webhook: " + err.Error(), Permanent: true}
	}
	h := w.headers.Clone()
	if w.key != nil {
		ts := strconv.FormatInt(w.now().Unix(), 10)
		h.Set("webhook-id", m.ID)
		h.Set("webhook-timestamp", ts)
		h.Set("webhook-signature", "v1,"+sign(w.key, m.ID, ts, body))
	}
	return w.p.post(ctx, w.url, "application/json", body, h)
}

func sign(key []byte, id, ts string, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "."))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
