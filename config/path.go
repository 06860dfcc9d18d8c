package config

import (
	"fmt"
	"path/filepath"
	"strings"
)

// LocalFile is the config file looked for in the working directory.
const LocalFile = "services.toml"

// Resolve picks the config path: flag if non-empty (whether or not it
// exists: Load then says so), else ./services.toml if it exists, else
// $XDG_CONFIG_HOME/uptop/services.toml ($HOME/.config when XDG_CONFIG_HOME
// is unset or empty) if it exists. Otherwise the error wraps ErrNoConfig and
// says which paths were tried.
func Resolve(flag string, getenv func(string) (string, bool), exists func(string) bool) (string, error) {
	if flag != "" {
		return flag, nil
	}
	tried := []string{"./" + LocalFile}
	if exists(LocalFile) {
		return LocalFile, nil
	}
	if p, ok := userPath(getenv); ok {
		if exists(p) {
			return p, nil
		}
		tried = append(tried, p)
	} else {
		tried = append(tried, "$XDG_CONFIG_HOME/uptop/"+LocalFile+" (neither XDG_CONFIG_HOME nor HOME is set)")
	}
	return "", fmt.Errorf("%w: tried %s; copy services.toml from the uptop repository to one of them, or pass --config FILE (or try `uptop demo`)",
		ErrNoConfig, strings.Join(tried, " and "))
}

// userPath is $XDG_CONFIG_HOME/uptop/services.toml, or under ~/.config.
func userPath(getenv func(string) (string, bool)) (string, bool) {
	if dir, ok := getenv("XDG_CONFIG_HOME"); ok && dir != "" {
		return filepath.Join(dir, "uptop", LocalFile), true
	}
	if home, ok := getenv("HOME"); ok && home != "" {
		return filepath.Join(home, ".config", "uptop", LocalFile), true
	}
	return "", false
}
