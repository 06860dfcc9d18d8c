package alert

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// Discord posts to a channel webhook: one embed with the colour, the
// fields, the time and a link to the status page.
type Discord struct {
	url string
	p   poster
}

var _ Notifier = (*Discord)(nil)

func newDiscord(c NotifierConfig, client *http.Client) (Notifier, error) {
	return &Discord{url: c.URL, p: newPoster(client, c.URL)}, nil
}

type discordField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline"`
}

type discordEmbed struct {
	Title       string         `json:"title"`
	Description string         `json:"description"`
	URL         string         `json:"url,omitempty"`
	Color       int            `json:"color"`
	Timestamp   string         `json:"timestamp,omitempty"`
	Fields      []discordField `json:"fields,omitempty"`
}

type discordPayload struct {
	Username string         `json:"username"`
	Embeds   []discordEmbed `json:"embeds"`
}

// Discord's limits: 256 for a title, 4096 for a description, 1024 a field.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func discordBody(m Message) ([]byte, error) {
	e := discordEmbed{Title: clip(m.Title, 256), Description: clip(m.Text, 4096), URL: m.PageURL, Color: colour(m.Kind)}
	if len(m.Events) > 0 {
		e.Timestamp = m.Events[0].At.UTC().Format(time.RFC3339)
	}
	for _, f := range facts(m) {
		e.Fields = append(e.Fields, discordField{Name: f.Name, Value: clip(f.Value, 1024), Inline: len(f.Value) < 40})
	}
	return json.Marshal(discordPayload{Username: "uptop", Embeds: []discordEmbed{e}})
}

// Send posts the embed to the Discord webhook.
func (d *Discord) Send(ctx context.Context, m Message) (Response, error) {
	body, err := discordBody(m)
	if err != nil {
		return Response{}, &SendError{Msg: "encode discord: " + err.Error(), Permanent: true}
	}
	return d.p.post(ctx, d.url, "application/json", body, nil)
}
