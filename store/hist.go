package store

import (
	"math"
	"math/bits"
	"time"
)

// histBuckets is the size of the latency histogram kept in every rollup
// row. Bucket 0 holds latencies under 128µs; bucket i ≥ 1 holds
// [2^((i+13)/2), 2^((i+14)/2)) µs, so each bucket spans a factor of √2 and
// the last one starts at 2^26 µs ≈ 67 s (a longer check is clamped into it).
//
// Error bound: a percentile estimated from the histogram is the bucket's
// geometric midpoint, capped by the rows' exact maximum. For a true value in
// [128µs, 67s) it is within +18.9% / −15.9% of it (2^¼ − 1 and 1 − 2^−¼);
// under 128µs it is 64µs, off by at most 64µs. Histograms add, so the bound
// holds for any merge of rows.
const histBuckets = 40

// hist counts successful checks' latencies by bucket.
type hist [histBuckets]uint32

// histBucket is the bucket of a latency of us microseconds, in integers
// only so that Go and the back-fill agree at the edges.
func histBucket(us int64) int {
	if us < 128 {
		return 0
	}
	u := uint64(min(us, 1<<40))
	e := bits.Len64(u) - 1 // floor(log2 u)
	half := 0
	if u*u >= 1<<(2*e+1) { // u ≥ 2^e·√2
		half = 1
	}
	return min(2*e+half-13, histBuckets-1)
}

// histMid is the value reported for bucket i: its geometric midpoint.
func histMid(i int) time.Duration {
	if i == 0 {
		return 64 * time.Microsecond
	}
	us := math.Exp2(float64(2*i+27) / 4)
	return time.Duration(math.Round(us)) * time.Microsecond
}

func (h *hist) add(us int64) { h[histBucket(us)]++ }

func (h *hist) merge(o *hist) {
	for i := range h {
		h[i] += o[i]
	}
}

// quantile estimates the q-quantile (0 < q ≤ 1) the way percentiles of
// raw samples are taken here: the value at rank ceil(q·n) in sorted order.
// It is capped at maxUS, the exact maximum; 0 when the histogram is empty.
func (h *hist) quantile(q float64, maxUS int64) time.Duration {
	var n uint64
	for _, c := range h {
		n += uint64(c)
	}
	if n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(n)))
	rank = max(rank, 1)
	var seen uint64
	for i, c := range h {
		seen += uint64(c)
		if seen >= rank {
			return min(histMid(i), time.Duration(maxUS)*time.Microsecond)
		}
	}
	return time.Duration(maxUS) * time.Microsecond
}

// rankQuantile is the exact q-quantile of sorted values (rank ceil(q·n)).
func rankQuantile(sorted []int64, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := max(int(math.Ceil(q*float64(len(sorted))))-1, 0)
	return time.Duration(sorted[i]) * time.Microsecond
}
