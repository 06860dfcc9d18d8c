package config

import (
	"errors"
	"os"
	"testing"
)

// FuzzParse: whatever the bytes, Parse never panics, returns exactly one of
// a config or an *Errors, and every problem has a position inside the file.
func FuzzParse(f *testing.F) {
	if data, err := os.ReadFile("../services.toml"); err == nil {
		f.Add(data)
	}
	for _, seed := range []string{
		okService,
		"[defaults]\ninterval = \"${X}\"\n" + okService,
		"[[service]]\nname = \"a\"\ntcp = \"h:1\"\nexpect_status = [1, \"x\"]\n",
		"http = { listen = \"${A\" }\n[[service.x]]\n[service]\n",
		"a = \"\"\"\n\\\"\"\"\"\"\nb = '''x'''''\n[[a.b.c]]\n[x.\"y.z\"]\n",
		"[ssh]\nauthorized_keys = \"~\"\n[retention]\nraw = 1.5\n",
	} {
		f.Add([]byte(seed))
	}
	env := envOf(map[string]string{"X": "10s", "A": "x"})
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("f.toml", data, env)
		if (file == nil) == (err == nil) {
			t.Fatalf("Parse returned file=%v err=%v: want exactly one", file != nil, err)
		}
		if err == nil {
			return
		}
		var errs *Errors
		if !errors.As(err, &errs) || len(errs.List) == 0 {
			t.Fatalf("error %T %v is not a non-empty *Errors", err, err)
		}
		lines := 1
		for _, b := range data {
			if b == '\n' {
				lines++
			}
		}
		for _, e := range errs.List {
			if e.Line < 1 || e.Line > lines || e.Col < 1 {
				t.Fatalf("problem outside the file (%d lines): %v", lines, e)
			}
		}
	})
}
