package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

func TestFromResultClassifies(t *testing.T) {
	t.Parallel()
	spec := store.Spec{ID: "api", Name: "API", Target: "https://api.example.com", DegradedAfter: time.Second}
	cases := []struct {
		name string
		res  probe.Result
		want string
	}{
		{"fast ok", probe.Result{OK: true, Duration: 20 * time.Millisecond}, "up"},
		{"slow ok", probe.Result{OK: true, Duration: 1500 * time.Millisecond}, "degraded"},
		{"failed", probe.Result{Err: "connection refused", Duration: time.Millisecond}, "down"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			row := FromResult(spec, c.res)
			if row.Status != c.want {
				t.Errorf("status %q, want %q", row.Status, c.want)
			}
			if row.LatencyMS != float64(c.res.Duration.Microseconds())/1000 {
				t.Errorf("latency_ms %v for %v", row.LatencyMS, c.res.Duration)
			}
		})
	}
}

func TestExitCode(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		statuses []string
		want     int
	}{
		"none":             {nil, 0},
		"all up":           {[]string{"up", "up"}, 0},
		"degraded is fine": {[]string{"up", "degraded", "unknown", "maintenance"}, 0},
		"one down":         {[]string{"up", "down"}, 1},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var rows []Row
			for _, s := range c.statuses {
				rows = append(rows, Row{Status: s})
			}
			if got := ExitCode(rows); got != c.want {
				t.Errorf("ExitCode = %d, want %d", got, c.want)
			}
		})
	}
}

func TestWriteTableAndJSON(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)
	rows := []Row{
		{ID: "web", Name: "Web", Status: "up", LatencyMS: 12.5, Target: "https://example.com", CheckedAt: at},
		{ID: "db", Name: "DB\nprimary", Status: "down", LatencyMS: 0.25, Error: "connection refused", Target: "db:5432", CheckedAt: at},
		{ID: "new", Name: "New", Status: "unknown"},
		{ID: "tls", Name: "TLS", Status: "degraded", LatencyMS: 30, Warning: "certificate expires in 9 days", CheckedAt: at},
	}
	var table bytes.Buffer
	if err := WriteTable(&table, rows); err != nil {
		t.Fatal(err)
	}
	want := []string{"● up", "✖ down", "DB primary", "13ms", "250µs", "connection refused", "—", "certificate expires in 9 days", "4 services: 1 up, 1 degraded, 1 down"}
	for _, w := range want {
		if !strings.Contains(table.String(), w) {
			t.Errorf("table lacks %q:\n%s", w, table.String())
		}
	}
	if lines := strings.Count(table.String(), "\n"); lines != 6 {
		t.Errorf("%d lines, want header + 4 rows + summary:\n%s", lines, table.String())
	}

	var js bytes.Buffer
	if err := WriteJSON(&js, rows); err != nil {
		t.Fatal(err)
	}
	var back []map[string]any
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back[1]["error"] != "connection refused" || back[0]["error"] != "" || back[0]["latency_ms"] != 12.5 {
		t.Errorf("json rows: %v", back)
	}
	if _, ok := back[2]["checked_at"]; ok {
		t.Errorf("a service never checked has checked_at: %v", back[2])
	}
	js.Reset()
	if err := WriteJSON(&js, nil); err != nil || strings.TrimSpace(js.String()) != "[]" {
		t.Errorf("no rows: %q, %v (scripts want an empty array)", js.String(), err)
	}
}
