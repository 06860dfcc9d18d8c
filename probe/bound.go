package probe

import (
	"context"
	"time"
)

// bound limits ctx to the target's own timeout on top of whatever deadline
// the caller set: the scheduler sets one, but `uptop check`, tests and any
// other caller get the same guarantee from the checker itself.
func bound(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	if timeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, timeout)
}

// failed finishes res as a failure at stage st, saying what happened in
// the user's words (describe) and how long it took.
func failed(ctx context.Context, res Result, err error, st stage, timeout time.Duration) Result {
	res.Duration = time.Since(res.Start)
	res.Err = describe(err, ctx.Err(), st, allowed(ctx, res.Start, timeout))
	return res
}
