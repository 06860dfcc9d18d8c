// Command uptop watches services: a live terminal UI, a headless daemon with
// a status page, and one-shot checks for scripts. main only wires: it parses
// flags, builds the packages' values and passes them to each other.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	// Weekly maintenance windows name IANA zones; a static binary in a
	// scratch container has no zoneinfo of its own.
	_ "time/tzdata"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Exit codes shared by every command.
const (
	exitOK     = 0
	exitDown   = 1
	exitConfig = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, env *env) int
}

// env is what every command gets from the process: streams and variables.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) (string, bool)
}

func commands() []command {
	return []command{
		{"watch", "the live terminal UI over your services (the default)", runWatch},
		{"demo", "simulated services on loopback and the TUI over them (works offline)", runDemo},
		{"check", "probe every service once; exit 0 all up, 1 any down, 2 bad config", runCheck},
		{"validate", "check the config; every problem as file:line:col", runValidate},
		{"serve", "headless daemon: probes, persists and serves what the config enables", runServe},
		{"alert", "alert test NAME: send a test message through one [[alert]] and print the answer", runAlert},
		{"push-url", "push-url NAME: print the URL a job POSTs its heartbeat to", runPushURL},
		{"version", "print the version", runVersion},
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.LookupEnv}
	name := "watch"
	if len(args) > 0 && (len(args[0]) == 0 || args[0][0] != '-') {
		name, args = args[0], args[1:]
	}
	if name == "help" {
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, args, e)
		}
	}
	fmt.Fprintf(stderr, "uptop: unknown command %q; run 'uptop help' for the list\n", name)
	return exitConfig
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "uptop: htop for uptime — watch services live, serve a status page, check from scripts.")
	fmt.Fprintln(w, "\nUsage: uptop [command] [flags]   (each command takes --help)")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
}

func runVersion(_ context.Context, args []string, e *env) int {
	fs := newFlags("version", "print the version", e)
	if code, done := parse(fs, args); done {
		return code
	}
	fmt.Fprintln(e.stdout, "uptop", version)
	return exitOK
}
