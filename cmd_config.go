package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/uptop-dev/uptop/config"
)

// loadConfig resolves and loads the config, printing any problem to stderr
// in the file:line:col form editors understand.
func loadConfig(flagPath string, e *env) (*config.File, bool) {
	path, err := config.Resolve(flagPath, e.getenv, fileExists)
	if err != nil {
		fmt.Fprintf(e.stderr, "uptop: %v\n", err)
		return nil, false
	}
	cfg, err := config.Load(path, e.getenv)
	if err != nil {
		printConfigError(e, err)
		return nil, false
	}
	return cfg, true
}

func printConfigError(e *env, err error) {
	var list *config.Errors
	if errors.As(err, &list) {
		for _, p := range list.List {
			fmt.Fprintln(e.stderr, p.Error())
		}
		return
	}
	fmt.Fprintf(e.stderr, "uptop: %v\n", err)
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}
