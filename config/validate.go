package config

import (
	"fmt"
	"strconv"
	"time"
)

// checker carries one Parse: the source and its key positions, what was
// present, expanded or undecodable, and every problem found so far. Each
// section validates itself and sets its defaults through it.
type checker struct {
	file     string
	src      []byte
	loc      *locations
	getenv   func(string) (string, bool)
	present  map[string]bool // key paths written in the file
	bad      map[string]bool // key paths whose value could not be decoded
	expanded map[string]expansion
	errs     Errors
	// allowCommands is the file's allow_commands, which command services
	// need; set before the services are validated.
	allowCommands bool
}

func newChecker(file string, src []byte, getenv func(string) (string, bool)) *checker {
	loc := locate(src)
	return &checker{
		file: file, src: src, loc: loc, getenv: getenv,
		present: make(map[string]bool, len(loc.key)), bad: map[string]bool{}, expanded: map[string]expansion{},
	}
}

func (c *checker) add(line, col int, format string, args ...any) {
	c.errs.List = append(c.errs.List, Error{File: c.file, Line: line, Col: col, Msg: c.scrub(fmt.Sprintf(format, args...))})
}

// errorf reports a problem at the key path (or its nearest written ancestor).
func (c *checker) errorf(path, format string, args ...any) {
	line, col := c.loc.pos(path)
	c.add(line, col, format, args...)
}

// set reports whether path was written in the file and decoded cleanly:
// only then is its value the user's and worth checking.
func (c *checker) set(path string) bool { return c.present[path] && !c.bad[path] }

// line is the line path was written on, for "first on line 12".
func (c *checker) line(path string) int {
	line, _ := c.loc.pos(path)
	return line
}

// duration checks a duration key that was set and falls back to def when it
// was not (or was unusable). zeroOK allows "0s" (degraded_after: never).
func (c *checker) duration(path string, d *Duration, def time.Duration, zeroOK bool) {
	switch {
	case !c.set(path):
		d.Duration = def
	case d.Duration < 0 || d.Duration == 0 && !zeroOK:
		c.errorf(path, "%s must be longer than zero: write e.g. %q", lastKey(path), Duration{def}.String())
		d.Duration = def
	}
}

// atLeast checks an integer key that was set, falling back to def.
func (c *checker) atLeast(path string, n *int, low, def int) {
	switch {
	case !c.set(path):
		*n = def
	case *n < low:
		c.errorf(path, "%s must be at least %d: write e.g. %s = %d", lastKey(path), low, lastKey(path), def)
		*n = def
	}
}

func lastKey(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '.' {
			return path[i+1:]
		}
	}
	return path
}

// defaultTimeout is the timeout when none is written: 5s, but always
// shorter than the interval (80% of it) so a small interval alone is valid.
func defaultTimeout(interval time.Duration) time.Duration {
	return min(DefaultTimeout, interval*8/10)
}

func (f *File) validate(c *checker) {
	if c.set("concurrency") && f.Concurrency < 0 {
		c.errorf("concurrency", "concurrency must be 0 (automatic) or more: write e.g. concurrency = 64")
		f.Concurrency = 0
	}
	f.Defaults.validate(c, "defaults")
	c.allowCommands = f.AllowCommands
	names := map[string]int{} // name → index of the first service with it
	ids := map[string]int{}
	for i := range f.Services {
		s := &f.Services[i]
		s.validate(c, servicePath(i), &f.Defaults)
		if s.Name == "" {
			continue
		}
		at := join(servicePath(i), "name")
		if first, dup := names[s.Name]; dup {
			c.errorf(at, "duplicate service name %s (first on line %d): give each service its own name",
				c.show(at, s.Name), c.line(join(servicePath(first), "name")))
			continue
		}
		names[s.Name] = i
		if first, dup := ids[s.ID]; dup {
			firstAt := join(servicePath(first), "name")
			c.errorf(at, "service name %s makes the id %q, the same as %s on line %d: rename one of them",
				c.show(at, s.Name), s.ID, c.show(firstAt, f.Services[first].Name), c.line(firstAt))
			continue
		}
		ids[s.ID] = i
	}
	if f.HTTP != nil {
		f.HTTP.validate(c, "http")
	}
	if f.SSH != nil {
		f.SSH.validate(c, "ssh")
	}
	f.Retention.validate(c, "retention")
	f.validateAlerts(c)
}

func servicePath(i int) string { return "service." + strconv.Itoa(i) }

func (d *Defaults) validate(c *checker, path string) {
	c.duration(join(path, "interval"), &d.Interval, DefaultInterval, false)
	c.duration(join(path, "timeout"), &d.Timeout, defaultTimeout(d.Interval.Duration), false)
	c.duration(join(path, "degraded_after"), &d.DegradedAfter, DefaultDegradedAfter, true)
	c.atLeast(join(path, "fail_threshold"), &d.FailThreshold, 1, DefaultFailThreshold)
	if d.Timeout.Duration >= d.Interval.Duration {
		c.errorf(join(path, "timeout"), "timeout %v must be shorter than interval %v: lower timeout or raise interval",
			d.Timeout, d.Interval)
	}
}
