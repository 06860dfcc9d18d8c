package main

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/report"
)

func runCheck(ctx context.Context, args []string, e *env) int {
	var c common
	fs := newFlags("check", "probe every service once (a failure is retried once) and print a table; exit 0 all up or degraded, 1 any down, 2 bad config", e)
	c.register(fs, false)
	asJSON := fs.Bool("json", false, "print a JSON array instead of the table")
	if code, done := parse(fs, args); done {
		return code
	}
	cfg, ok := loadConfig(c.config, e)
	if !ok {
		return exitConfig
	}
	concurrency := cfg.Concurrency
	if concurrency == 0 {
		concurrency = 64
	}
	results, err := probe.CheckAll(ctx, cfg.Targets(), probe.NewRegistry(), concurrency)
	if err != nil {
		fmt.Fprintf(e.stderr, "uptop: %v\n", err)
		return exitConfig
	}
	specs := cfg.Specs()
	rows := make([]report.Row, len(results))
	for i, r := range results {
		rows[i] = report.FromResult(specs[i], r)
	}
	if *asJSON {
		err = report.WriteJSON(e.stdout, rows)
	} else {
		err = report.WriteTable(e.stdout, rows)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "uptop: %v\n", err)
	}
	return report.ExitCode(rows)
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
