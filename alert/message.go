package alert

import (
	"fmt"
	"strings"
	"text/template"
	"time"

	"github.com/uptop-dev/uptop/store"
)

// Message is what a Notifier sends: a notification with its text rendered.
type Message struct {
	Notification
	Title   string // one line: "API is down", "12 services down"
	Text    string // the body: the template's output when message is set
	PageURL string // the status page, "" when none
}

// maxListed caps the names a grouped message lists.
const maxListed = 20

// render builds the default title and text of n.
func render(n Notification) (title, text string) {
	if len(n.Events) == 1 {
		return renderOne(n.Events[0])
	}
	var lines []string
	count := map[Kind]int{}
	for i, e := range n.Events {
		count[e.Kind]++
		if i < maxListed {
			_, t := renderOne(e)
			lines = append(lines, "- "+t)
		}
	}
	if len(n.Events) > maxListed {
		lines = append(lines, fmt.Sprintf("- and %d more", len(n.Events)-maxListed))
	}
	title = fmt.Sprintf("%d services %s", len(n.Events), verb(n.Kind))
	if n.Kind == KindDown && count[KindUp] > 0 {
		title = fmt.Sprintf("%d services down (%d recovered meanwhile)", count[KindDown], count[KindUp])
	}
	return title, title + ":\n" + strings.Join(lines, "\n")
}

func verb(k Kind) string {
	switch k {
	case KindDown:
		return "down"
	case KindUp:
		return "up again"
	case KindDegraded:
		return "degraded"
	}
	return string(k)
}

func renderOne(e Event) (title, text string) {
	switch e.Kind {
	case KindDown:
		title = e.Service + " is down"
		if len(e.Dependents) > 0 {
			title = fmt.Sprintf("%s down; %d dependent services unreachable", e.Service, len(e.Dependents))
			return title, title + ": " + listNames(e.Dependents)
		}
		return title, withErr(title, e.Error)
	case KindUp:
		title = e.Service + " is up"
		text = fmt.Sprintf("%s is up again after %s", e.Service, fmtDuration(e.Duration))
		if e.Previous == store.Degraded {
			text = fmt.Sprintf("%s is fast again after %s degraded", e.Service, fmtDuration(e.Duration))
		} else if e.Error != "" {
			text += " (last error: " + e.Error + ")"
		}
	case KindDegraded:
		title = e.Service + " is degraded"
		text = fmt.Sprintf("%s is slow: %s", e.Service, fmtDuration(e.Latency))
	case KindReminder:
		title = e.Service + " is still down"
		text = withErr(fmt.Sprintf("%s is still down after %s", e.Service, fmtDuration(e.Duration)), e.Error)
	case KindFlapping:
		title = e.Service + " is flapping"
		text = fmt.Sprintf("%s is flapping (status changed repeatedly within %s); alerts are paused until it is stable, now %s",
			e.Service, fmtDuration(e.Duration), e.Status)
	case KindCertExpiry:
		title = e.Service + " certificate expires soon"
		text = fmt.Sprintf("%s's TLS certificate expires in %s (%s)", e.Service, fmtDuration(e.Duration), e.CertExpiry.UTC().Format(time.RFC3339))
	default:
		title = "uptop test"
		text = "Test message from uptop: this notifier works."
	}
	return title, text
}

func withErr(s, err string) string {
	if err == "" {
		return s
	}
	return s + ": " + err
}

func listNames(names []string) string {
	if len(names) <= maxListed {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:maxListed], ", ") + fmt.Sprintf(" and %d more", len(names)-maxListed)
}

// fmtDuration is short and human: 42s, 5m3s, 2h5m, 3d4h.
func fmtDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Hour:
		return d.Round(time.Second).String()
	case d < 48*time.Hour:
		return strings.TrimSuffix(d.Round(time.Minute).String(), "0s")
	}
	days := int(d / (24 * time.Hour))
	return fmt.Sprintf("%dd%dh", days, int((d-time.Duration(days)*24*time.Hour)/time.Hour))
}

// templateData is what a message template sees: the message, its first
// event's fields at the top level, and the default text.
type templateData struct {
	Message
	Event
	Count    int
	Duration string
	Default  string
}

func parseTemplate(s string) (*template.Template, error) {
	return template.New("message").Option("missingkey=error").Parse(s)
}

// buildMessage renders n for a notifier, through its template if any.
func buildMessage(n Notification, tmpl *template.Template, pageURL string) (Message, error) {
	title, text := render(n)
	m := Message{Notification: n, Title: title, Text: text, PageURL: pageURL}
	if tmpl == nil {
		return m, nil
	}
	var ev Event
	if len(n.Events) > 0 {
		ev = n.Events[0]
	}
	var b strings.Builder
	data := templateData{Message: m, Event: ev, Count: len(n.Events), Duration: fmtDuration(ev.Duration), Default: text}
	if err := tmpl.Execute(&b, data); err != nil {
		return m, fmt.Errorf("message template: %w: fix the alert's message setting", err)
	}
	m.Text = b.String()
	return m, nil
}
