package demo_test

import (
	"context"
	"testing"

	"github.com/uptop-dev/uptop/config"
	"github.com/uptop-dev/uptop/demo"
	"github.com/uptop-dev/uptop/probe"
)

// The demo is a user's first run: its config must be valid and its
// services must show the states it promises.
func TestFleetBehavesAsAdvertised(t *testing.T) {
	t.Parallel()
	f, err := demo.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := config.Parse("demo.toml", []byte(f.Config), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("demo config invalid: %v\n%s", err, f.Config)
	}
	results, err := probe.CheckAll(context.Background(), cfg.Targets(), probe.NewRegistry(), 16)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"website": true, "postgres": true, "legacy-admin": false, "redis-cache": false}
	for _, r := range results {
		ok, known := want[r.ServiceID]
		if !known {
			continue
		}
		if r.OK != ok {
			t.Errorf("%s: ok=%v (%s), want ok=%v", r.ServiceID, r.OK, r.Err, ok)
		}
		delete(want, r.ServiceID)
	}
	if len(want) > 0 {
		t.Errorf("demo lacks services %v", want)
	}
}
