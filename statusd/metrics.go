package statusd

import (
	"context"
	"net/http"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/uptop-dev/uptop/store"
)

// metrics exposes the snapshot to Prometheus on a private registry (no
// global state): gauges read the snapshot at scrape time; counters and the
// duration histogram are fed, at scrape time, from the samples that are new
// in each service's ring since the previous scrape.
type metrics struct {
	s   *server
	reg *prometheus.Registry

	mu   sync.Mutex
	seen map[string]*svcCounters

	up, latency, p95, uptime, checks, failures, duration, services, version, info *prometheus.Desc
}

// svcCounters accumulate one service's checks since the daemon started.
// A gap between scrapes longer than the ring (store.RecentSamples checks)
// undercounts; at a 10 s interval that is a 20-minute gap.
type svcCounters struct {
	lastMilli        int64
	checks, failures uint64
	sum              float64
	buckets          []uint64 // cumulative-at-scrape counts per durationBuckets bound
}

var durationBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

func newMetrics(s *server) *metrics {
	lbl := []string{"service", "name", "group"}
	m := &metrics{s: s, reg: prometheus.NewRegistry(), seen: map[string]*svcCounters{},
		up:       prometheus.NewDesc("uptop_service_up", "1 if the service is up or degraded, 0 if down; absent while unknown.", lbl, nil),
		latency:  prometheus.NewDesc("uptop_service_latency_seconds", "Duration of the last check.", lbl, nil),
		p95:      prometheus.NewDesc("uptop_service_latency_p95_1h_seconds", "p95 of successful checks over the last hour.", lbl, nil),
		uptime:   prometheus.NewDesc("uptop_service_uptime_ratio", "Share of successful checks over the window.", append(lbl, "window"), nil),
		checks:   prometheus.NewDesc("uptop_service_checks_total", "Checks seen since the daemon started.", lbl, nil),
		failures: prometheus.NewDesc("uptop_service_failures_total", "Failed checks seen since the daemon started.", lbl, nil),
		duration: prometheus.NewDesc("uptop_service_check_duration_seconds", "Durations of checks seen since the daemon started.", lbl, nil),
		services: prometheus.NewDesc("uptop_services", "Services by status.", []string{"status"}, nil),
		version:  prometheus.NewDesc("uptop_snapshot_version", "Version of the snapshot the metrics were read from.", nil, nil),
		info:     prometheus.NewDesc("uptop_build_info", "Always 1; the version label says which uptop.", []string{"version"}, nil),
	}
	m.reg.MustRegister(m, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorLog: nil, EnableOpenMetrics: false})
}

// Describe implements prometheus.Collector.
func (m *metrics) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{m.up, m.latency, m.p95, m.uptime, m.checks, m.failures, m.duration, m.services, m.version, m.info} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (m *metrics) Collect(ch chan<- prometheus.Metric) {
	snap := m.s.src.Snapshot()
	v := m.s.views.get(context.Background())
	ch <- prometheus.MustNewConstMetric(m.version, prometheus.GaugeValue, float64(snap.Version))
	ch <- prometheus.MustNewConstMetric(m.info, prometheus.GaugeValue, 1, m.s.opt.Version)
	for i, n := range []int{snap.Counts.Unknown, snap.Counts.Up, snap.Counts.Degraded, snap.Counts.Down, snap.Counts.Maintenance, snap.Counts.Paused} {
		ch <- prometheus.MustNewConstMetric(m.services, prometheus.GaugeValue, float64(n), store.Status(i).String())
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, st := range snap.Services {
		l := []string{st.ID, st.Name, st.Group}
		switch st.Status {
		case store.Up, store.Degraded:
			ch <- prometheus.MustNewConstMetric(m.up, prometheus.GaugeValue, 1, l...)
		case store.Down:
			ch <- prometheus.MustNewConstMetric(m.up, prometheus.GaugeValue, 0, l...)
		}
		if !st.LastCheck.IsZero() {
			ch <- prometheus.MustNewConstMetric(m.latency, prometheus.GaugeValue, st.LastLatency.Seconds(), l...)
		}
		if st.P95Hour > 0 {
			ch <- prometheus.MustNewConstMetric(m.p95, prometheus.GaugeValue, st.P95Hour.Seconds(), l...)
		}
		for _, w := range []string{"24h", "7d", "30d", "90d"} {
			if u, _ := uptimeFor(st, v, w); u.Checks > 0 {
				ch <- prometheus.MustNewConstMetric(m.uptime, prometheus.GaugeValue, u.Ratio, append(l, w)...)
			}
		}
		c := m.count(st)
		ch <- prometheus.MustNewConstMetric(m.checks, prometheus.CounterValue, float64(c.checks), l...)
		ch <- prometheus.MustNewConstMetric(m.failures, prometheus.CounterValue, float64(c.failures), l...)
		bk := make(map[float64]uint64, len(durationBuckets))
		for i, b := range durationBuckets {
			bk[b] = c.buckets[i]
		}
		ch <- prometheus.MustNewConstHistogram(m.duration, c.checks, c.sum, bk, l...)
	}
}

// count folds the samples newer than the last scrape into st's counters.
func (m *metrics) count(st *store.ServiceState) *svcCounters {
	c := m.seen[st.ID]
	if c == nil {
		c = &svcCounters{buckets: make([]uint64, len(durationBuckets))}
		m.seen[st.ID] = c
	}
	for _, smp := range st.Samples {
		if smp.AtMilli <= c.lastMilli {
			continue
		}
		c.lastMilli = smp.AtMilli
		c.checks++
		if smp.Failed() {
			c.failures++
		}
		sec := smp.Latency().Seconds()
		c.sum += sec
		for i, b := range durationBuckets {
			if sec <= b {
				c.buckets[i]++
			}
		}
	}
	return c
}
