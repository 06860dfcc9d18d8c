package probe

import (
	"context"
	"errors"
	"sync"
)

// CheckAll runs every target once, at most concurrency at a time, each under
// its own timeout; a failed check is retried once before it counts, so one
// lost packet does not fail a CI job. Results come back in target order.
// The error lists every target whose checker could not be built.
func CheckAll(ctx context.Context, targets []Target, reg Registry, concurrency int) ([]Result, error) {
	checkers := make([]Checker, len(targets))
	var errs []error
	for i, t := range targets {
		c, err := reg.Build(t)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		checkers[i] = c
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if concurrency < 1 {
		concurrency = 1
	}
	results := make([]Result, len(targets))
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	for i := range targets {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = checkTwice(ctx, targets[i], checkers[i])
		}()
	}
	wg.Wait()
	return results, nil
}

func checkTwice(ctx context.Context, t Target, c Checker) Result {
	var r Result
	for attempt := 0; attempt < 2; attempt++ {
		r = guardedCheck(ctx, t, c, nil)
		if r.OK || ctx.Err() != nil {
			break
		}
	}
	r.ServiceID = t.ID
	return r
}
