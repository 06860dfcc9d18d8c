package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

// problems parses src as f.toml and returns every reported line.
func problems(t *testing.T, src string, env map[string]string) []string {
	t.Helper()
	f, err := Parse("f.toml", []byte(src), envOf(env))
	if err == nil {
		t.Fatalf("Parse accepted the config, want errors; got %+v", f)
	}
	if f != nil {
		t.Errorf("Parse returned a partial config with its errors")
	}
	var errs *Errors
	if !errors.As(err, &errs) {
		t.Fatalf("error is %T, want *Errors: %v", err, err)
	}
	if got := strings.Split(err.Error(), "\n"); len(got) != len(errs.List) {
		t.Errorf("Error() has %d lines for %d problems", len(got), len(errs.List))
	}
	out := make([]string, len(errs.List))
	for i, e := range errs.List {
		out[i] = e.Error()
	}
	return out
}

const okService = "[[service]]\nname = \"ok\"\nurl = \"https://example.com\"\n"

func TestValidationErrors(t *testing.T) {
	t.Parallel()
	scenarios := []struct {
		name string
		src  string
		env  map[string]string
		want []string
	}{
		{
			name: "toml syntax",
			src:  "[[service]]\nname = \"a\nurl = \"https://example.com\"\n",
			want: []string{`f.toml:2:10: invalid TOML: strings cannot contain newlines`},
		},
		{
			name: "unknown key with suggestion",
			src:  okService + "intervl = \"10s\"\n",
			want: []string{`f.toml:4:1: unknown key "intervl" in [[service]]: did you mean "interval"?`},
		},
		{
			name: "unknown key without suggestion",
			src:  "[defaults]\ncolour = \"red\"\n" + okService,
			want: []string{`f.toml:2:1: unknown key "colour" in [defaults]: remove it (known keys: degraded_after, fail_threshold, interval, timeout)`},
		},
		{
			name: "unknown section",
			src:  okService + "[servce]\nname = \"x\"\n",
			want: []string{`f.toml:4:1: unknown key "servce" at the top level: did you mean "service"?`},
		},
		{
			name: "unknown key in the second service, indented",
			src:  okService + "[[service]]\n  name = \"b\"\n  tcp = \"example.com:443\"\n  Timeout = \"1s\"\n",
			want: []string{`f.toml:7:3: unknown key "Timeout" in [[service]]: did you mean "timeout"?`},
		},
		{
			name: "unknown key in an inline table",
			src:  "http = { listn = \"127.0.0.1:9000\" }\n" + okService,
			want: []string{`f.toml:1:10: unknown key "listn" in [http]: did you mean "listen"?`},
		},
		{
			name: "key lines inside a multi-line string are not keys",
			src:  okService + "description = \"\"\"\nintervl = 3\n\"\"\"\nbogus = 1\n",
			want: []string{`f.toml:7:1: unknown key "bogus" in [[service]]: remove it (known keys: alerts, basic_auth, body, body_contains, body_regex, cert_expiry_warn, command, count, degraded_after, degraded_threshold, depends_on, description, dns, expect, expect_header, expect_status, fail_threshold, follow_redirects, grace, group, headers, insecure_skip_verify, interval, ip, json, max_loss, method, name, ping, push, push_token, record, resolver, send, tags, tcp, timeout, tls, tls_cert, tls_key, url)`},
		},
		{
			name: "duplicate name",
			src:  okService + "\n[[service]]\nname = \"ok\"\ntcp = \"example.com:443\"\n",
			want: []string{`f.toml:6:1: duplicate service name "ok" (first on line 2): give each service its own name`},
		},
		{
			name: "duplicate id after slugging",
			src:  "[[service]]\nname = \"Public API\"\nurl = \"https://example.com\"\n[[service]]\nname = \"public-api\"\ntcp = \"example.com:443\"\n",
			want: []string{`f.toml:5:1: service name "public-api" makes the id "public-api", the same as "Public API" on line 2: rename one of them`},
		},
		{
			name: "no check kind",
			src:  okService + "\n[[service]]\nname = \"b\"\n",
			want: []string{`f.toml:5:1: service has no check: set exactly one of url, tcp, ping, dns, tls, push, command`},
		},
		{
			name: "two check kinds",
			src:  okService + "tcp = \"example.com:443\"\n",
			want: []string{`f.toml:4:1: set exactly one of url, tcp, ping, dns, tls, push, command: this service sets url and tcp`},
		},
		{
			name: "bad duration",
			src:  okService + "timeout = \"3 seconds\"\n",
			want: []string{`f.toml:4:1: invalid duration "3 seconds": write e.g. "30s", "1m30s"`},
		},
		{
			name: "duration as a number",
			src:  "[defaults]\ninterval = 30\n" + okService,
			want: []string{`f.toml:2:1: interval must be a duration string like "30s", not a number`},
		},
		{
			name: "zero and negative durations",
			src:  "[defaults]\ninterval = \"0s\"\n" + okService + "timeout = \"-5s\"\n",
			want: []string{
				`f.toml:2:1: interval must be longer than zero: write e.g. "30s"`,
				`f.toml:6:1: timeout must be longer than zero: write e.g. "5s"`,
			},
		},
		{
			name: "timeout not below interval",
			src:  okService + "interval = \"10s\"\ntimeout = \"10s\"\n",
			want: []string{`f.toml:5:1: timeout 10s must be shorter than interval 10s: lower timeout or raise interval`},
		},
		{
			name: "defaults timeout against a service interval",
			src:  "[defaults]\ntimeout = \"8s\"\n" + okService + "interval = \"5s\"\n",
			want: []string{`f.toml:6:1: interval 5s must be longer than the timeout 8s from [defaults]: raise interval or set a shorter timeout here`},
		},
		{
			name: "timeout not below interval in defaults",
			src:  "[defaults]\ninterval = \"5s\"\ntimeout = \"6s\"\n" + okService,
			want: []string{`f.toml:3:1: timeout 6s must be shorter than interval 5s: lower timeout or raise interval`},
		},
		{
			name: "fail_threshold below one",
			src:  okService + "fail_threshold = 0\n",
			want: []string{`f.toml:4:1: fail_threshold must be at least 1: write e.g. fail_threshold = 2`},
		},
		{
			name: "expect_status out of range points at the item",
			src:  okService + "expect_status = [200, 700]\n",
			want: []string{`f.toml:4:23: expect_status 700 is not an HTTP status: use codes from 100 to 599`},
		},
		{
			name: "expect_status item of the wrong type",
			src:  okService + "expect_status = [\"200\"]\n",
			want: []string{`f.toml:4:18: an item of expect_status must be a whole number, not a string`},
		},
		{
			name: "url not http",
			src:  "[[service]]\nname = \"a\"\nurl = \"ftp://user:hunter22@example.com\"\n",
			want: []string{`f.toml:3:1: url must start with http:// or https://: write e.g. "https://example.com/health"`},
		},
		{
			name: "url without host",
			src:  "[[service]]\nname = \"a\"\nurl = \"https:///health\"\n",
			want: []string{`f.toml:3:1: url has no host: write e.g. "https://example.com/health"`},
		},
		{
			name: "url with a port out of range",
			src:  "[[service]]\nname = \"a\"\nurl = \"https://example.com:99999/\"\n",
			want: []string{`f.toml:3:1: url has a port outside 1–65535: write e.g. "https://example.com:8443/health"`},
		},
		{
			name: "services as an inline array of tables",
			src:  "service = [{name = \"a\", url = \"https://example.com\"}, {name = \"b\", intervl = \"1s\"}]\n",
			want: []string{
				`f.toml:1:55: service has no check: set exactly one of url, tcp, ping, dns, tls, push, command`,
				`f.toml:1:68: unknown key "intervl" in [[service]]: did you mean "interval"?`,
			},
		},
		{
			name: "tcp without port",
			src:  "[[service]]\nname = \"a\"\ntcp = \"example.com\"\n",
			want: []string{`f.toml:3:1: tcp must be host:port with a numeric port: write e.g. "db.internal:5432"`},
		},
		{
			name: "tcp with a named port",
			src:  "[[service]]\nname = \"a\"\ntcp = \"example.com:https\"\n",
			want: []string{`f.toml:3:1: tcp must be host:port with a numeric port: write e.g. "db.internal:5432"`},
		},
		{
			name: "empty name",
			src:  "[[service]]\nname = \"  \"\nurl = \"https://example.com\"\n",
			want: []string{`f.toml:2:1: name must not be empty: write e.g. name = "API"`},
		},
		{
			name: "missing name",
			src:  "[[service]]\nurl = \"https://example.com\"\n",
			want: []string{`f.toml:1:1: service has no name: add name = "…" (required, unique)`},
		},
		{
			name: "key of another kind",
			src:  "[[service]]\nname = \"a\"\ntcp = \"example.com:443\"\nbody_contains = \"ok\"\n",
			want: []string{`f.toml:4:1: body_contains only applies to url checks, and this service is a tcp check: remove it`},
		},
		{
			name: "single table instead of array of tables",
			src:  "[service]\nname = \"a\"\nurl = \"https://example.com\"\n",
			want: []string{`f.toml:1:1: service must be a list of tables, not a table: write [[service]] headers`},
		},
		{
			name: "negative concurrency",
			src:  "concurrency = -1\n" + okService,
			want: []string{`f.toml:1:1: concurrency must be 0 (automatic) or more: write e.g. concurrency = 64`},
		},
		{
			name: "every problem, in file order",
			src:  "[defaults]\nintervl = \"1s\"\n[[service]]\nname = \"a\"\n[[service]]\nname = \"a\"\nurl = \"https://example.com\"\ntimeout = \"soon\"\n",
			want: []string{
				`f.toml:2:1: unknown key "intervl" in [defaults]: did you mean "interval"?`,
				`f.toml:3:1: service has no check: set exactly one of url, tcp, ping, dns, tls, push, command`,
				`f.toml:6:1: duplicate service name "a" (first on line 4): give each service its own name`,
				`f.toml:8:1: invalid duration "soon": write e.g. "30s", "1m30s"`,
			},
		},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			got := problems(t, sc.src, sc.env)
			if !reflect.DeepEqual(got, sc.want) {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(sc.want, "\n"))
			}
		})
	}
}
