package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSectionDefaults(t *testing.T) {
	t.Parallel()
	f := mustParse(t, okService, nil)
	if f.HTTP != nil || f.SSH != nil {
		t.Errorf("absent [http]/[ssh] should be nil, got %+v %+v", f.HTTP, f.SSH)
	}
	if want := (Retention{D(168 * time.Hour), D(9600 * time.Hour)}); f.Retention != want {
		t.Errorf("retention %+v, want %+v", f.Retention, want)
	}
	if f.Concurrency != 0 {
		t.Errorf("concurrency %d, want 0", f.Concurrency)
	}

	f = mustParse(t, "concurrency = 16\n[http]\n"+okService, nil)
	if want := (HTTP{Listen: "127.0.0.1:8080", Title: "Status"}); f.HTTP == nil || *f.HTTP != want {
		t.Errorf("[http] = %+v, want %+v", f.HTTP, want)
	}
	if f.Concurrency != 16 {
		t.Errorf("concurrency %d, want 16", f.Concurrency)
	}
	f = mustParse(t, "[http]\nlisten = \":0\"\ntitle = \"Acme\"\nshow_targets = true\n"+okService, nil)
	if want := (HTTP{Listen: ":0", Title: "Acme", ShowTargets: true}); *f.HTTP != want {
		t.Errorf("[http] = %+v, want %+v", f.HTTP, want)
	}
}

func TestSSHSection(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	keys := filepath.Join(home, ".ssh", "authorized_keys")
	if err := os.WriteFile(keys, []byte("ssh-ed25519 AAAA test\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": home}

	f := mustParse(t, "[ssh]\nauthorized_keys = \"~/.ssh/authorized_keys\"\n"+okService, env)
	want := SSH{Listen: "127.0.0.1:2222", AuthorizedKeys: keys, MaxSessions: 50, IdleTimeout: D(30 * time.Minute)}
	if !reflect.DeepEqual(*f.SSH, want) {
		t.Errorf("[ssh] = %+v, want %+v", *f.SSH, want)
	}

	// A relative path is taken from the config file's directory.
	cfg := filepath.Join(home, "services.toml")
	src := "[ssh]\nauthorized_keys = \".ssh/authorized_keys\"\nhost_key = \"host_ed25519\"\nmax_sessions = 5\nidle_timeout = \"5m\"\n" + okService
	f, err := Parse(cfg, []byte(src), envOf(env))
	if err != nil {
		t.Fatal(err)
	}
	want = SSH{Listen: "127.0.0.1:2222", AuthorizedKeys: keys, HostKey: filepath.Join(home, "host_ed25519"),
		MaxSessions: 5, IdleTimeout: D(5 * time.Minute)}
	if !reflect.DeepEqual(*f.SSH, want) {
		t.Errorf("[ssh] = %+v, want %+v", *f.SSH, want)
	}
}

func TestSectionErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing_keys")
	scenarios := []struct {
		name string
		src  string
		env  map[string]string
		want []string
	}{
		{
			name: "http listen without a port",
			src:  "[http]\nlisten = \"localhost\"\n" + okService,
			want: []string{`f.toml:2:1: listen must be host:port with a numeric port: write e.g. "127.0.0.1:8080"`},
		},
		{
			name: "http show_targets not a bool",
			src:  "[http]\nshow_targets = \"yes\"\n" + okService,
			want: []string{`f.toml:2:1: show_targets must be true or false, not a string`},
		},
		{
			name: "ssh without authorized_keys",
			src:  okService + "\n[ssh]\nlisten = \":2222\"\n",
			want: []string{`f.toml:5:1: [ssh] needs authorized_keys: write e.g. authorized_keys = "~/.ssh/authorized_keys" (only those keys may connect)`},
		},
		{
			name: "ssh authorized_keys missing",
			src:  "[ssh]\nauthorized_keys = \"" + missing + "\"\n" + okService,
			want: []string{`f.toml:2:1: authorized_keys file "` + missing + `" (resolved to ` + missing + `) does not exist or is not a file: create it or point to your authorized_keys`},
		},
		{
			name: "ssh authorized_keys is a directory, from the environment",
			src:  "[ssh]\nauthorized_keys = \"${KEYS}\"\n" + okService,
			env:  map[string]string{"KEYS": dir},
			want: []string{`f.toml:2:1: authorized_keys file "${KEYS}" (resolved from the environment) does not exist or is not a file: create it or point to your authorized_keys`},
		},
		{
			name: "ssh ~ without HOME",
			src:  "[ssh]\nauthorized_keys = \"~/.ssh/authorized_keys\"\n" + okService,
			want: []string{`f.toml:2:1: authorized_keys starts with ~ but HOME is not set: write the full path`},
		},
		{
			name: "ssh limits",
			src:  "[ssh]\nauthorized_keys = \"" + missing + "\"\nmax_sessions = 0\nidle_timeout = \"0s\"\n" + okService,
			want: []string{
				`f.toml:2:1: authorized_keys file "` + missing + `" (resolved to ` + missing + `) does not exist or is not a file: create it or point to your authorized_keys`,
				`f.toml:3:1: max_sessions must be at least 1: write e.g. max_sessions = 50`,
				`f.toml:4:1: idle_timeout must be longer than zero: write e.g. "30m0s"`,
			},
		},
		{
			name: "retention rollups shorter than raw",
			src:  "[retention]\nraw = \"720h\"\nrollups = \"24h\"\n" + okService,
			want: []string{`f.toml:3:1: rollups (24h0m0s) must be kept at least as long as raw results (720h0m0s): raise rollups or lower raw`},
		},
		{
			name: "retention unknown key",
			src:  "[retention]\nrollup = \"24h\"\n" + okService,
			want: []string{`f.toml:2:1: unknown key "rollup" in [retention]: did you mean "rollups"?`},
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
