package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/uptop-dev/uptop/config"
	"github.com/uptop-dev/uptop/demo"
	"github.com/uptop-dev/uptop/tui"
)

func runDemo(ctx context.Context, args []string, e *env) int {
	var color string
	fs := newFlags("demo", "start simulated services on loopback (healthy, slow, flaky, down) and the TUI over them; works offline", e)
	fs.StringVar(&color, "color", "auto", "colours: auto, truecolor, 256, 16 or none (NO_COLOR is honoured)")
	printConfig := fs.Bool("print-config", false, "print the demo's services.toml and exit")
	if code, done := parse(fs, args); done {
		return code
	}
	mode, err := tui.ParseColorMode(color)
	if err != nil {
		fmt.Fprintf(e.stderr, "uptop: %v\n", err)
		return exitConfig
	}
	fleet, err := demo.Start()
	if err != nil {
		fmt.Fprintf(e.stderr, "uptop: %v\n", err)
		return exitDown
	}
	defer fleet.Close()
	if *printConfig {
		fmt.Fprint(e.stdout, fleet.Config)
		return exitOK
	}
	cfg, err := config.Parse("demo.toml", []byte(fleet.Config), e.getenv)
	if err != nil {
		printConfigError(e, err)
		return exitConfig
	}
	// The demo keeps its history in a scratch file so it never mixes with
	// the user's own.
	dir, err := os.MkdirTemp("", "uptop-demo-")
	if err != nil {
		fmt.Fprintf(e.stderr, "uptop: create a scratch directory: %v\n", err)
		return exitDown
	}
	defer os.RemoveAll(dir)
	c := common{data: filepath.Join(dir, "demo.db"), node: "demo"}
	return watchLocal(ctx, cfg, c, mode, "uptop demo", e)
}
