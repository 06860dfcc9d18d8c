package statusd

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/store"
)

type fakeAlerts []Delivery

func (f fakeAlerts) RecentDeliveries(limit int) []Delivery {
	return append([]Delivery(nil), f[:min(limit, len(f))]...)
}

func TestAlertsAPI(t *testing.T) {
	t.Parallel()
	deliveries := fakeAlerts{
		{ID: "evt_2", At: t0, Notifier: "ops", Event: "down", Service: "Database", Result: "retrying", Attempts: 2, Code: 500,
			Error: `POST https://user:hunter2@hooks.example/x: 500 Internal Server Error`},
		{ID: "evt_1", At: t0.Add(-time.Minute), Notifier: "ops", Event: "up", Service: "Public API", Result: "delivered", Attempts: 1, Code: 200},
	}
	cases := []struct {
		name   string
		alerts Alerts
		query  string
		code   int
		want   []string // substrings of the body
		count  int      // deliveries listed, when 200
	}{
		{name: "not configured", query: "", code: 404, want: []string{"alerts are not configured"}},
		{name: "all", alerts: deliveries, code: 200, count: 2, want: []string{`"notifier":"ops"`, `"event":"down"`, `"attempts":2`, `"result":"retrying"`}},
		{name: "limit", alerts: deliveries, query: "?limit=1", code: 200, count: 1},
		{name: "none yet", alerts: fakeAlerts{}, code: 200, count: 0, want: []string{"[]"}},
		{name: "limit zero", alerts: deliveries, query: "?limit=0", code: 400, want: []string{"limit"}},
		{name: "limit word", alerts: deliveries, query: "?limit=ten", code: 400, want: []string{"whole number"}},
		{name: "limit too big", alerts: deliveries, query: "?limit=5000", code: 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := serve(t, world(), Options{Alerts: tc.alerts})
			resp, body := get(t, srv.URL+"/api/v1/alerts"+tc.query)
			if resp.StatusCode != tc.code {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.code, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("body lacks %q: %s", w, body)
				}
			}
			if strings.Contains(string(body), "hunter2") {
				t.Errorf("a secret leaked: %s", body)
			}
			if tc.code == 200 {
				var got []Delivery
				if err := json.Unmarshal(body, &got); err != nil || len(got) != tc.count {
					t.Errorf("listed %d deliveries (%v), want %d", len(got), err, tc.count)
				}
			}
		})
	}
}

// TestMaintenanceOnPageAndJSON: a service the store reports in maintenance
// shows as such on the page and in the JSON.
func TestMaintenanceOnPageAndJSON(t *testing.T) {
	t.Parallel()
	f := world()
	svcs := append([]*store.ServiceState(nil), f.snap.Services...)
	api := *svcs[0]
	api.Status, api.CheckStatus, api.Version = store.Maintenance, store.Up, 10
	svcs[0] = &api
	f.snap = store.NewSnapshot(10, t0, svcs)
	srv := serve(t, f, Options{})

	_, body := get(t, srv.URL+"/api/v1/status")
	var status struct {
		Services []struct{ ID, Status string } `json:"services"`
	}
	if err := json.Unmarshal(body, &status); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range status.Services {
		found = found || (s.ID == "api" && s.Status == "maintenance")
	}
	if !found {
		t.Errorf("/api/v1/status does not show api in maintenance: %s", body)
	}
	if _, page := get(t, srv.URL+"/"); !strings.Contains(string(page), "aintenance") {
		t.Errorf("the page does not say maintenance")
	}
}
