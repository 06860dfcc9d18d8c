package config

import (
	"strconv"
	"time"

	"github.com/uptop-dev/uptop/alert"
)

// DefaultDegradedThreshold is how many slow checks in a row send a degraded alert.
const DefaultDegradedThreshold = 3

// serviceIndex maps service names to their index, for references.
func (f *File) serviceIndex() map[string]int {
	idx := make(map[string]int, len(f.Services))
	for i, s := range f.Services {
		if s.Name != "" {
			if _, dup := idx[s.Name]; !dup {
				idx[s.Name] = i
			}
		}
	}
	return idx
}

func (s *Service) validateAlerting(c *checker, path string, alerts, services map[string]int) {
	c.atLeast(join(path, "degraded_threshold"), &s.DegradedThreshold, 1, DefaultDegradedThreshold)
	for i, name := range s.Alerts {
		if _, ok := alerts[name]; !ok {
			c.errorf(join(join(path, "alerts"), strconv.Itoa(i)), "no [[alert]] is named %q: use one of the [[alert]] names, or remove it", name)
		}
	}
	for i, name := range s.DependsOn {
		p := join(join(path, "depends_on"), strconv.Itoa(i))
		switch _, ok := services[name]; {
		case name == s.Name:
			c.errorf(p, "a service cannot depend on itself: remove %q", name)
		case !ok:
			c.errorf(p, "depends_on names %q, which is not a service here: use a service's name", name)
		}
	}
}

// checkDependencyCycles reports a depends_on loop once, at the service that
// closes it: with a loop, no outage could name its cause.
func (f *File) checkDependencyCycles(c *checker) {
	idx := f.serviceIndex()
	state := make([]int, len(f.Services)) // 0 new, 1 on the path, 2 done
	var visit func(i int) bool
	visit = func(i int) bool {
		state[i] = 1
		for k, name := range f.Services[i].DependsOn {
			j, ok := idx[name]
			if !ok || j == i {
				continue
			}
			if state[j] == 1 {
				c.errorf(join(join(servicePath(i), "depends_on"), strconv.Itoa(k)),
					"depends_on makes a loop through %q: remove one of the links", name)
				return true
			}
			if state[j] == 0 && visit(j) {
				return true
			}
		}
		state[i] = 2
		return false
	}
	for i := range f.Services {
		if state[i] == 0 {
			visit(i)
		}
	}
}

func (m *Maintenance) validate(c *checker, path string, services map[string]int) {
	c.duration(join(path, "duration"), &m.Duration, 0, true)
	if !c.set(join(path, "duration")) {
		c.errorf(path, `[[maintenance]] needs a duration: write e.g. duration = "2h"`)
	}
	for i, name := range m.Services {
		if _, ok := services[name]; !ok {
			c.errorf(join(join(path, "services"), strconv.Itoa(i)), "no service is named %q: use a service's name (or leave services out for all)", name)
		}
	}
	sp, ep := join(path, "start"), join(path, "every")
	switch {
	case c.set(sp) == c.set(ep):
		c.errorf(path, `set exactly one of start (one-off, "2026-12-01T02:00:00Z") or every (weekly, "sun 02:00")`)
		return
	case c.set(sp):
		t, err := time.Parse(time.RFC3339, m.Start)
		if err != nil {
			c.errorf(sp, `start %q is not an RFC 3339 time: write e.g. "2026-12-01T02:00:00Z"`, m.Start)
			return
		}
		m.window.Start = t
	default:
		loc := time.UTC
		if tp := join(path, "timezone"); c.set(tp) {
			l, err := time.LoadLocation(m.Timezone)
			if err != nil {
				c.errorf(tp, "unknown timezone %q: write an IANA name like \"Europe/Berlin\"", m.Timezone)
				return
			}
			loc = l
		}
		w, err := alert.ParseWeekly(m.Every, loc)
		if err != nil {
			c.errorf(ep, "%v", err)
			return
		}
		m.window.Every = w
	}
	m.window.Duration = m.Duration.Duration
	if err := m.window.Validate(); err != nil && m.Duration.Duration > 0 {
		c.errorf(join(path, "duration"), "%v", err)
	}
}

// AlertOptions turns [[alert]], [[maintenance]], [alerting] and the
// services' alert keys into the alert package's options.
func (f *File) AlertOptions() (notifiers []alert.NotifierConfig, services []alert.ServiceRule, windows []alert.Window, rules alert.RuleOptions) {
	for _, a := range f.Alerts {
		n := alert.NotifierConfig{
			Name: a.Name, Type: a.Type, URL: a.URL, Repeat: a.Repeat.Duration, Message: a.Message,
			Secret: a.Secret, Headers: a.Headers, ChatID: a.ChatID, Token: a.Token, Priority: a.Priority,
			Timeout: a.Timeout.Duration, GiveUpAfter: a.GiveUpAfter.Duration,
		}
		for _, on := range a.On {
			n.On = append(n.On, alert.Kind(on))
		}
		notifiers = append(notifiers, n)
	}
	ids := map[string]string{}
	for _, s := range f.Services {
		ids[s.Name] = s.ID
	}
	for _, s := range f.Services {
		r := alert.ServiceRule{ID: s.ID, Name: s.Name, Alerts: s.Alerts, DegradedThreshold: s.DegradedThreshold}
		for _, d := range s.DependsOn {
			r.DependsOn = append(r.DependsOn, ids[d])
		}
		services = append(services, r)
	}
	for _, m := range f.Maintenance {
		w := m.window
		for _, name := range m.Services {
			w.Services = append(w.Services, ids[name])
		}
		windows = append(windows, w)
	}
	a := f.Alerting
	rules = alert.RuleOptions{
		FlapChanges: a.FlapChanges, FlapWindow: a.FlapWindow.Duration, StableAfter: a.StableAfter.Duration,
		GroupWindow: a.GroupWindow.Duration, CertWarn: a.CertWarn.Duration,
	}
	if rules.GroupWindow == 0 {
		rules.GroupWindow = -1 // "0s" in the file means: no grouping
	}
	return notifiers, services, windows, rules
}
