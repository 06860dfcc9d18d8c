package alert

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Slack posts to an incoming webhook: a fallback text and one coloured
// attachment with the fields and a link to the status page.
type Slack struct {
	url string
	p   poster
}

var _ Notifier = (*Slack)(nil)

func newSlack(c NotifierConfig, client *http.Client) (Notifier, error) {
	// The webhook URL itself is the credential.
	return &Slack{url: c.URL, p: newPoster(client, c.URL)}, nil
}

type slackField struct {
	Title string `json:"title"`
	Value string `json:"value"`
	Short bool   `json:"short"`
}

type slackAttachment struct {
	Color     string       `json:"color"`
	Fallback  string       `json:"fallback"`
	Title     string       `json:"title"`
	TitleLink string       `json:"title_link,omitempty"`
	Text      string       `json:"text"`
	Fields    []slackField `json:"fields,omitempty"`
	Footer    string       `json:"footer"`
	TS        int64        `json:"ts"`
}

type slackPayload struct {
	Text        string            `json:"text"`
	Attachments []slackAttachment `json:"attachments"`
}

// slackEscape escapes what Slack's mrkdwn treats as control characters.
var slackEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func slackBody(m Message) ([]byte, error) {
	a := slackAttachment{
		Color: fmt.Sprintf("#%06X", colour(m.Kind)), Fallback: slackEscape.Replace(m.Title),
		Title: slackEscape.Replace(m.Title), TitleLink: m.PageURL, Text: slackEscape.Replace(m.Text), Footer: "uptop",
	}
	if len(m.Events) > 0 {
		a.TS = m.Events[0].At.Unix()
	}
	for _, f := range facts(m) {
		a.Fields = append(a.Fields, slackField{Title: f.Name, Value: slackEscape.Replace(f.Value), Short: len(f.Value) < 40})
	}
	return json.Marshal(slackPayload{Text: slackEscape.Replace(m.Title), Attachments: []slackAttachment{a}})
}

// Send posts the message to the Slack webhook.
func (s *Slack) Send(ctx context.Context, m Message) (Response, error) {
	body, err := slackBody(m)
	if err != nil {
		return Response{}, &SendError{Msg: "encode slack: " + err.Error(), Permanent: true}
	}
	return s.p.post(ctx, s.url, "application/json", body, nil)
}
