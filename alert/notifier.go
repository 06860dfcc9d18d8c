package alert

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptop-dev/uptop/probe"
)

// Notifier delivers one message to one receiver. Send must honour ctx,
// never retry by itself (the outbox does), and return an error for
// anything but a success; a *SendError says whether retrying can help.
type Notifier interface {
	Send(ctx context.Context, m Message) (Response, error)
}

// Response is what the receiver answered, secrets removed.
type Response struct {
	Code       int           `json:"code"`
	Body       string        `json:"body,omitempty"` // the first KiB
	RetryAfter time.Duration `json:"-"`              // from Retry-After, 0 when absent
}

// SendError is a delivery that did not succeed.
type SendError struct {
	Code      int    // HTTP status, 0 when there was no answer
	Msg       string // redacted
	Permanent bool   // retrying cannot help (400, 401, 403, 404…)
}

func (e *SendError) Error() string { return e.Msg }

// factory builds a notifier from its validated config.
type factory func(c NotifierConfig, client *http.Client) (Notifier, error)

// registry maps a config type to its notifier.
var registry = map[string]factory{
	"webhook":  newWebhook,
	"slack":    newSlack,
	"discord":  newDiscord,
	"teams":    newTeams,
	"telegram": newTelegram,
	"ntfy":     newNtfy,
}

// Types lists the notifier types, sorted.
func Types() []string {
	var t []string
	for k := range registry {
		t = append(t, k)
	}
	slices.Sort(t)
	return t
}

// poster is the HTTP plumbing every notifier shares: one POST, the answer
// read up to a cap, secrets scrubbed from every error and body.
type poster struct {
	client  *http.Client
	secrets []string // substrings never to show: tokens, secrets, the raw URL's userinfo
}

func newPoster(client *http.Client, secrets ...string) poster {
	var s []string
	for _, x := range secrets {
		for _, part := range append([]string{x}, urlParts(x)...) {
			if len(part) >= 4 {
				s = append(s, part)
			}
		}
	}
	return poster{client: client, secrets: s}
}

// urlParts are the pieces of a webhook URL that are secrets on their own
// and that a receiver may echo back: the password, the query and its
// values, and long path segments (Slack's and Discord's tokens live there).
func urlParts(raw string) []string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return nil
	}
	var out []string
	if p, ok := u.User.Password(); ok {
		out = append(out, p)
	}
	out = append(out, u.RawQuery)
	for _, vs := range u.Query() {
		out = append(out, vs...)
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if len(seg) >= 8 {
			out = append(out, seg)
		}
	}
	return out
}

func (p poster) scrub(s string) string {
	for _, x := range p.secrets {
		s = strings.ReplaceAll(s, x, "xxxxx")
	}
	return s
}

const maxAnswer = 1024

// post sends body to rawURL with headers and turns the answer into a
// Response and, unless it is a 2xx, a *SendError.
func (p poster) post(ctx context.Context, rawURL, contentType string, body []byte, hdr http.Header) (Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, bytes.NewReader(body))
	if err != nil {
		return Response{}, &SendError{Msg: p.scrub(fmt.Sprintf("bad url %s: check the alert's url", probe.Redact(rawURL))), Permanent: true}
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("User-Agent", "uptop-alert")
	resp, err := p.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its text repeats the URL, token and all
		}
		if ctx.Err() != nil {
			err = fmt.Errorf("no answer in time: %w", ctx.Err())
		}
		return Response{}, &SendError{Msg: p.scrub(fmt.Sprintf("POST %s: %v", probe.Redact(rawURL), err))}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	r := Response{Code: resp.StatusCode, Body: p.scrub(strings.TrimSpace(string(b))), RetryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now())}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return r, nil
	}
	return r, &SendError{
		Code:      resp.StatusCode,
		Msg:       p.scrub(fmt.Sprintf("POST %s: receiver answered %s: %s", probe.Redact(rawURL), resp.Status, r.Body)),
		Permanent: permanent(resp.StatusCode),
	}
}

// permanent: a client error other than "too many", "timeout", "conflict",
// "too early" will not go away by sending the same request again.
func permanent(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusConflict, http.StatusTooEarly, http.StatusTooManyRequests:
		return false
	}
	return code >= 400 && code < 500
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && n >= 0 {
		return time.Duration(n * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
