package alert

import (
	"context"
	"mime"
	"net/http"
	"strconv"
)

// Ntfy publishes to an ntfy topic URL (https://ntfy.sh/my-topic): the text
// as the body, the title, priority, tags and click link as headers.
type Ntfy struct {
	url, token string
	priority   int
	p          poster
}

var _ Notifier = (*Ntfy)(nil)

func newNtfy(c NotifierConfig, client *http.Client) (Notifier, error) {
	pr := c.Priority
	if pr < 1 || pr > 5 {
		pr = 4
	}
	return &Ntfy{url: c.URL, token: c.Token, priority: pr, p: newPoster(client, c.Token)}, nil
}

// ntfyHeaders are the publish headers; non-ASCII titles are RFC 2047 encoded.
func (n *Ntfy) ntfyHeaders(m Message) http.Header {
	h := http.Header{}
	h.Set("Title", mime.QEncoding.Encode("utf-8", m.Title))
	pr, tag := 3, "warning"
	switch m.Kind {
	case KindDown, KindReminder:
		pr, tag = n.priority, "rotating_light"
	case KindUp:
		tag = "white_check_mark"
	case KindTest:
		tag = "test_tube"
	}
	h.Set("Priority", strconv.Itoa(pr))
	h.Set("Tags", tag)
	if m.PageURL != "" {
		h.Set("Click", m.PageURL)
	}
	if n.token != "" {
		h.Set("Authorization", "Bearer "+n.token)
	}
	return h
}

// Send publishes the message.
func (n *Ntfy) Send(ctx context.Context, m Message) (Response, error) {
	return n.p.post(ctx, n.url, "text/plain; charset=utf-8", []byte(m.Text), n.ntfyHeaders(m))
}
