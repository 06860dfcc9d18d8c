package store

import "errors"

// Sentinels callers branch on (statusd answers 400 and 404 with them). The
// errors returned wrap them with the details: errors.Is, then show Error().
var (
	// ErrBadRange: a History or Daily argument is out of range (step ≤ 0,
	// from not before to, too many buckets, a step finer than what is kept).
	ErrBadRange = errors.New("bad range")
	// ErrUnknownService: the id is not one of the configured services.
	ErrUnknownService = errors.New("unknown service")
)

// MaxBuckets bounds one History answer; MaxDays bounds Daily.
const (
	MaxBuckets = 10_000
	MaxDays    = 3660
)
