package main

import (
	"context"
	"fmt"
	"os"

	"github.com/uptop-dev/uptop/remote"
	"github.com/uptop-dev/uptop/tui"
)

// watchRemote runs the TUI over a remote `uptop serve` through its JSON and
// SSE API: nothing is probed here.
func watchRemote(ctx context.Context, url string, mode tui.ColorMode, e *env) int {
	if !haveTerminal(e) {
		return exitConfig
	}
	client, err := remote.Dial(ctx, url, remote.Options{})
	if err != nil {
		fmt.Fprintf(e.stderr, "uptop: %v\n", err)
		return exitConfig
	}
	defer client.Close()
	model := tui.New(client, tui.Options{Color: mode, ReadOnly: true, Title: "uptop " + url})
	if err := tui.Run(ctx, model, e.stdin, e.stdout, os.Environ()); err != nil {
		fmt.Fprintf(e.stderr, "uptop: %v\n", err)
		return exitDown
	}
	return exitOK
}
