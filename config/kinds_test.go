package config

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/probe"
)

// TestRepoExample: the services.toml users copy is valid with no
// environment at all, shows every kind, and every service in it builds.
func TestRepoExample(t *testing.T) {
	t.Parallel()
	f, err := Load("../services.toml", nil)
	if err != nil {
		t.Fatalf("the repository's services.toml is invalid:\n%v", err)
	}
	kinds := map[string]bool{}
	for _, s := range f.Services {
		kinds[s.Kind()] = true
	}
	for _, k := range []string{"http", "tcp", "icmp", "dns", "tls", "push"} {
		if !kinds[k] {
			t.Errorf("services.toml shows no %s service", k)
		}
	}
	for _, tg := range f.Targets() {
		if _, err := probe.NewRegistry().Build(tg); err != nil {
			t.Errorf("service %s does not build: %v", tg.ID, err)
		}
	}
	data, err := os.ReadFile("../services.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "${") {
		t.Errorf("services.toml should show ${VAR} expansion (in a comment)")
	}
}

func TestKindTargets(t *testing.T) {
	t.Parallel()
	src := `allow_commands = true
[[service]]
name = "api"
url = "https://api.example.com/health"
method = "post"
headers = { Authorization = "Bearer ${TOKEN}", "X-Trace" = "1" }
body = '{"q":1}'
basic_auth = { user = "me", password = "${PASS}" }
follow_redirects = false
insecure_skip_verify = true
body_regex = "ok|fine"
json = [{ path = "status", equals = "ok" }, { path = "db.ms", lt = 50 }, { path = "n", gt = 1.5 }, { path = "v", contains = "2." }, { path = "up", equals = true }, { path = "db", exists = true }, { path = "count", equals = 3 }]
expect_header = { Content-Type = "json" }
ip = "6"
tls_cert = "/etc/c.pem"
tls_key = "k.pem"
cert_expiry_warn = "21d"

[[service]]
name = "ssh"
tcp = "db:22"
send = "hi"
expect = "SSH-2.0"

[[service]]
name = "gw"
ping = "192.0.2.1"
count = 5
max_loss = 0.2

[[service]]
name = "dns"
dns = "example.com"
record = "mx"
resolver = "1.1.1.1"
expect = ["mail.example.com"]

[[service]]
name = "cert"
tls = "example.com:443"
cert_expiry_warn = "36h"

[[service]]
name = "backup"
push = true
interval = "24h"
push_token = "${PUSH}"

[[service]]
name = "pg"
command = ["pg_isready", "-h", "db", "--password=${PASS}"]
`
	f, err := Parse("/cfg/f.toml", []byte(src), envOf(map[string]string{"TOKEN": "t0k3n-value", "PASS": "hunter22", "PUSH": "0123456789abcdef0123"}))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	ts := f.Targets()
	api := ts[0]
	wantHTTP := probe.HTTPOptions{
		Method: "post", Headers: map[string]string{"Authorization": "Bearer t0k3n-value", "X-Trace": "1"}, Body: `{"q":1}`,
		BasicAuth: &probe.BasicAuth{User: "me", Password: "hunter22"}, NoRedirects: true, InsecureSkipVerify: true,
		BodyRegex: "ok|fine", ExpectHeader: map[string]string{"Content-Type": "json"}, IP: "6",
		ClientCert: "/etc/c.pem", ClientKey: "/cfg/k.pem",
		JSON: []probe.JSONCheck{{Path: "status", Op: "equals", Value: "ok"}, {Path: "db.ms", Op: "lt", Number: 50},
			{Path: "n", Op: "gt", Number: 1.5}, {Path: "v", Op: "contains", Value: "2."}, {Path: "up", Op: "equals", Value: "true"},
			{Path: "db", Op: "exists"}, {Path: "count", Op: "equals", Value: "3"}},
	}
	if !reflect.DeepEqual(api.HTTP, wantHTTP) {
		t.Errorf("http options\n got %+v\nwant %+v", api.HTTP, wantHTTP)
	}
	if api.TLS.ExpiryWarn != 21*24*time.Hour {
		t.Errorf("cert_expiry_warn = %v, want 504h", api.TLS.ExpiryWarn)
	}
	checks := []struct {
		got, want any
	}{
		{ts[1].TCP, probe.TCPOptions{Send: "hi", Expect: "SSH-2.0"}},
		{ts[2].Kind, "icmp"}, {ts[2].Address, "192.0.2.1"}, {ts[2].Ping, probe.PingOptions{Count: 5, MaxLoss: 0.2}},
		{ts[3].DNS, probe.DNSOptions{Record: "MX", Resolver: "1.1.1.1", Expect: []string{"mail.example.com"}}},
		{ts[4].Kind, "tls"}, {ts[4].TLS.ExpiryWarn, 36 * time.Hour},
		{ts[5].Kind, "push"}, {ts[5].Push, probe.PushOptions{Every: 24 * time.Hour, Grace: time.Minute}}, {ts[5].Interval, 30 * time.Second},
		{f.Services[5].PushToken, "0123456789abcdef0123"},
		{ts[6].Command.Argv, []string{"pg_isready", "-h", "db", "--password=hunter22"}},
	}
	for i, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("check %d: got %+v, want %+v", i, c.got, c.want)
		}
	}
	for _, sp := range f.Specs() {
		for _, secret := range []string{"t0k3n-value", "hunter22", "0123456789abcdef0123"} {
			if strings.Contains(sp.Target, secret) {
				t.Errorf("spec %s shows a secret: %q", sp.ID, sp.Target)
			}
		}
	}
	if got := f.Specs()[6].Target; got != "pg_isready -h db --password=${PASS}" {
		t.Errorf("command target %q, want it as written", got)
	}
	if got := f.Specs()[5].Target; got != "push" {
		t.Errorf("push target %q, want no token", got)
	}
	for i, tg := range ts {
		if _, err := probe.NewRegistry().Build(tg); err != nil && tg.Kind != "http" {
			t.Errorf("target %d (%s) does not build: %v", i, tg.Kind, err)
		}
	}
}

func TestKindDefaults(t *testing.T) {
	t.Parallel()
	src := "[[service]]\nname = \"a\"\nurl = \"https://x\"\n[[service]]\nname = \"b\"\nping = \"x\"\n[[service]]\nname = \"c\"\ndns = \"x.org\"\n[[service]]\nname = \"d\"\npush = true\n"
	f, err := Parse("f.toml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := f.Targets()
	if ts[0].HTTP.NoRedirects || ts[0].HTTP.Method != "" {
		t.Errorf("http defaults: %+v", ts[0].HTTP)
	}
	if ts[1].Ping != (probe.PingOptions{Count: 3, MaxLoss: 0.5}) {
		t.Errorf("ping defaults: %+v", ts[1].Ping)
	}
	if ts[2].DNS.Record != "A" {
		t.Errorf("dns record default %q", ts[2].DNS.Record)
	}
	if ts[3].Push.Grace != time.Minute || ts[3].Push.Every != 30*time.Second || ts[3].Timeout >= ts[3].Interval {
		t.Errorf("push defaults: %+v interval %v timeout %v", ts[3].Push, ts[3].Interval, ts[3].Timeout)
	}
}
