package probe

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

type funcChecker func(context.Context) Result

func (f funcChecker) Check(ctx context.Context) Result { return f(ctx) }

func TestCheckAll(t *testing.T) {
	t.Parallel()
	var flakyCalls, downCalls atomic.Int32
	reg := Registry{
		"ok": func(Target) (Checker, error) {
			return funcChecker(func(context.Context) Result { return Result{OK: true} }), nil
		},
		"flaky": func(Target) (Checker, error) { // fails once, then passes: the retry hides one lost packet
			return funcChecker(func(context.Context) Result {
				if flakyCalls.Add(1) == 1 {
					return Result{Err: "connection reset"}
				}
				return Result{OK: true}
			}), nil
		},
		"down": func(Target) (Checker, error) {
			return funcChecker(func(context.Context) Result { downCalls.Add(1); return Result{Err: "connection refused"} }), nil
		},
		"panics": func(Target) (Checker, error) {
			return funcChecker(func(context.Context) Result { var m map[string]int; m["x"]++; return Result{} }), nil
		},
		"hangs": func(Target) (Checker, error) {
			return funcChecker(func(ctx context.Context) Result { <-ctx.Done(); return Result{Err: "timeout"} }), nil
		},
	}
	kinds := []string{"ok", "flaky", "down", "panics", "hangs"}
	var targets []Target
	for _, k := range kinds {
		targets = append(targets, Target{ID: k, Kind: k, Timeout: 100 * time.Millisecond})
	}
	start := time.Now()
	results, err := CheckAll(context.Background(), targets, reg, 2)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("CheckAll took %v: a hanging check must end at its timeout", took)
	}
	wantOK := map[string]bool{"ok": true, "flaky": true, "down": false, "panics": false, "hangs": false}
	for i, r := range results {
		if r.ServiceID != kinds[i] {
			t.Errorf("result %d is %q, want %q: results must come back in target order", i, r.ServiceID, kinds[i])
		}
		if r.OK != wantOK[r.ServiceID] {
			t.Errorf("%s: ok=%v (%s), want %v", r.ServiceID, r.OK, r.Err, wantOK[r.ServiceID])
		}
	}
	if n := downCalls.Load(); n != 2 {
		t.Errorf("a failing check ran %d times, want 2 (one retry)", n)
	}
	if results[3].Err == "" {
		t.Errorf("a panicking checker gave no error")
	}

	_, err = CheckAll(context.Background(), []Target{{ID: "x", Kind: "gopher"}}, reg, 1)
	if err == nil || !strings.Contains(err.Error(), "gopher") {
		t.Fatalf("unknown kind: error %v, want one naming the kind before anything runs", err)
	}
}
