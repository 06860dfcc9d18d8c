package main

import (
	"testing"
	"time"
)

func TestQuantile(t *testing.T) {
	t.Parallel()
	var hundred []time.Duration
	for i := 1; i <= 100; i++ {
		hundred = append(hundred, time.Duration(i))
	}
	cases := map[string]struct {
		in   []time.Duration
		q    float64
		want time.Duration
	}{
		"empty":      {nil, 0.5, 0},
		"one":        {[]time.Duration{7}, 0.99, 7},
		"median odd": {[]time.Duration{1, 2, 3}, 0.5, 2},
		"p99 of 100": {hundred, 0.99, 99},
		"p50 of 100": {hundred, 0.5, 50},
		"max":        {hundred, 1, 100},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := quantile(c.in, c.q); got != c.want {
				t.Fatalf("quantile(%v) = %v, want %v", c.q, got, c.want)
			}
		})
	}
}

func TestErrorsOf(t *testing.T) {
	t.Parallel()
	ms := time.Millisecond
	inj, held := errorsOf([]sample{{measured: 11 * ms, injected: 10 * ms, held: 10*ms + 500*time.Microsecond}, {measured: 9 * ms, injected: 10 * ms}})
	if len(inj) != 2 || inj[0] != ms || inj[1] != ms {
		t.Fatalf("vs injected %v, want two 1ms errors", inj)
	}
	if len(held) != 1 || held[0] != 500*time.Microsecond {
		t.Fatalf("vs held %v, want one 0.5ms error (samples without a hold time skipped)", held)
	}
}
