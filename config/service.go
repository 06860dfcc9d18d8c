package config

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
)

// validate checks one [[service]] at path and applies the defaults d.
func (s *Service) validate(c *checker, path string, d *Defaults) {
	s.validateName(c, path)
	s.validateKind(c, path)
	s.validateTiming(c, path, d)
	for i, t := range s.Tags {
		if p := join(join(path, "tags"), strconv.Itoa(i)); !c.bad[p] && strings.TrimSpace(t) == "" {
			c.errorf(p, "a tag must not be empty: remove it")
		}
	}
}

func (s *Service) validateName(c *checker, path string) {
	p := join(path, "name")
	switch {
	case c.bad[p]:
	case !c.present[p]:
		c.errorf(path, `service has no name: add name = "…" (required, unique)`)
	case strings.TrimSpace(s.Name) == "":
		c.errorf(p, `name must not be empty: write e.g. name = "API"`)
		s.Name = ""
	}
	s.ID = Slug(s.Name)
}

// validateKind checks that exactly one check kind is set, runs that kind's
// own checks, and rejects keys that belong to another kind.
func (s *Service) validateKind(c *checker, path string) {
	var set []*kind
	for i := range kinds {
		if c.present[join(path, kinds[i].key)] {
			set = append(set, &kinds[i])
		}
	}
	switch len(set) {
	case 0:
		c.errorf(path, "service has no check: set exactly one of %s", kindKeys())
		return
	case 1:
	default:
		last := set[0]
		for _, k := range set[1:] {
			if c.loc.key[join(path, k.key)] > c.loc.key[join(path, last.key)] {
				last = k
			}
		}
		c.errorf(join(path, last.key), "set exactly one of %s: this service sets %s", kindKeys(), kindList(set))
		return
	}
	k := set[0]
	if c.set(join(path, k.key)) {
		k.check(c, path, s)
	}
	reported := map[string]bool{}
	for i := range kinds {
		for _, key := range kinds[i].only {
			if c.present[join(path, key)] && !slices.Contains(k.only, key) && !reported[key] {
				reported[key] = true
				c.errorf(join(path, key), "%s only applies to %s checks, and this service is a %s check: remove it",
					key, ownerKeys(key), k.key)
			}
		}
	}
}

// ownerKeys names the kinds a kind-only key belongs to: "url or tls".
func ownerKeys(key string) string {
	var owners []string
	for i := range kinds {
		if slices.Contains(kinds[i].only, key) {
			owners = append(owners, kinds[i].key)
		}
	}
	return strings.Join(owners, " or ")
}

func kindList(set []*kind) string {
	keys := make([]string, len(set))
	for i, k := range set {
		keys[i] = k.key
	}
	return strings.Join(keys, " and ")
}

func (s *Service) validateTiming(c *checker, path string, d *Defaults) {
	ip, tp := join(path, "interval"), join(path, "timeout")
	c.duration(ip, &s.Interval, d.Interval.Duration, false)
	timeout := defaultTimeout(s.Interval.Duration)
	if c.set("defaults.timeout") {
		timeout = d.Timeout.Duration
	}
	c.duration(tp, &s.Timeout, timeout, false)
	c.duration(join(path, "degraded_after"), &s.DegradedAfter, d.DegradedAfter.Duration, true)
	c.atLeast(join(path, "fail_threshold"), &s.FailThreshold, 1, d.FailThreshold)
	if s.Timeout.Duration < s.Interval.Duration {
		return
	}
	switch {
	case c.set(tp):
		c.errorf(tp, "timeout %v must be shorter than interval %v: lower timeout or raise interval",
			s.Timeout, s.Interval)
	case c.set(ip):
		c.errorf(ip, "interval %v must be longer than the timeout %v from [defaults]: raise interval or set a shorter timeout here",
			s.Interval, s.Timeout)
	}
}

// Slug makes an id from a name: lowercase ASCII letters and digits, other
// runs turned into single dashes ("Public API" → "public-api"). A name with
// no ASCII letter or digit gets a stable hash ("service-1a2b3c4d").
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	if b.Len() == 0 && name != "" {
		h := fnv.New32a()
		h.Write([]byte(name))
		return fmt.Sprintf("service-%08x", h.Sum32())
	}
	return b.String()
}
