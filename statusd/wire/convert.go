package wire

import (
	"math"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

// FromState converts one service. showTarget false leaves Target empty;
// samples > 0 includes that many of the newest samples.
func FromState(st *store.ServiceState, showTarget bool, samples int) Service {
	out := Service{
		ID: st.ID, Name: st.Name, Group: st.Group, Description: st.Description, Kind: st.Kind,
		Tags: st.Tags, Status: st.Status.String(), Since: Time(st.Since), LastCheck: Time(st.LastCheck),
		Code: st.LastCode, LastError: Clean(st.LastError, st.Target, showTarget), Node: st.LastNode, Phases: FromPhases(st.LastPhases),
		CertExpiry: Time(st.CertExpiry), P95HourMS: msPtr(st.P95Hour),
		CertIssuer: Clean(st.CertIssuer, st.Target, showTarget), LastWarning: Clean(st.LastWarning, st.Target, showTarget),
		Checks24h: st.Uptime24h.Checks, Failures24h: st.Uptime24h.Fails, ConsecFails: st.ConsecutiveFails,
		IntervalS: st.Interval.Seconds(), TimeoutS: st.Timeout.Seconds(), DegradedMS: MS(st.DegradedAfter),
		FailThreshold: st.FailThreshold, Version: st.Version,
	}
	out.Uptime.H24 = Ratio(st.Uptime24h)
	if showTarget {
		out.Target = st.Target
	}
	if !st.LastCheck.IsZero() {
		v := MS(st.LastLatency)
		out.LatencyMS = &v
		out.Loss = lossOf(st.Kind, st.Loss)
	}
	if st.OpenIncident != nil {
		inc := FromIncident(*st.OpenIncident, time.Time{}, st.Target, showTarget)
		out.OpenIncident = &inc
	}
	if f := st.LastFailure; f != nil {
		out.LastFailure = &Failure{At: f.At.UTC(), Error: Clean(f.Error, st.Target, showTarget), Code: f.Code}
	}
	if samples > 0 {
		ss := st.Samples
		if len(ss) > samples {
			ss = ss[len(ss)-samples:]
		}
		out.Samples = make([]Sample, len(ss))
		for i, s := range ss {
			out.Samples[i] = Sample{T: s.AtMilli, US: s.LatencyUS, S: s.Status.String()}
		}
	}
	return out
}

// ToState is the inverse of FromState, for clients rebuilding a Snapshot.
func ToState(s Service) *store.ServiceState {
	st := &store.ServiceState{
		Spec: store.Spec{
			ID: s.ID, Name: s.Name, Kind: s.Kind, Target: s.Target, Tags: s.Tags, Group: s.Group,
			Description: s.Description, Interval: time.Duration(s.IntervalS * float64(time.Second)),
			Timeout: time.Duration(s.TimeoutS * float64(time.Second)), DegradedAfter: Dur(s.DegradedMS),
			FailThreshold: s.FailThreshold,
		},
		Since: deref(s.Since), LastCheck: deref(s.LastCheck), LastCode: s.Code, LastError: s.LastError,
		LastPhases: ToPhases(s.Phases), LastNode: s.Node, CertExpiry: deref(s.CertExpiry),
		CertIssuer: s.CertIssuer, LastWarning: s.LastWarning, Loss: derefF(s.Loss),
		ConsecutiveFails: s.ConsecFails, Version: s.Version,
		Uptime24h: store.Uptime{Checks: s.Checks24h, Fails: s.Failures24h},
	}
	st.Status, _ = store.ParseStatus(s.Status)
	if s.LatencyMS != nil {
		st.LastLatency = Dur(*s.LatencyMS)
	}
	if s.P95HourMS != nil {
		st.P95Hour = Dur(*s.P95HourMS)
	}
	if s.Uptime.H24 != nil {
		st.Uptime24h.Ratio = *s.Uptime.H24
	}
	if s.OpenIncident != nil {
		inc := ToIncident(*s.OpenIncident)
		inc.ServiceID = s.ID
		st.OpenIncident = &inc
	}
	if f := s.LastFailure; f != nil {
		st.LastFailure = &store.Failure{At: f.At, Error: f.Error, Code: f.Code}
	}
	st.Samples = ToSamples(s.Samples)
	return st
}

// ToSamples converts wire samples back to store samples.
func ToSamples(in []Sample) []store.Sample {
	if len(in) == 0 {
		return nil
	}
	out := make([]store.Sample, len(in))
	for i, s := range in {
		st, _ := store.ParseStatus(s.S)
		out[i] = store.Sample{AtMilli: s.T, LatencyUS: s.US, Status: st}
	}
	return out
}

// FromIncident converts an incident; an open one's duration runs to now
// (zero now: duration 0). The cause is cleaned as Clean says.
func FromIncident(i store.Incident, now time.Time, target string, show bool) Incident {
	out := Incident{Start: i.Start.UTC(), End: Time(i.End), Worst: i.Worst.String(), Cause: Clean(i.Cause, target, show), ServiceID: i.ServiceID}
	if !i.End.IsZero() || !now.IsZero() {
		out.DurationS = i.Duration(now).Seconds()
	}
	return out
}

// ToIncident is the inverse of FromIncident.
func ToIncident(i Incident) store.Incident {
	w, _ := store.ParseStatus(i.Worst)
	return store.Incident{ServiceID: i.ServiceID, Start: i.Start, End: deref(i.End), Worst: w, Cause: i.Cause}
}

// FromResult converts a stored check; its error and warning are cleaned as
// Clean says. kind is the service's check kind: loss is only a ping's.
func FromResult(r probe.Result, kind, target string, show bool) Check {
	c := Check{
		Start: r.Start.UTC(), DurationMS: MS(r.Duration), OK: r.OK, Code: r.Code, Error: Clean(r.Err, target, show),
		Node: r.Node, Phases: FromPhases(r.Phases), CertExpiry: Time(r.CertExpiry), Scheduled: Time(r.Scheduled),
		CertIssuer: Clean(r.CertIssuer, target, show), Warning: Clean(r.Warning, target, show),
		Loss: lossOf(kind, r.Loss),
	}
	if !r.CertExpiry.IsZero() {
		v := r.ChainValid
		c.ChainValid = &v
	}
	return c
}

// ToResult is the inverse of FromResult.
func ToResult(id string, c Check) probe.Result {
	return probe.Result{
		ServiceID: id, Node: c.Node, Scheduled: deref(c.Scheduled), Start: c.Start, Duration: Dur(c.DurationMS),
		Phases: ToPhases(c.Phases), OK: c.OK, Code: c.Code, Err: c.Error, CertExpiry: deref(c.CertExpiry),
		CertIssuer: c.CertIssuer, ChainValid: c.ChainValid != nil && *c.ChainValid, Loss: derefF(c.Loss),
		Warning: c.Warning,
	}
}

// lossOf is a ping's loss for JSON; nil for every other kind.
func lossOf(kind string, loss float64) *float64 {
	if kind != "icmp" {
		return nil
	}
	v := math.Round(loss*1e4) / 1e4
	return &v
}

func derefF(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}

// FromCounts converts the tallies.
func FromCounts(c store.Counts) Counts {
	return Counts{Up: c.Up, Degraded: c.Degraded, Down: c.Down, Unknown: c.Unknown, Maintenance: c.Maintenance, Paused: c.Paused}
}

// OverallOf is the banner for a set of counts: any down service is an
// outage (major when at least half are down), else any degraded one is
// degraded performance.
func OverallOf(c store.Counts) Overall {
	total := c.Up + c.Degraded + c.Down + c.Unknown + c.Maintenance + c.Paused
	switch {
	case c.Down > 0 && c.Down*2 >= total:
		return Overall{Status: "major_outage", Text: "Major outage"}
	case c.Down > 0:
		return Overall{Status: "partial_outage", Text: "Partial outage"}
	case c.Degraded > 0:
		return Overall{Status: "degraded", Text: "Degraded performance"}
	case c.Maintenance > 0:
		return Overall{Status: "maintenance", Text: "Under maintenance"}
	}
	return Overall{Status: "operational", Text: "All systems operational"}
}
