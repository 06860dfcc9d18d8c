package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs uptop in-process with the given args.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "services.toml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckJSONAndExitCodes(t *testing.T) {
	t.Parallel()
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	defer ok.Close()
	fail := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }))
	defer fail.Close()
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer tcp.Close()

	allUp := writeConfig(t, fmt.Sprintf(`
[[service]]
name = "Web"
url = %q
[[service]]
name = "DB"
tcp = %q
`, ok.URL+"/?token=s3cret", tcp.Addr().String()))
	code, out, errOut := runCLI(t, "check", "--json", "--config", allUp)
	if code != exitOK {
		t.Fatalf("exit %d, want 0; stderr: %s", code, errOut)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2", len(rows))
	}
	for _, r := range rows {
		for _, k := range []string{"name", "status", "latency_ms", "error", "target"} {
			if _, ok := r[k]; !ok {
				t.Errorf("row %v lacks %q", r["name"], k)
			}
		}
		if r["status"] != "up" {
			t.Errorf("%v: status %v, want up", r["name"], r["status"])
		}
	}
	if strings.Contains(out, "s3cret") {
		t.Errorf("token leaked into check output:\n%s", out)
	}

	oneDown := writeConfig(t, fmt.Sprintf("[[service]]\nname = \"Broken\"\nurl = %q\n", fail.URL))
	code, out, _ = runCLI(t, "check", "--config", oneDown)
	if code != exitDown {
		t.Fatalf("exit %d, want 1 when a service is down", code)
	}
	if !strings.Contains(out, "Broken") || !strings.Contains(out, "down") || !strings.Contains(out, "status 500") {
		t.Errorf("table lacks the down row and its reason:\n%s", out)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	good := writeConfig(t, "[[service]]\nname = \"A\"\ntcp = \"127.0.0.1:1\"\n")
	if code, out, errOut := runCLI(t, "validate", "--config", good); code != exitOK || !strings.Contains(out, "ok") {
		t.Fatalf("valid config: exit %d, out %q, err %q", code, out, errOut)
	}
	bad := writeConfig(t, "[[service]]\nname = \"A\"\ntcp = \"127.0.0.1:1\"\nintervall = \"5s\"\n")
	code, _, errOut := runCLI(t, "validate", "--config", bad)
	if code != exitConfig {
		t.Fatalf("bad config: exit %d, want 2", code)
	}
	if want := bad + ":4:1:"; !strings.Contains(errOut, want) || !strings.Contains(errOut, "interval") {
		t.Errorf("error %q lacks %q and the suggestion", errOut, want)
	}
	if code, _, _ := runCLI(t, "check", "--config", bad); code != exitConfig {
		t.Errorf("check with a bad config: exit %d, want 2", code)
	}
}

func TestHelpAndUnknown(t *testing.T) {
	t.Parallel()
	for _, c := range commands() {
		code, _, errOut := runCLI(t, c.name, "--help")
		if code != exitOK || !strings.Contains(errOut, "uptop "+c.name) {
			t.Errorf("%s --help: exit %d, output %q", c.name, code, errOut)
		}
	}
	if code, out, _ := runCLI(t, "help"); code != exitOK || !strings.Contains(out, "demo") {
		t.Errorf("help: exit %d, %q", code, out)
	}
	if code, _, errOut := runCLI(t, "frobnicate"); code != exitConfig || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: exit %d, %q", code, errOut)
	}
	if code, out, _ := runCLI(t, "version"); code != exitOK || !strings.Contains(out, "uptop") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

// Without a terminal the live view says what to run instead, rather than
// failing inside the TUI library.
func TestWatchWithoutTerminal(t *testing.T) {
	t.Parallel()
	cfg := writeConfig(t, "[[service]]\nname = \"A\"\ntcp = \"127.0.0.1:1\"\n")
	for _, args := range [][]string{{"demo"}, {"watch", "--config", cfg, "--data", filepath.Join(t.TempDir(), "u.db")}, {"--config", cfg}} {
		code, _, errOut := runCLI(t, args...)
		if code != exitConfig || !strings.Contains(errOut, "needs a terminal") || !strings.Contains(errOut, "uptop check") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a pointer to uptop check", args, code, errOut)
		}
	}
}
