package alert

import (
	"context"
	"encoding/json"
	"errors"
	"html"
	"net/http"
	"strings"
	"time"
)

// Telegram sends through the Bot API's sendMessage. The bot token sits in
// the URL path (/bot<token>/sendMessage): it is scrubbed from every error,
// answer and log line, and String shows it as xxxxx.
type Telegram struct {
	base, token, chatID string
	p                   poster
}

var _ Notifier = (*Telegram)(nil)

// TelegramAPI is the Bot API's base URL; url overrides it (tests, proxies).
const TelegramAPI = "https://api.telegram.org"

func newTelegram(c NotifierConfig, client *http.Client) (Notifier, error) {
	if c.Token == "" || c.ChatID == "" {
		return nil, errors.New("telegram needs token (the bot token from @BotFather) and chat_id")
	}
	base := strings.TrimSuffix(c.URL, "/")
	if base == "" {
		base = TelegramAPI
	}
	return &Telegram{base: base, token: c.Token, chatID: c.ChatID, p: newPoster(client, c.Token)}, nil
}

// String is the endpoint with the token hidden.
func (t *Telegram) String() string { return t.base + "/botxxxxx/sendMessage" }

type telegramPayload struct {
	ChatID                string `json:"chat_id"`
	Text                  string `json:"text"`
	ParseMode             string `json:"parse_mode"`
	DisableWebPagePreview bool   `json:"disable_web_page_preview"`
}

func telegramBody(chatID string, m Message) ([]byte, error) {
	var b strings.Builder
	b.WriteString("<b>" + html.EscapeString(m.Title) + "</b>\n")
	b.WriteString(html.EscapeString(m.Text))
	if m.PageURL != "" {
		b.WriteString("\n<a href=\"" + html.EscapeString(m.PageURL) + "\">Status page</a>")
	}
	return json.Marshal(telegramPayload{ChatID: chatID, Text: clip(b.String(), 4096), ParseMode: "HTML", DisableWebPagePreview: true})
}

// Send posts the message; a 429's parameters.retry_after is honoured.
func (t *Telegram) Send(ctx context.Context, m Message) (Response, error) {
	body, err := telegramBody(t.chatID, m)
	if err != nil {
		return Response{}, &SendError{Msg: "encode telegram: " + err.Error(), Permanent: true}
	}
	r, err := t.p.post(ctx, t.base+"/bot"+t.token+"/sendMessage", "application/json", body, nil)
	if r.RetryAfter == 0 && r.Code == http.StatusTooManyRequests {
		var ans struct {
			Parameters struct {
				RetryAfter int `json:"retry_after"`
			} `json:"parameters"`
		}
		if json.Unmarshal([]byte(r.Body), &ans) == nil {
			r.RetryAfter = time.Duration(ans.Parameters.RetryAfter) * time.Second
		}
	}
	return r, err
}
