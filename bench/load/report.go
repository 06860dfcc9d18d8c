package main

import (
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/uptop-dev/uptop/probe"
)

type report struct {
	cfg                  config
	stats                probe.SchedulerStats
	expected, inWindow   int64
	failed               int64
	firstErr             string
	cpu, wall            time.Duration
	rss                  int64
	loadBefore, loadEnd  string
	lagP50, lagP99, lagM time.Duration
	durP50, durP99, durM time.Duration
	slowSeconds          []string      // "12s:340ms" for seconds whose worst lag passed 100 ms
	allWithin            time.Duration // 0 = some service never checked
}

func (r *report) fill(m *meter) {
	r.inWindow = m.inWindow.Load()
	r.failed = m.failed.Load()
	if e := m.firstErr.Load(); e != nil {
		r.firstErr = *e
	}
	r.lagP50, r.lagP99, r.lagM = m.lagQuantiles()
	r.durP50, r.durP99, r.durM = m.durQuantiles()
	for sec := range m.worstLag {
		if w := time.Duration(m.worstLag[sec].Load()) * time.Microsecond; w > 100*time.Millisecond {
			r.slowSeconds = append(r.slowSeconds, fmt.Sprintf("%ds:%v", sec, w.Round(time.Millisecond)))
		}
	}
	r.allWithin = time.Duration(m.allAt.Load())
}

func (r *report) print(w io.Writer) {
	missed := max(r.expected-r.inWindow, 0)
	perK := r.cpu.Seconds() / float64(max(r.stats.Completed, 1)) * 1000
	within := "never (some service had no result)"
	if r.allWithin > 0 {
		within = r.allWithin.Round(time.Millisecond).String()
	}
	persist := "SQLite"
	if r.cfg.memoryOnly {
		persist = "memory only"
	}
	fmt.Fprintf(w, "services %d every %v for %v, store: %s, workers %d\n", r.cfg.services, r.cfg.interval, r.cfg.duration, persist, r.stats.Workers)
	fmt.Fprintf(w, "checks completed:      %d (%d failed)\n", r.stats.Completed, r.failed)
	if r.firstErr != "" {
		fmt.Fprintf(w, "first failure:         %s\n", r.firstErr)
	}
	fmt.Fprintf(w, "probes/s:              %.1f\n", float64(r.stats.Completed)/r.wall.Seconds())
	fmt.Fprintf(w, "expected grid ticks:   %d, checked %d, missed %d (scheduler: skipped %d, missed %d)\n",
		r.expected, r.inWindow, missed, r.stats.Skipped, r.stats.Missed)
	fmt.Fprintf(w, "schedule lag:          p50 %v, p99 %v, max %v\n", r.lagP50, r.lagP99, r.lagM)
	fmt.Fprintf(w, "check duration:        p50 %v, p99 %v, max %v\n", r.durP50, r.durP99, r.durM)
	if len(r.slowSeconds) > 0 {
		fmt.Fprintf(w, "seconds with lag > 100ms (second:worst): %v\n", r.slowSeconds)
	}
	fmt.Fprintf(w, "CPU:                   %.2f s total, %.3f CPU-s per 1,000 checks\n", r.cpu.Seconds(), perK)
	fmt.Fprintf(w, "peak RSS:              %.1f MB\n", float64(r.rss)/(1<<20))
	fmt.Fprintf(w, "all services checked once within: %s\n", within)
	fmt.Fprintf(w, "machine load average:  %s at start, %s at end (%d CPUs; other processes show up as lag)\n\n", r.loadBefore, r.loadEnd, runtime.NumCPU())
	fmt.Fprintln(w, "| services | interval | window | store | checks | probes/s | missed | lag p50 | lag p99 | CPU-s / 1k checks | peak RSS | all checked within |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|")
	fmt.Fprintf(w, "| %d | %v | %v | %s | %d | %.0f | %d | %v | %v | %.3f | %.0f MB | %s |\n",
		r.cfg.services, r.cfg.interval, r.cfg.duration, persist, r.stats.Completed, float64(r.stats.Completed)/r.wall.Seconds(),
		missed, r.lagP50, r.lagP99, perK, float64(r.rss)/(1<<20), within)
}
