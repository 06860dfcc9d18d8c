package alert

import (
	"slices"
	"time"

	"github.com/uptop-dev/uptop/store"
)

// Rules decides which notifications to send. It is a pure state machine:
// every input carries the current time, nothing reads a clock, nothing does
// I/O, so tests drive it step by step. Not safe for concurrent use.
//
// Each service has the status the store reports and the status its
// notifiers were last told ("announced"). Every input ends in reconcile,
// which announces the difference unless something suppresses it
// (maintenance, flapping, a parent that is down). So nothing fires when a
// suppression ends unless the state really changed.
type Rules struct {
	opt       RuleOptions
	notifiers []NotifierConfig
	maint     []Window
	svcs      map[string]*svcState
	order     []string            // service ids in first-seen order: deterministic output
	children  map[string][]string // parent id → dependent ids
	groups    map[groupKey]*group
	dirty     map[string]bool // services whose announced state is not yet durable
}

type svcState struct {
	rule      ServiceRule
	status    store.Status // as the store reports it
	since     time.Time    // when status began
	announced store.Status // Unknown, Up, Degraded or Down
	downSince time.Time    // start of the announced outage or slowness
	lastErr   string
	latency   time.Duration
	slowRun   int // slow checks in a row
	changes   []time.Time
	flapping  bool
	maint     bool
	parent    string               // the down parent that suppressed our down
	notified  map[string]time.Time // notifier → last down or reminder sent
	certSeen  time.Time            // the NotAfter already warned about
}

// NewRules builds the rules over validated notifiers, services and
// maintenance windows. Services not listed get defaults when first seen.
func NewRules(opt RuleOptions, notifiers []NotifierConfig, services []ServiceRule, maint []Window) *Rules {
	r := &Rules{
		opt: opt.withDefaults(), notifiers: notifiers, maint: maint,
		svcs: map[string]*svcState{}, children: map[string][]string{}, groups: map[groupKey]*group{},
		dirty: map[string]bool{},
	}
	for _, sr := range services {
		r.svc(sr.ID).rule = withRuleDefaults(sr)
	}
	for _, sr := range services {
		for _, p := range sr.DependsOn {
			r.children[p] = append(r.children[p], sr.ID)
		}
	}
	return r
}

func withRuleDefaults(sr ServiceRule) ServiceRule {
	if sr.DegradedThreshold <= 0 {
		sr.DegradedThreshold = 3
	}
	if sr.Name == "" {
		sr.Name = sr.ID
	}
	return sr
}

func (r *Rules) svc(id string) *svcState {
	s, ok := r.svcs[id]
	if !ok {
		s = &svcState{rule: withRuleDefaults(ServiceRule{ID: id}), notified: map[string]time.Time{}}
		r.svcs[id] = s
		r.order = append(r.order, id)
	}
	return s
}

// Baseline sets a service's state without alerting: what the store
// restored after a restart, so an outage that began before it is not
// announced again. name fills in the display name when the rule has none.
func (r *Rules) Baseline(id, name string, status store.Status, since time.Time, lastErr string) {
	s := r.svc(id)
	if name != "" && s.rule.Name == id {
		s.rule.Name = name
	}
	s.status, s.since, s.lastErr = status, since, lastErr
	if status == store.Degraded {
		s.slowRun = s.rule.DegradedThreshold
	}
	s.announced = s.level()
	if s.announced == store.Down || s.announced == store.Degraded {
		s.downSince = since
	}
	r.dirty[id] = true
}

// Transition feeds one status change from the store.
func (r *Rules) Transition(tr store.Transition, now time.Time) []Notification {
	s := r.svc(tr.ServiceID)
	s.status, s.since = tr.To, tr.At
	if tr.Cause != "" && tr.To == store.Down {
		s.lastErr = tr.Cause
	}
	// Entering or leaving a maintenance window is not a change of health:
	// it neither counts towards flapping nor forgets the slow checks in a
	// row (they go on being counted by Check). Leaving it is reconciled
	// like anything else, so only a real change is announced.
	edge := tr.From == store.Maintenance || tr.To == store.Maintenance
	if tr.To != store.Degraded && !edge {
		s.slowRun = 0
	}
	var out []Notification
	if tr.From != store.Unknown && tr.To != store.Unknown && !edge {
		out = r.noteChange(s, now)
	}
	return append(out, r.reconcile(s, now)...)
}

// Check feeds one check's own verdict (Up, Degraded or Down): the slow
// checks in a row behind a degraded alert.
func (r *Rules) Check(id string, verdict store.Status, latency time.Duration, now time.Time) []Notification {
	s := r.svc(id)
	s.latency = latency
	if verdict == store.Degraded {
		s.slowRun++
	} else {
		s.slowRun = 0
	}
	return r.reconcile(s, now)
}

// Cert feeds a TLS certificate's expiry: one alert per certificate once it
// is within CertWarn of expiring.
func (r *Rules) Cert(id string, notAfter, now time.Time) []Notification {
	s := r.svc(id)
	if notAfter.IsZero() || notAfter.Sub(now) > r.opt.CertWarn || notAfter.Equal(s.certSeen) {
		return nil
	}
	if r.suppressed(s, now) {
		return nil
	}
	s.certSeen = notAfter
	ev := r.event(s, KindCertExpiry, now)
	ev.ID = newEventID(KindCertExpiry, s.rule.ID, notAfter)
	ev.CertExpiry = notAfter
	ev.Duration = notAfter.Sub(now)
	return r.route(s, ev, now)
}

// level is the status worth announcing: degraded only once confirmed by
// DegradedThreshold slow checks in a row.
func (s *svcState) level() store.Status {
	switch s.status {
	case store.Down:
		return store.Down
	case store.Degraded:
		if s.slowRun >= s.rule.DegradedThreshold {
			return store.Degraded
		}
		return store.Up
	case store.Up:
		return store.Up
	}
	return s.announced // unknown, paused…: nothing to say
}

// notifiersFor lists the notifiers the service sends kind k to.
func (r *Rules) notifiersFor(s *svcState, k Kind) []*NotifierConfig {
	var out []*NotifierConfig
	for i := range r.notifiers {
		n := &r.notifiers[i]
		if s.rule.Alerts != nil && !slices.Contains(s.rule.Alerts, n.Name) {
			continue
		}
		if n.wants(k) {
			out = append(out, n)
		}
	}
	return out
}
