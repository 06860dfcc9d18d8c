package main

import (
	"context"
	"fmt"
)

func runValidate(_ context.Context, args []string, e *env) int {
	var c common
	fs := newFlags("validate", "check the config and report every problem as file:line:col: message; exit 2 on error", e)
	c.register(fs, false)
	if code, done := parse(fs, args); done {
		return code
	}
	cfg, ok := loadConfig(c.config, e)
	if !ok {
		return exitConfig
	}
	kinds := map[string]int{}
	for _, s := range cfg.Services {
		kinds[s.Kind()]++
	}
	fmt.Fprintf(e.stdout, "%s: ok, %d services (%s)\n", cfg.Path, len(cfg.Services), summarizeKinds(kinds))
	return exitOK
}

func summarizeKinds(kinds map[string]int) string {
	out := ""
	for _, k := range sortedKeys(kinds) {
		if out != "" {
			out += ", "
		}
		out += fmt.Sprintf("%d %s", kinds[k], k)
	}
	if out == "" {
		return "none"
	}
	return out
}
