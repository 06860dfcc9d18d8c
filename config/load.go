package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"

	"github.com/BurntSushi/toml"
)

// Load reads, expands ${VAR} and validates the file. On any problem it
// returns an *Errors (all problems, not just the first), never a partial
// config. getenv is usually os.LookupEnv; nil means an empty environment.
func Load(path string, getenv func(string) (string, bool)) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		msg := fmt.Sprintf("cannot read the config file: %v", err)
		if errors.Is(err, fs.ErrNotExist) {
			msg = "config file not found: copy services.toml from the uptop repository here, or pass --config FILE"
		}
		return nil, &Errors{List: []Error{{File: path, Msg: msg, err: err}}}
	}
	return Parse(path, data, getenv)
}

// Parse is Load from bytes already read; path is only used in messages and
// to resolve relative file paths inside the config.
func Parse(path string, data []byte, getenv func(string) (string, bool)) (*File, error) {
	if getenv == nil {
		getenv = func(string) (string, bool) { return "", false }
	}
	raw := map[string]any{}
	if _, err := toml.Decode(string(data), &raw); err != nil {
		return nil, syntaxError(path, err)
	}
	c := newChecker(path, data, getenv)
	c.expandTree("", raw)
	f := &File{Path: path}
	c.decodeTable("", "at the top level", raw, reflect.ValueOf(f).Elem())
	f.validate(c)
	if len(c.errs.List) > 0 {
		c.errs.finish()
		return nil, &c.errs
	}
	return f, nil
}

// syntaxError turns the TOML parser's error into our form. The parser stops
// at the first syntax error, so there is only one.
func syntaxError(path string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return &Errors{List: []Error{{File: path, Line: max(pe.Position.Line, 1), Col: max(pe.Position.Col, 1),
			Msg: "invalid TOML: " + pe.Message, err: err}}}
	}
	return &Errors{List: []Error{{File: path, Line: 1, Col: 1, Msg: "invalid TOML: " + err.Error(), err: err}}}
}
