package alert

import (
	"os"
	"runtime/pprof"
	"slices"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

// BenchmarkTransitionToWebhook measures the time from the confirming failed
// check entering the store to the signed webhook arriving at a loopback
// receiver (store publish interval 50 ms included; grouping off, since it
// would hold every alert after the first by design). Reports p50 and p99.
func BenchmarkTransitionToWebhook(b *testing.B) {
	rc := newReceiver(&testing.T{}, nil)
	defer rc.Close()
	spec := store.Spec{ID: "api", Name: "API", Interval: time.Second, FailThreshold: 1}
	st := openStore(b, "", spec)
	d := newTestDispatcher(b, st, rc.URL, func(o *Options) {
		o.Rules.GroupWindow = -1
		o.Rules.FlapChanges = 1 << 30
		o.TickEvery = time.Second
	})
	st.Ingest(probe.Result{ServiceID: "api", Start: time.Now(), OK: true})
	st.Sync()
	start(b, d, st)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		st.Ingest(probe.Result{ServiceID: "api", Start: t0, Duration: time.Millisecond, OK: i%2 == 1, Err: map[bool]string{true: "refused"}[i%2 == 0]})
		select {
		case <-rc.got:
		case <-time.After(5 * time.Second):
			pprof.Lookup("goroutine").WriteTo(os.Stderr, 1)
			b.Fatal("stuck")
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
