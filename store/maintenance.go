package store

import "time"

// Maintenance windows. While Options.InMaintenance reports a window for a
// service, its published status is Maintenance (a transition with the cause
// MaintenanceCause); its checks still run and are recorded, the state
// machine keeps following them silently, and when the window ends the
// status is whatever the checks say by then (one transition from
// Maintenance). Checks made in a window count in neither side of uptime
// nor in the rollups (docs/UPTIME.md).
//
// The edges are evaluated on every Ingest and by a ticker (maintTick), so a
// window starts and ends on time even for a service that is not checked.

// MaintenanceCause is the cause of a transition into Maintenance.
const MaintenanceCause = "maintenance window"

// maintEndCause is the cause of leaving Maintenance for Up or Unknown;
// leaving it for Down or Degraded carries the checks' own cause.
const maintEndCause = "maintenance window ended"

// maintTick is how often the window edges are looked at without a check.
const maintTick = time.Second

// published is the status and its start as views see them.
func (m *machine) published() (Status, time.Time) {
	if m.maint {
		return Maintenance, m.maintSince
	}
	return m.status, m.since
}

// setMaint moves the machine into or out of maintenance at t and returns
// the transition, or nil when nothing changed.
func (m *machine) setMaint(id string, on bool, t time.Time, node string) *Transition {
	if on == m.maint {
		return nil
	}
	m.maint = on
	if on {
		m.maintSince = t
		return &Transition{ServiceID: id, From: m.status, To: Maintenance, At: t, Cause: MaintenanceCause, Node: node}
	}
	t = maxTime(t, m.maintSince)
	tr := &Transition{ServiceID: id, From: Maintenance, To: m.status, At: t, Cause: maintEndCause, Node: node}
	if m.status == Down || m.status == Degraded {
		tr.Cause = m.cause
	}
	m.since = t
	m.track(*tr)
	return tr
}

// inMaintenance asks Options.InMaintenance; false when there is none.
func (s *Store) inMaintenance(id string, t time.Time) bool {
	return s.opt.InMaintenance != nil && s.opt.InMaintenance(id, t)
}

// runMaintenance looks at the window edges every maintTick until Close.
func (s *Store) runMaintenance() {
	defer s.wg.Done()
	t := s.clock.NewTicker(maintTick)
	defer t.Stop()
	for {
		select {
		case <-t.Chan():
			if s.maintenanceEdges(s.clock.Now()) {
				// At most once a tick, and the edge is the news: publish
				// now rather than wait behind the publisher's pacing.
				s.publish()
			}
		case <-s.done:
			return
		}
	}
}

// maintenanceEdges moves every service whose window started or ended by
// now and records the transitions; it reports whether any did.
func (s *Store) maintenanceEdges(now time.Time) bool {
	changed := false
	for _, sv := range s.services {
		in := s.inMaintenance(sv.spec.ID, now)
		sv.mu.Lock()
		tr := sv.m.setMaint(sv.spec.ID, in, now, s.opt.Node)
		wasDirty := sv.dirty
		if tr != nil {
			sv.dirty = true
		}
		sv.mu.Unlock()
		if tr == nil {
			continue
		}
		s.w.addTransition(*tr)
		if !wasDirty {
			s.pub.markDirty(sv.idx)
		}
		changed = true
	}
	return changed
}

func maxTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return b
	}
	return a
}
