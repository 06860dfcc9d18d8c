package store

import (
	"sync"
	"time"
)

// publisher turns dirty services into a new Snapshot. Only services that
// changed get a new *ServiceState; the others keep their pointer (and so
// their Version), which is what lets views cache rendered rows.
type publisher struct {
	kickCh chan struct{} // 1-slot: "something is dirty"

	mu    sync.Mutex // guards dirty
	dirty []int      // indexes of services changed since the last publish

	buildMu sync.Mutex // one rebuild at a time; guards the fields below
	version uint64
	spare   []int    // the previous dirty list, reused
	scratch []uint32 // p95 working space
}

func (p *publisher) init(n int) {
	p.kickCh = make(chan struct{}, 1)
	p.dirty = make([]int, 0, min(n, 1024))
}

func (p *publisher) markDirty(i int) {
	p.mu.Lock()
	p.dirty = append(p.dirty, i)
	p.mu.Unlock()
}

func (p *publisher) kick() {
	select {
	case p.kickCh <- struct{}{}:
	default: // already pending: coalesced
	}
}

// runPublisher rebuilds at most once per PublishEvery: a burst of results
// becomes one snapshot and one signal to subscribers.
func (s *Store) runPublisher() {
	defer s.wg.Done()
	var last time.Time
	for {
		select {
		case <-s.pub.kickCh:
		case <-s.done:
			return
		}
		if wait := s.opt.PublishEvery - s.clock.Since(last); wait > 0 {
			select {
			case <-s.clock.After(wait):
			case <-s.done:
				return
			}
		}
		last = s.clock.Now()
		s.publish()
	}
}

// publish rebuilds the dirty services, stores the new snapshot and signals
// subscribers. It does nothing when nothing changed.
func (s *Store) publish() {
	p := &s.pub
	p.buildMu.Lock()
	defer p.buildMu.Unlock()

	p.mu.Lock()
	dirty := p.dirty
	p.dirty = p.spare[:0]
	p.mu.Unlock()
	p.spare = dirty
	if len(dirty) == 0 {
		return
	}

	prev := s.snap.Load()
	p.version++
	now := s.clock.Now()
	services := make([]*ServiceState, len(prev.Services))
	copy(services, prev.Services)
	for _, i := range dirty {
		sv := s.services[i]
		sv.mu.Lock()
		services[i] = sv.state(now, p.version, &p.scratch)
		sv.dirty = false
		sv.mu.Unlock()
	}
	s.snap.Store(derive(prev, p.version, now, services))
	s.subs.signal()
}

// derive is NewSnapshot for a snapshot with the same services in the same
// order as prev: it shares prev's immutable index instead of rebuilding a
// 10,000-entry map on every publish.
func derive(prev *Snapshot, version uint64, at time.Time, services []*ServiceState) *Snapshot {
	next := &Snapshot{Version: version, At: at, Services: services, index: prev.index}
	for _, st := range services {
		switch st.Status {
		case Up:
			next.Counts.Up++
		case Degraded:
			next.Counts.Degraded++
		case Down:
			next.Counts.Down++
		case Maintenance:
			next.Counts.Maintenance++
		case Paused:
			next.Counts.Paused++
		default:
			next.Counts.Unknown++
		}
	}
	return next
}

// firstSnapshot is version 0: every service as restored (or Unknown).
func (s *Store) firstSnapshot() *Snapshot {
	now := s.clock.Now()
	services := make([]*ServiceState, len(s.services))
	for i, sv := range s.services {
		sv.mu.Lock()
		services[i] = sv.state(now, 0, &s.pub.scratch)
		sv.mu.Unlock()
	}
	return NewSnapshot(0, now, services)
}

// state builds the immutable view of sv. The caller holds sv.mu.
func (sv *service) state(now time.Time, version uint64, scratch *[]uint32) *ServiceState {
	status, since := sv.m.published()
	st := &ServiceState{
		Spec:             sv.spec,
		Status:           status,
		Since:            since,
		CheckStatus:      sv.m.status,
		LastCheck:        sv.last.Start,
		LastLatency:      sv.last.Duration,
		LastCode:         sv.last.Code,
		LastError:        sv.last.Err,
		LastPhases:       sv.last.Phases,
		LastNode:         sv.last.Node,
		CertExpiry:       sv.last.CertExpiry,
		LastWarning:      sv.last.Warning,
		CertIssuer:       sv.last.CertIssuer,
		Loss:             sv.last.Loss,
		ConsecutiveFails: sv.m.fails,
		P95Hour:          sv.ring.p95(now.Add(-time.Hour).UnixMilli(), scratch),
		Uptime24h:        sv.hours.uptime(now),
		Samples:          sv.ring.recent(RecentSamples),
		LastFailure:      sv.lastFailure,
		Version:          version,
	}
	if !sv.last.OK && !sv.last.Start.IsZero() && st.LastError == "" {
		st.LastError = failCause(sv.last)
	}
	if sv.m.incident != nil {
		inc := *sv.m.incident
		st.OpenIncident = &inc
	}
	return st
}
