package store

import (
	"time"

	"github.com/uptop-dev/uptop/probe"
)

// Status is a service's state. The zero value is Unknown.
type Status uint8

const (
	Unknown Status = iota
	Up
	Degraded
	Down
	Maintenance
	Paused
)

var statusNames = [...]string{"unknown", "up", "degraded", "down", "maintenance", "paused"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "unknown"
}

// MarshalText makes Status a string in JSON.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseStatus is the inverse of String; ok is false for an unknown word.
func ParseStatus(s string) (Status, bool) {
	for i, n := range statusNames {
		if n == s {
			return Status(i), true
		}
	}
	return Unknown, false
}

// Spec is what the store needs to know about a service: identity, display
// fields and the thresholds of its state machine.
type Spec struct {
	ID          string // stable slug, unique
	Name        string
	Kind        string   // "http", "tcp", …
	Target      string   // already redacted: safe to show anywhere
	Tags        []string //
	Group       string
	Description string
	Interval    time.Duration
	Timeout     time.Duration
	// DegradedAfter: a successful check slower than this is Degraded; 0 = never.
	DegradedAfter time.Duration
	// FailThreshold: consecutive failed checks before Down (≥ 1).
	FailThreshold int
}

// Sample is one check, compact for rings and sparklines (16 bytes).
type Sample struct {
	AtMilli   int64  // start, unix milliseconds
	LatencyUS uint32 // duration, microseconds
	Status    Status // this check's own verdict: Up, Degraded or Down (failed)
}

// At is the sample's start time.
func (s Sample) At() time.Time { return time.UnixMilli(s.AtMilli) }

// Latency is the sample's duration.
func (s Sample) Latency() time.Duration { return time.Duration(s.LatencyUS) * time.Microsecond }

// Failed reports whether the check failed.
func (s Sample) Failed() bool { return s.Status == Down }

// Failure is the last failed check, kept after it ages out of the ring.
type Failure struct {
	At    time.Time
	Error string
	Code  int
}

// Transition is a change of a service's status: what alert acts on and what
// incidents are made of.
type Transition struct {
	ServiceID string
	From, To  Status
	At        time.Time
	Cause     string // the error, or why it is degraded
	Node      string
}

// Incident is a period a service spent away from Up: opened by a transition
// to Down or Degraded, closed by the transition back to Up. End is zero
// while it is open.
type Incident struct {
	ServiceID string
	Start     time.Time
	End       time.Time
	Worst     Status // Down if it was ever down, else Degraded
	Cause     string // the cause of the opening transition
}

// Duration is how long the incident lasted, or has lasted by now.
func (i Incident) Duration(now time.Time) time.Duration {
	if i.End.IsZero() {
		return now.Sub(i.Start)
	}
	return i.End.Sub(i.Start)
}

// Uptime is the share of successful checks in a window. Degraded checks
// count as up; a window with no checks has Checks == 0 and Ratio is
// meaningless (show "—").
type Uptime struct {
	Ratio  float64
	Checks int
	Fails  int
}

// ServiceState is one service in a Snapshot. Immutable once published.
type ServiceState struct {
	Spec
	Status Status
	Since  time.Time // when Status began
	// CheckStatus is what the checks say: the same as Status except in a
	// maintenance window, where Status is Maintenance.
	CheckStatus Status

	LastCheck   time.Time // start of the last check; zero before the first
	LastLatency time.Duration
	LastCode    int
	LastError   string // empty when the last check was OK
	LastPhases  probe.Phases
	LastNode    string
	CertExpiry  time.Time
	// LastWarning is why the last check, though OK, made the service
	// degraded (probe.Result.Warning); empty otherwise.
	LastWarning string
	CertIssuer  string  // the last check's leaf certificate issuer (TLS and HTTPS)
	Loss        float64 // the last check's ping packet loss, 0–1

	ConsecutiveFails int
	P95Hour          time.Duration // p95 of successful checks in the last hour; 0 = no data
	Uptime24h        Uptime

	// Samples are the most recent checks, oldest first (at most RecentSamples).
	Samples      []Sample
	LastFailure  *Failure  // nil if it never failed
	OpenIncident *Incident // nil when Up or Unknown

	// Version is the snapshot version in which this service last changed:
	// views cache rendered rows by it.
	Version uint64
}

// RecentSamples is how many samples a ServiceState carries for sparklines.
const RecentSamples = 120

// Counts tallies services by status.
type Counts struct {
	Up, Degraded, Down, Unknown, Maintenance, Paused int
}

// Snapshot is the whole world at one moment. Immutable; share it freely.
type Snapshot struct {
	Version  uint64
	At       time.Time
	Services []*ServiceState // in config order
	Counts   Counts
	index    map[string]int
}

// Service returns the state of the service with that id.
func (s *Snapshot) Service(id string) (*ServiceState, bool) {
	if s == nil {
		return nil, false
	}
	i, ok := s.index[id]
	if !ok {
		return nil, false
	}
	return s.Services[i], true
}

// NewSnapshot builds a Snapshot over services (which it does not copy: the
// caller hands them over and must not change them afterwards).
func NewSnapshot(version uint64, at time.Time, services []*ServiceState) *Snapshot {
	s := &Snapshot{Version: version, At: at, Services: services, index: make(map[string]int, len(services))}
	for i, st := range services {
		s.index[st.ID] = i
		switch st.Status {
		case Up:
			s.Counts.Up++
		case Degraded:
			s.Counts.Degraded++
		case Down:
			s.Counts.Down++
		case Maintenance:
			s.Counts.Maintenance++
		case Paused:
			s.Counts.Paused++
		default:
			s.Counts.Unknown++
		}
	}
	return s
}
