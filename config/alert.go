package config

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptop-dev/uptop/alert"
)

// Alert is one [[alert]]: a notifier services send their events to.
type Alert struct {
	Name string   `toml:"name"` // required, unique; services refer to it
	Type string   `toml:"type"` // webhook | slack | discord | teams | telegram | ntfy
	URL  string   `toml:"url"`  // a secret: never shown
	On   []string `toml:"on"`   // default ["down", "up"]
	// Repeat reminds every Repeat while a service stays down; 0 = never.
	Repeat  Duration `toml:"repeat"`
	Message string   `toml:"message"` // text/template over the event

	Secret   string            `toml:"secret"`   // webhook: Standard Webhooks signing secret
	Headers  map[string]string `toml:"headers"`  // webhook: extra request headers (secrets)
	ChatID   string            `toml:"chat_id"`  // telegram, required
	Token    string            `toml:"token"`    // telegram bot token (required); ntfy access token
	Priority int               `toml:"priority"` // ntfy, 1–5, default 4

	Timeout     Duration `toml:"timeout"`       // per attempt, default 10s
	GiveUpAfter Duration `toml:"give_up_after"` // default 24h
}

// Maintenance is one [[maintenance]]: a window with no alerts in which the
// covered services show as "maintenance".
type Maintenance struct {
	Services []string `toml:"services"` // service names; empty = all
	Start    string   `toml:"start"`    // RFC 3339, for a one-off window
	Every    string   `toml:"every"`    // "sun 02:00", for a weekly window
	Duration Duration `toml:"duration"` // required
	Timezone string   `toml:"timezone"` // for every; default UTC

	window alert.Window // built by validate
}

// Alerting is [alerting]: how the rules treat flapping, bursts and
// certificates, and whether `uptop watch` sends alerts too.
type Alerting struct {
	FlapChanges int      `toml:"flap_changes"` // default 5 …
	FlapWindow  Duration `toml:"flap_window"`  // … changes in 30m is flapping
	StableAfter Duration `toml:"stable_after"` // quiet this long ends flapping; default 10m
	GroupWindow Duration `toml:"group_window"` // default 30s; "0s" sends every event alone
	CertWarn    Duration `toml:"cert_warn"`    // default 14 days
	// Watch makes `uptop watch` deliver alerts as well as `uptop serve`.
	Watch bool `toml:"watch"`
}

func (f *File) validateAlerts(c *checker) {
	names := map[string]int{}
	for i := range f.Alerts {
		a, path := &f.Alerts[i], "alert."+strconv.Itoa(i)
		a.validate(c, path)
		if a.Name == "" {
			continue
		}
		if first, dup := names[a.Name]; dup {
			c.errorf(join(path, "name"), "duplicate alert name %q (first on line %d): give each [[alert]] its own name",
				a.Name, c.line(join("alert."+strconv.Itoa(first), "name")))
			continue
		}
		names[a.Name] = i
	}
	for i := range f.Services {
		f.Services[i].validateAlerting(c, servicePath(i), names, f.serviceIndex())
	}
	f.checkDependencyCycles(c)
	for i := range f.Maintenance {
		f.Maintenance[i].validate(c, "maintenance."+strconv.Itoa(i), f.serviceIndex())
	}
	f.Alerting.validate(c, "alerting")
}

func (a *Alert) validate(c *checker, path string) {
	if !c.present[join(path, "name")] || strings.TrimSpace(a.Name) == "" {
		c.errorf(path, `[[alert]] needs a name: write e.g. name = "ops" (services refer to it)`)
	}
	types := alert.Types()
	switch tp := join(path, "type"); {
	case c.bad[tp]:
		return
	case !slices.Contains(types, a.Type):
		c.errorf(tp, "alert type %q is not one of %s: write e.g. type = \"webhook\"", a.Type, strings.Join(types, ", "))
		return
	}
	up := join(path, "url")
	switch {
	case c.bad[up]: // already reported (an unset variable, a wrong type)
	case !c.set(up) && a.Type != "telegram":
		c.errorf(path, `alert %q needs url: write url = "${WEBHOOK_URL}" (keep the secret in the environment)`, a.Name)
	case c.set(up) && !strings.HasPrefix(a.URL, "https://") && !strings.HasPrefix(a.URL, "http://"):
		c.errorf(up, "alert url must start with https:// or http://")
	}
	for i, on := range a.On {
		if !slices.Contains(alert.Kinds, alert.Kind(on)) {
			c.errorf(join(join(path, "on"), strconv.Itoa(i)), "unknown event %q: use some of %s", on, kindNames())
		}
	}
	a.validateTypeKeys(c, path)
	c.duration(join(path, "repeat"), &a.Repeat, 0, true)
	c.duration(join(path, "timeout"), &a.Timeout, alert.DefaultTimeout, false)
	c.duration(join(path, "give_up_after"), &a.GiveUpAfter, alert.DefaultGiveUpAfter, false)
	if mp := join(path, "message"); c.set(mp) {
		if err := alert.CheckTemplate(a.Message); err != nil {
			c.errorf(mp, "message is not a valid template: %v", err)
		}
	}
}

// typeKeys are the keys that belong to one notifier type only.
var typeKeys = map[string][]string{
	"secret": {"webhook"}, "headers": {"webhook"}, "chat_id": {"telegram"},
	"token": {"telegram", "ntfy"}, "priority": {"ntfy"},
}

func (a *Alert) validateTypeKeys(c *checker, path string) {
	for key, types := range typeKeys {
		if c.present[join(path, key)] && !slices.Contains(types, a.Type) {
			c.errorf(join(path, key), "%s is for type %s, not %s: remove it", key, strings.Join(types, " or "), a.Type)
		}
	}
	if a.Type == "telegram" {
		for _, key := range []string{"chat_id", "token"} {
			if !c.set(join(path, key)) {
				c.errorf(path, "a telegram alert needs %s: write %s = \"${TELEGRAM_%s}\"", key, key, strings.ToUpper(key))
			}
		}
	}
	if pp := join(path, "priority"); c.set(pp) && (a.Priority < 1 || a.Priority > 5) {
		c.errorf(pp, "priority must be 1 to 5 (ntfy's scale): write e.g. priority = 4")
	}
}

func kindNames() string {
	var s []string
	for _, k := range alert.Kinds {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}

func (a *Alerting) validate(c *checker, path string) {
	c.atLeast(join(path, "flap_changes"), &a.FlapChanges, 2, 5)
	c.duration(join(path, "flap_window"), &a.FlapWindow, 30*time.Minute, false)
	c.duration(join(path, "stable_after"), &a.StableAfter, 10*time.Minute, false)
	c.duration(join(path, "group_window"), &a.GroupWindow, 30*time.Second, true)
	c.duration(join(path, "cert_warn"), &a.CertWarn, 14*24*time.Hour, false)
}
