package statusd

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/statusd/wire"
)

// readEvent reads SSE lines until one "snapshot" event is complete.
func readEvent(t *testing.T, sc *bufio.Scanner) (wire.Event, bool) {
	t.Helper()
	var ev wire.Event
	for sc.Scan() {
		line := sc.Text()
		if data, ok := strings.CutPrefix(line, "data: "); ok {
			if err := json.Unmarshal([]byte(data), &ev); err != nil {
				t.Fatalf("bad event data %q: %v", data, err)
			}
			return ev, true
		}
	}
	return ev, false
}

func TestEndToEndSSEFlipAndShutdown(t *testing.T) {
	t.Parallel()
	d := startDaemon(t, "steady", "flip", "third")
	resp, err := http.Get(d.url + "/api/v1/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type = %q", ct)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	first, ok := readEvent(t, sc)
	if !ok || len(first.Services) != 0 || first.Version == 0 || first.Overall.Status != "operational" {
		t.Fatalf("first event = %+v, want a start marker: current version, no services, operational", first)
	}
	d.svcs["flip"].down.Store(true)
	d.probe(t, "flip")
	timer := time.AfterFunc(5*time.Second, func() { resp.Body.Close() })
	defer timer.Stop()
	for {
		ev, ok := readEvent(t, sc)
		if !ok {
			t.Fatal("stream ended before the flip arrived")
		}
		if len(ev.Services) == 1 && ev.Services[0].ID == "flip" && ev.Services[0].Status == "down" {
			if ev.Overall.Status != "partial_outage" || ev.Version <= first.Version {
				t.Errorf("flip event = %+v", ev)
			}
			break
		}
		for _, s := range ev.Services {
			if s.ID == "steady" {
				t.Errorf("unchanged service resent: %+v", ev)
			}
		}
	}
	// The JSON agrees, and shutdown ends the stream and Serve cleanly.
	r2, _ := get(t, d.url+"/api/v1/status")
	if r2.StatusCode != 200 {
		t.Fatalf("status = %d", r2.StatusCode)
	}
	d.stop()
	for sc.Scan() {
	}
	select {
	case err := <-d.serve:
		if err != nil {
			t.Errorf("Serve = %v, want nil after shutdown", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after the context was cancelled")
	}
}
