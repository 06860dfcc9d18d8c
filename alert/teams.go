package alert

import (
	"context"
	"encoding/json"
	"net/http"
)

// Teams posts an Adaptive Card to a Teams Workflows (or legacy incoming)
// webhook: a coloured title, the text, the facts and a button to the page.
type Teams struct {
	url string
	p   poster
}

var _ Notifier = (*Teams)(nil)

func newTeams(c NotifierConfig, client *http.Client) (Notifier, error) {
	return &Teams{url: c.URL, p: newPoster(client, c.URL)}, nil
}

type teamsFact struct {
	Title string `json:"title"`
	Value string `json:"value"`
}

func teamsBody(m Message) ([]byte, error) {
	color := "Warning"
	switch m.Kind {
	case KindDown, KindReminder:
		color = "Attention"
	case KindUp:
		color = "Good"
	case KindTest:
		color = "Accent"
	}
	var fs []teamsFact
	for _, f := range facts(m) {
		fs = append(fs, teamsFact{f.Name, f.Value})
	}
	body := []map[string]any{
		{"type": "TextBlock", "text": m.Title, "weight": "Bolder", "size": "Medium", "color": color, "wrap": true},
		{"type": "TextBlock", "text": m.Text, "wrap": true},
		{"type": "FactSet", "facts": fs},
	}
	card := map[string]any{
		"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
		"type":    "AdaptiveCard", "version": "1.4", "body": body,
	}
	if m.PageURL != "" {
		card["actions"] = []map[string]any{{"type": "Action.OpenUrl", "title": "Status page", "url": m.PageURL}}
	}
	return json.Marshal(map[string]any{
		"type": "message",
		"attachments": []map[string]any{{
			"contentType": "application/vnd.microsoft.card.adaptive", "content": card,
		}},
	})
}

// Send posts the card to the Teams webhook.
func (t *Teams) Send(ctx context.Context, m Message) (Response, error) {
	body, err := teamsBody(m)
	if err != nil {
		return Response{}, &SendError{Msg: "encode teams: " + err.Error(), Permanent: true}
	}
	return t.p.post(ctx, t.url, "application/json", body, nil)
}
