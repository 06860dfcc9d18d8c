package main

import (
	"errors"
	"flag"
	"fmt"
)

// newFlags builds a command's flag set whose --help says what it does.
func newFlags(name, summary string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet("uptop "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "uptop %s: %s\n\nUsage: uptop %s [flags]\n\nFlags:\n", name, summary, name)
		fs.PrintDefaults()
	}
	return fs
}

// parse reports done when the command should stop: after --help (exit 0)
// or a bad flag (exit 2, the flag package has said why).
func parse(fs *flag.FlagSet, args []string) (code int, done bool) {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK, true
	case err != nil:
		return exitConfig, true
	case fs.NArg() > 0:
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q; see --help\n", fs.Name(), fs.Arg(0))
		return exitConfig, true
	}
	return 0, false
}

// common are the flags most commands share.
type common struct {
	config string
	data   string
	node   string
}

func (c *common) register(fs *flag.FlagSet, withData bool) {
	fs.StringVar(&c.config, "config", "", "config file (default ./services.toml, else $XDG_CONFIG_HOME/uptop/services.toml)")
	if withData {
		fs.StringVar(&c.data, "data", "", "SQLite file for history (default $XDG_STATE_HOME/uptop/uptop.db)")
		fs.StringVar(&c.node, "node", "", "this node's name, stored with every result (default the hostname)")
	}
}
