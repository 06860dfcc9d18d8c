package config

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ErrNoConfig is what Resolve wraps when no config file exists at any of the
// places it looks: callers may offer `uptop demo` instead.
var ErrNoConfig = errors.New("no config file found")

// Error is one problem in a config file. Line and Col are 1-based (Col counts
// bytes); both are 0 when the problem is with the file as a whole.
type Error struct {
	File      string
	Line, Col int
	Msg       string

	err error // the underlying cause (e.g. fs.ErrNotExist), for errors.Is
}

// Error is "file:line:col: message", the form editors and CI jump to.
func (e Error) Error() string {
	if e.Line <= 0 {
		return e.File + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Unwrap is the underlying cause, if any.
func (e Error) Unwrap() error { return e.err }

// Errors is every problem found in one file, in file order.
type Errors struct{ List []Error }

// Error is one Error per line.
func (e *Errors) Error() string {
	lines := make([]string, len(e.List))
	for i, x := range e.List {
		lines[i] = x.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is and errors.As see each Error.
func (e *Errors) Unwrap() []error {
	out := make([]error, len(e.List))
	for i, x := range e.List {
		out[i] = x
	}
	return out
}

// finish orders the problems by position and drops exact repeats.
func (e *Errors) finish() {
	sort.SliceStable(e.List, func(i, j int) bool {
		a, b := e.List[i], e.List[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	out := e.List[:0]
	for _, x := range e.List {
		if n := len(out); n > 0 && sameProblem(out[n-1], x) {
			continue
		}
		out = append(out, x)
	}
	e.List = out
}

func sameProblem(a, b Error) bool {
	return a.File == b.File && a.Line == b.Line && a.Col == b.Col && a.Msg == b.Msg
}
