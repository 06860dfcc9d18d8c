package config

import (
	"slices"
	"strings"
	"testing"
)

// TestKindValidationErrors: every new key's problems, at their line:col.
func TestKindValidationErrors(t *testing.T) {
	t.Parallel()
	const h = "[[service]]\nname = \"s\"\n" // lines 1-2; the kind's keys start on line 3
	scenarios := []struct {
		name string
		src  string
		env  map[string]string
		want []string
	}{
		{name: "method", src: h + "url = \"https://x\"\nmethod = \"GE T\"\n",
			want: []string{`f.toml:4:1: method "GE T" is not an HTTP method: write e.g. method = "POST"`}},
		{name: "header name", src: h + "url = \"https://x\"\nheaders = { \"Bad Name\" = \"${SECRET}\" }\n", env: map[string]string{"SECRET": "s3cr3t-value"},
			want: []string{`f.toml:4:13: header name "Bad Name" is not valid: use letters, digits and dashes, e.g. "X-Api-Key"`}},
		{name: "header value type", src: h + "url = \"https://x\"\nheaders = { X-N = 1 }\n",
			want: []string{`f.toml:4:13: X-N must be a string in quotes, not a number`}},
		{name: "headers not a table", src: h + "url = \"https://x\"\nheaders = \"X: 1\"\n",
			want: []string{`f.toml:4:1: headers must be a table of strings like { "X-Api-Key" = "${API_KEY}" }, not a string`}},
		{name: "basic auth user", src: h + "url = \"https://x\"\nbasic_auth = { password = \"p\" }\n",
			want: []string{`f.toml:4:1: basic_auth needs a user: write basic_auth = { user = "me", password = "${API_PASSWORD}" }`}},
		{name: "basic auth unknown key", src: h + "url = \"https://x\"\nbasic_auth = { user = \"u\", pasword = \"p\" }\n",
			want: []string{`f.toml:4:28: unknown key "pasword" in [service.0.basic_auth]: did you mean "password"?`}},
		{name: "follow_redirects type", src: h + "url = \"https://x\"\nfollow_redirects = \"no\"\n",
			want: []string{`f.toml:4:1: follow_redirects must be true or false, not a string`}},
		{name: "body_regex", src: h + "url = \"https://x\"\nbody_regex = \"([\"\n",
			want: []string{"f.toml:4:1: body_regex does not compile (missing closing ]: `[`): use RE2 syntax, e.g. body_regex = \"version \\\\d+\""}},
		{name: "json two ops", src: h + "url = \"https://x\"\njson = [{ path = \"a\", lt = 1, gt = 0 }]\n",
			want: []string{`f.toml:4:9: a json check needs exactly one of equals, contains, lt, gt, exists: this one has 2`}},
		{name: "json no path", src: h + "url = \"https://x\"\n\n[[service.json]]\nequals = \"ok\"\n",
			want: []string{`f.toml:5:1: a json check needs a path: write e.g. { path = "status", equals = "ok" }`}},
		{name: "json lt type", src: h + "url = \"https://x\"\njson = [{ path = \"a\", lt = \"5\" }]\n",
			want: []string{`f.toml:4:23: lt must be a number, not a string`}},
		{name: "json equals table", src: h + "url = \"https://x\"\njson = [{ path = \"a\", equals = { b = 1 } }]\n",
			want: []string{`f.toml:4:23: equals must be a string, number or boolean, not a table`}},
		{name: "ip", src: h + "url = \"https://x\"\nip = \"ipv6\"\n",
			want: []string{`f.toml:4:1: ip must be "4" or "6": write ip = "6" to check over IPv6 only`}},
		{name: "client cert half", src: h + "url = \"https://x\"\ntls_cert = \"c.pem\"\n",
			want: []string{`f.toml:1:1: a client certificate needs both tls_cert and tls_key: write tls_cert = "client.pem" and tls_key = "client-key.pem"`}},
		{name: "warn on http", src: h + "url = \"http://x\"\ncert_expiry_warn = \"21d\"\n",
			want: []string{`f.toml:4:1: cert_expiry_warn needs an https:// url (or a tls check): remove it or use https`}},
		{name: "warn bad days", src: h + "tls = \"x:443\"\ncert_expiry_warn = \"3 weeks\"\n",
			want: []string{`f.toml:4:1: invalid duration "3 weeks": write e.g. "30s", "1m30s"`}},
		{name: "tcp expect list", src: h + "tcp = \"x:22\"\nexpect = [\"a\", \"b\"]\n",
			want: []string{`f.toml:4:1: expect on a tcp check is one string the server sends: write e.g. expect = "SSH-2.0"`}},
		{name: "send on http", src: h + "url = \"https://x\"\nsend = \"hi\"\n",
			want: []string{`f.toml:4:1: send only applies to tcp checks, and this service is a url check: remove it`}},
		{name: "expect on http", src: h + "url = \"https://x\"\nexpect = \"x\"\n",
			want: []string{`f.toml:4:1: expect only applies to tcp or dns checks, and this service is a url check: remove it`}},
		{name: "warn on tcp", src: h + "tcp = \"x:1\"\ncert_expiry_warn = \"1d\"\n",
			want: []string{`f.toml:4:1: cert_expiry_warn only applies to url or tls checks, and this service is a tcp check: remove it`}},
		{name: "ping port", src: h + "ping = \"x:80\"\n",
			want: []string{`f.toml:3:1: ping takes a bare host or IP, no port or scheme: write e.g. ping = "192.0.2.10"`}},
		{name: "ping count", src: h + "ping = \"x\"\ncount = 0\n",
			want: []string{`f.toml:4:1: count must be at least 1: write e.g. count = 3`}},
		{name: "ping count high", src: h + "ping = \"x\"\ncount = 500\n",
			want: []string{`f.toml:4:1: count 500 is too many pings for one check: use 1 to 100`}},
		{name: "max_loss", src: h + "ping = \"x\"\nmax_loss = 50\n",
			want: []string{`f.toml:4:1: max_loss is the fraction of pings that may be lost, from 0 up to (not including) 1: write e.g. max_loss = 0.5`}},
		{name: "dns name", src: h + "dns = \"https://example.com\"\n",
			want: []string{`f.toml:3:1: dns is the name to look up: write e.g. dns = "example.com"`}},
		{name: "dns record", src: h + "dns = \"example.com\"\nrecord = \"SRV\"\n",
			want: []string{`f.toml:4:1: record "SRV" is not supported: use one of A, AAAA, CNAME, MX, TXT, NS`}},
		{name: "dns resolver", src: h + "dns = \"example.com\"\nresolver = \"dns.google\"\n",
			want: []string{`f.toml:4:1: resolver must be an IP with an optional port: write e.g. resolver = "1.1.1.1:53"`}},
		{name: "dns expect empty", src: h + "dns = \"example.com\"\nexpect = [\"1.2.3.4\", \" \"]\n",
			want: []string{`f.toml:4:22: an expected answer must not be empty: remove it`}},
		{name: "tls address", src: h + "tls = \"example.com\"\n",
			want: []string{`f.toml:3:1: tls must be host:port with a numeric port: write e.g. tls = "example.com:443"`}},
		{name: "push false", src: h + "push = false\n",
			want: []string{`f.toml:3:1: push = false makes no check: write push = true, or remove the key and set another check`}},
		{name: "push type", src: h + "push = \"yes\"\n",
			want: []string{`f.toml:3:1: push must be true or false, not a string`}},
		{name: "push token short", src: h + "push = true\npush_token = \"${T}\"\n", env: map[string]string{"T": "short"},
			want: []string{"f.toml:4:1: push_token must be at least 16 characters (it is the secret in the push URL): generate one with `openssl rand -hex 16`, or remove it to have uptop generate one"}},
		{name: "push grace", src: h + "push = true\ngrace = \"-1m\"\n",
			want: []string{`f.toml:4:1: grace must be longer than zero: write e.g. "1m0s"`}},
		{name: "push token on tcp", src: h + "tcp = \"x:1\"\npush_token = \"0123456789abcdef\"\n",
			want: []string{`f.toml:4:1: push_token only applies to push checks, and this service is a tcp check: remove it`}},
		{name: "command not allowed", src: h + "command = [\"true\"]\n",
			want: []string{`f.toml:3:1: command checks run programs and are off: set allow_commands = true at the top of the file to allow them`}},
		{name: "command empty", src: "allow_commands = true\n" + h + "command = []\n",
			want: []string{`f.toml:4:1: command needs a program: write e.g. command = ["pg_isready", "-h", "db"]`}},
		{name: "command a string", src: "allow_commands = true\n" + h + "command = \"pg_isready -h db\"\n",
			want: []string{`f.toml:4:1: command must be a list of strings like ["prod", "eu"], not a string`}},
		{name: "two kinds", src: h + "ping = \"x\"\ndns = \"x.org\"\n",
			want: []string{`f.toml:4:1: set exactly one of url, tcp, ping, dns, tls, push, command: this service sets ping and dns`}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			got := problems(t, sc.src, sc.env)
			if !slices.Equal(got, sc.want) {
				t.Fatalf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(sc.want, "\n"))
			}
			for _, v := range sc.env {
				if strings.Contains(strings.Join(got, "\n"), v) {
					t.Fatalf("a secret from the environment leaked: %v", got)
				}
			}
		})
	}
}
