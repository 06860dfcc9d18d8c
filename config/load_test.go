package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

func mustParse(t *testing.T, src string, env map[string]string) *File {
	t.Helper()
	f, err := Parse("f.toml", []byte(src), envOf(env))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

// timing is the part of a Service the defaults decide.
type timing struct {
	Interval, Timeout, DegradedAfter time.Duration
	FailThreshold                    int
}

func timingOf(s Service) timing {
	return timing{s.Interval.Duration, s.Timeout.Duration, s.DegradedAfter.Duration, s.FailThreshold}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	scenarios := []struct {
		name string
		src  string
		want timing
	}{
		{"built-in", okService, timing{30 * time.Second, 5 * time.Second, time.Second, 2}},
		{"small interval shrinks the default timeout", okService + "interval = \"3s\"\n",
			timing{3 * time.Second, 2400 * time.Millisecond, time.Second, 2}},
		{"[defaults] apply", "[defaults]\ninterval = \"1m\"\ntimeout = \"10s\"\ndegraded_after = \"2s\"\nfail_threshold = 3\n" + okService,
			timing{time.Minute, 10 * time.Second, 2 * time.Second, 3}},
		{"small [defaults] interval shrinks its timeout", "[defaults]\ninterval = \"2s\"\n" + okService,
			timing{2 * time.Second, 1600 * time.Millisecond, time.Second, 2}},
		{"service keys override [defaults]", "[defaults]\ninterval = \"1m\"\ntimeout = \"10s\"\nfail_threshold = 3\n" + okService +
			"interval = \"20s\"\ntimeout = \"2s\"\nfail_threshold = 1\ndegraded_after = \"0s\"\n",
			timing{20 * time.Second, 2 * time.Second, 0, 1}},
		{"a written [defaults] timeout wins over the interval rule", "[defaults]\ntimeout = \"4s\"\n" + okService + "interval = \"4500ms\"\n",
			timing{4500 * time.Millisecond, 4 * time.Second, time.Second, 2}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			f := mustParse(t, sc.src, nil)
			if got := timingOf(f.Services[0]); got != sc.want {
				t.Errorf("got %+v, want %+v", got, sc.want)
			}
			if f.Defaults.FailThreshold < 1 || f.Defaults.Timeout.Duration >= f.Defaults.Interval.Duration {
				t.Errorf("effective [defaults] are not valid: %+v", f.Defaults)
			}
		})
	}
}

func TestTargetsAndSpecs(t *testing.T) {
	t.Parallel()
	src := `[[service]]
name = "Public API"
url = "https://user:pw@example.com/health?token=abc"
expect_status = [200, 204]
body_contains = "ok"
tags = ["prod"]
group = "Edge"
description = "The public API"

[[service]]
name = "DB"
tcp = "db.example.com:5432"
interval = "10s"
`
	f := mustParse(t, src, nil)
	wantTargets := []probe.Target{
		{ID: "public-api", Kind: "http", Address: "https://user:pw@example.com/health?token=abc",
			Interval: 30 * time.Second, Timeout: 5 * time.Second,
			HTTP: probe.HTTPOptions{ExpectStatus: []int{200, 204}, BodyContains: "ok"}},
		{ID: "db", Kind: "tcp", Address: "db.example.com:5432", Interval: 10 * time.Second, Timeout: 5 * time.Second},
	}
	if got := f.Targets(); !reflect.DeepEqual(got, wantTargets) {
		t.Errorf("Targets:\n got %+v\nwant %+v", got, wantTargets)
	}
	wantSpecs := []store.Spec{
		{ID: "public-api", Name: "Public API", Kind: "http", Target: "https://user:xxxxx@example.com/health?token=xxxxx",
			Tags: []string{"prod"}, Group: "Edge", Description: "The public API",
			Interval: 30 * time.Second, Timeout: 5 * time.Second, DegradedAfter: time.Second, FailThreshold: 2},
		{ID: "db", Name: "DB", Kind: "tcp", Target: "db.example.com:5432", Tags: []string{},
			Interval: 10 * time.Second, Timeout: 5 * time.Second, DegradedAfter: time.Second, FailThreshold: 2},
	}
	got := f.Specs()
	if got[1].Tags == nil { // normalise nil vs empty for the comparison
		got[1].Tags = []string{}
	}
	if !reflect.DeepEqual(got, wantSpecs) {
		t.Errorf("Specs:\n got %+v\nwant %+v", got, wantSpecs)
	}
}

func TestSlug(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Public API": "public-api", "  API  v2!! ": "api-v2", "db.internal:5432": "db-internal-5432",
		"Café": "caf", "Статус": Slug("Статус"), "": "",
	} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			if got := Slug(in); got != want {
				t.Errorf("Slug(%q) = %q, want %q", in, got, want)
			}
		})
	}
	if id := Slug("Статус"); !strings.HasPrefix(id, "service-") || id == Slug("Другой") {
		t.Errorf("a name without ASCII letters gets %q, want a distinct service-<hash>", id)
	}
}

func TestLoadMissingFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "nope.toml")
	_, err := Load(path, nil)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want one wrapping fs.ErrNotExist", err)
	}
	if want := path + ": config file not found: copy services.toml from the uptop repository here, or pass --config FILE"; err.Error() != want {
		t.Errorf("got %q\nwant %q", err, want)
	}
}

// TestDocExamples keeps every ```toml block of docs/CONFIGURATION.md valid.
func TestDocExamples(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../docs/CONFIGURATION.md")
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".ssh", "authorized_keys"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": home, "API_TOKEN": "t",
		"OPS_WEBHOOK_URL": "https://hooks.example/ops", "OPS_WEBHOOK_SECRET": "whsec_c2VjcmV0"}
	blocks := strings.Split(string(doc), "```toml\n")[1:]
	if len(blocks) < 2 {
		t.Fatalf("found %d toml examples, want at least 2", len(blocks))
	}
	for i, b := range blocks {
		src, _, _ := strings.Cut(b, "```")
		if _, err := Parse("example.toml", []byte(src), envOf(env)); err != nil {
			t.Errorf("example %d is invalid:\n%v", i+1, err)
		}
	}
}
