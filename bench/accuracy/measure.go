package main

import (
	"fmt"
	"slices"
	"time"
)

// errorsOf returns each sample's absolute error against the injected delay
// and against the server's own hold time, both sorted.
func errorsOf(ss []sample) (vsInjected, vsHeld []time.Duration) {
	for _, s := range ss {
		vsInjected = append(vsInjected, abs(s.measured-s.injected))
		if s.held > 0 {
			vsHeld = append(vsHeld, abs(s.measured-s.held))
		}
	}
	slices.Sort(vsInjected)
	slices.Sort(vsHeld)
	return vsInjected, vsHeld
}

// quantile of sorted values by the nearest-rank method; 0 when empty.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func summary(sorted []time.Duration) string {
	if len(sorted) == 0 {
		return "no samples"
	}
	return fmt.Sprintf("%s / %s / %s", ms(quantile(sorted, 0.5)), ms(quantile(sorted, 0.99)), ms(sorted[len(sorted)-1]))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3fms", float64(d)/float64(time.Millisecond)) }

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
