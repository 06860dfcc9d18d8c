package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPushURL(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "services.toml")
	src := "[http]\nlisten = \"0.0.0.0:9090\"\n[[service]]\nname = \"Nightly backup\"\npush = true\ninterval = \"24h\"\n" +
		"[[service]]\nname = \"Fixed\"\npush = true\npush_token = \"${FIXED_TOKEN}\"\n[[service]]\nname = \"Web\"\nurl = \"https://example.com\"\n"
	if err := os.WriteFile(cfgPath, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "state", "uptop.db")
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		e := &env{stdout: &out, stderr: &errb, getenv: func(k string) (string, bool) {
			if k == "FIXED_TOKEN" {
				return "fixed-token-0123456789", true
			}
			return "", false
		}}
		code := runPushURL(context.Background(), append(args, "--config", cfgPath, "--data", data), e)
		return code, out.String(), errb.String()
	}
	code, first, stderr := run("Nightly backup")
	if code != exitOK || !strings.HasPrefix(first, "http://localhost:9090/api/v1/push/") || len(strings.TrimSpace(first)) != len("http://localhost:9090/api/v1/push/")+43 {
		t.Fatalf("exit %d, out %q, err %q: want a URL with a generated token", code, first, stderr)
	}
	if _, again, _ := run("nightly-backup"); again != first {
		t.Fatalf("second run printed %q, want the stored %q", again, first)
	}
	if _, fixed, _ := run("Fixed", "--base", "https://status.example.com/"); fixed != "https://status.example.com/api/v1/push/fixed-token-0123456789\n" {
		t.Fatalf("with push_token and --base: %q", fixed)
	}
	for _, args := range [][]string{{"Web"}, {"Nope"}, {}} {
		if code, out, _ := run(args...); code != exitConfig || out != "" {
			t.Errorf("push-url %v: exit %d out %q, want exit 2 and nothing printed", args, code, out)
		}
	}
}
