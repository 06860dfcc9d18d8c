package store

import "github.com/uptop-dev/uptop/probe"

// Classify is one check's own verdict, before any threshold: Down when it
// failed, Degraded when it succeeded slower than spec.DegradedAfter, else
// Up. The state machine and one-shot reports share it so they never disagree.
func Classify(spec Spec, r probe.Result) Status {
	switch {
	case !r.OK:
		return Down
	case r.Warning != "":
		return Degraded
	case spec.DegradedAfter > 0 && r.Duration > spec.DegradedAfter:
		return Degraded
	}
	return Up
}
