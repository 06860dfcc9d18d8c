package config

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/alert"
)

const twoServices = "[[service]]\nname = \"Router\"\ntcp = \"10.0.0.1:22\"\n[[service]]\nname = \"API\"\nurl = \"https://api.example.com\"\n"

func TestAlertValidationErrors(t *testing.T) {
	t.Parallel()
	scenarios := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "unknown type",
			src:  okService + "[[alert]]\nname = \"ops\"\ntype = \"pager\"\nurl = \"https://x.example\"\n",
			want: []string{`f.toml:6:1: alert type "pager" is not one of discord, ntfy, slack, teams, telegram, webhook: write e.g. type = "webhook"`},
		},
		{
			name: "missing url and name",
			src:  okService + "[[alert]]\ntype = \"slack\"\n",
			want: []string{
				`f.toml:4:1: [[alert]] needs a name: write e.g. name = "ops" (services refer to it)`,
				`f.toml:4:1: alert "" needs url: write url = "${WEBHOOK_URL}" (keep the secret in the environment)`,
			},
		},
		{
			name: "unknown event and bad template",
			src:  okService + "[[alert]]\nname = \"ops\"\ntype = \"webhook\"\nurl = \"https://x.example\"\non = [\"down\", \"sideways\"]\nmessage = \"{{.Service\"\n",
			want: []string{
				`f.toml:8:15: unknown event "sideways": use some of down, up, degraded, cert_expiry, reminder, flapping`,
				`f.toml:9:1: message is not a valid template: template: message:1: unclosed action`,
			},
		},
		{
			name: "key of another type, telegram needs chat_id and token",
			src:  okService + "[[alert]]\nname = \"tg\"\ntype = \"telegram\"\nsecret = \"s\"\n",
			want: []string{
				`f.toml:4:1: a telegram alert needs chat_id: write chat_id = "${TELEGRAM_CHAT_ID}"`,
				`f.toml:4:1: a telegram alert needs token: write token = "${TELEGRAM_TOKEN}"`,
				`f.toml:7:1: secret is for type webhook, not telegram: remove it`,
			},
		},
		{
			name: "duplicate alert names",
			src:  okService + "[[alert]]\nname = \"ops\"\ntype = \"slack\"\nurl = \"https://a.example\"\n[[alert]]\nname = \"ops\"\ntype = \"slack\"\nurl = \"https://b.example\"\n",
			want: []string{`f.toml:9:1: duplicate alert name "ops" (first on line 5): give each [[alert]] its own name`},
		},
		{
			name: "service refers to unknown alert, unknown and self dependency",
			src:  twoServices + "alerts = [\"nope\"]\ndepends_on = [\"API\", \"Core\"]\n",
			want: []string{
				`f.toml:7:11: no [[alert]] is named "nope": use one of the [[alert]] names, or remove it`,
				`f.toml:8:15: a service cannot depend on itself: remove "API"`,
				`f.toml:8:22: depends_on names "Core", which is not a service here: use a service's name`,
			},
		},
		{
			name: "dependency loop",
			src:  "[[service]]\nname = \"A\"\ntcp = \"a:1\"\ndepends_on = [\"B\"]\n[[service]]\nname = \"B\"\ntcp = \"b:1\"\ndepends_on = [\"A\"]\n",
			want: []string{`f.toml:8:15: depends_on makes a loop through "A": remove one of the links`},
		},
		{
			name: "maintenance problems",
			src: twoServices + "[[maintenance]]\nservices = [\"Nope\"]\nstart = \"tomorrow\"\nduration = \"2h\"\n" +
				"[[maintenance]]\nevery = \"someday 02:00\"\nduration = \"1h\"\n[[maintenance]]\nduration = \"1h\"\n[[maintenance]]\nevery = \"sun 02:00\"\n",
			want: []string{
				`f.toml:8:13: no service is named "Nope": use a service's name (or leave services out for all)`,
				`f.toml:9:1: start "tomorrow" is not an RFC 3339 time: write e.g. "2026-12-01T02:00:00Z"`,
				`f.toml:12:1: every = "someday 02:00": write a day and a time, like "sun 02:00"`,
				`f.toml:14:1: set exactly one of start (one-off, "2026-12-01T02:00:00Z") or every (weekly, "sun 02:00")`,
				`f.toml:16:1: [[maintenance]] needs a duration: write e.g. duration = "2h"`,
			},
		},
		{
			name: "alerting section",
			src:  okService + "[alerting]\nflap_changes = 1\ngroup_window = \"-1s\"\n",
			want: []string{
				`f.toml:5:1: flap_changes must be at least 2: write e.g. flap_changes = 5`,
				`f.toml:6:1: group_window must be longer than zero: write e.g. "30s"`,
			},
		},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			got := problems(t, sc.src, nil)
			if !reflect.DeepEqual(got, sc.want) {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(sc.want, "\n"))
			}
		})
	}
}

func TestAlertOptions(t *testing.T) {
	t.Parallel()
	src := twoServices + `depends_on = ["Router"]
alerts = ["ops"]
degraded_threshold = 5

[[alert]]
name = "ops"
type = "webhook"
url = "${HOOK}"
secret = "whsec_c2VjcmV0"
on = ["down", "up", "degraded"]
repeat = "1h"

[[maintenance]]
services = ["API"]
every = "sun 02:00"
duration = "1h"
timezone = "Europe/Berlin"

[alerting]
group_window = "0s"
watch = true
`
	f, err := Parse("f.toml", []byte(src), envOf(map[string]string{"HOOK": "https://hooks.example/abc"}))
	if err != nil {
		t.Fatal(err)
	}
	notifiers, services, windows, rules := f.AlertOptions()
	if len(notifiers) != 1 || notifiers[0].URL != "https://hooks.example/abc" || notifiers[0].Repeat != time.Hour ||
		!reflect.DeepEqual(notifiers[0].On, []alert.Kind{"down", "up", "degraded"}) || notifiers[0].Timeout != alert.DefaultTimeout {
		t.Errorf("notifiers: %+v", notifiers)
	}
	for i := range notifiers {
		if err := notifiers[i].Validate(); err != nil {
			t.Errorf("a valid config made an invalid notifier: %v", err)
		}
	}
	wantSvc := []alert.ServiceRule{
		{ID: "router", Name: "Router", DegradedThreshold: 3},
		{ID: "api", Name: "API", Alerts: []string{"ops"}, DependsOn: []string{"router"}, DegradedThreshold: 5},
	}
	if !reflect.DeepEqual(services, wantSvc) {
		t.Errorf("services:\n got %+v\nwant %+v", services, wantSvc)
	}
	if len(windows) != 1 || !reflect.DeepEqual(windows[0].Services, []string{"api"}) {
		t.Fatalf("windows: %+v", windows)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	sunday := time.Date(2026, 11, 29, 2, 30, 0, 0, berlin)
	if !windows[0].Active("api", sunday) || windows[0].Active("router", sunday) || windows[0].Active("api", sunday.Add(time.Hour)) {
		t.Errorf("weekly window in Berlin time is not active exactly Sun 02:00–03:00 for api")
	}
	if rules.GroupWindow >= 0 || rules.FlapChanges != 5 || !f.Alerting.Watch {
		t.Errorf("rules %+v, watch %v: group_window 0s must turn grouping off", rules, f.Alerting.Watch)
	}
}

func TestAlertURLFromUnsetVariableIsOneProblem(t *testing.T) {
	t.Parallel()
	got := problems(t, okService+"[[alert]]\nname = \"ops\"\ntype = \"slack\"\nurl = \"${SLACK_URL}\"\n", nil)
	want := []string{`f.toml:7:8: environment variable SLACK_URL is not set: export it, or write $${SLACK_URL} for a literal ${SLACK_URL}`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
