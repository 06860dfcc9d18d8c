package wire

import (
	"math"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

// Status is GET /api/v1/status.
type Status struct {
	Version     uint64    `json:"version"`
	At          time.Time `json:"at"`
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	Overall     Overall   `json:"overall"`
	Counts      Counts    `json:"counts"`
	Services    []Service `json:"services"`
}

// Event is one SSE "snapshot" event: only the services that changed since
// the version the client last saw (with their newest sample).
type Event struct {
	Version  uint64    `json:"version"`
	At       time.Time `json:"at"`
	Overall  Overall   `json:"overall"`
	Counts   Counts    `json:"counts"`
	Services []Service `json:"services"`
}

// Overall is the page banner: a key and the sentence shown.
type Overall struct {
	Status string `json:"status"` // operational, degraded, partial_outage, major_outage, maintenance
	Text   string `json:"text"`
}

// Counts tallies services by status.
type Counts struct {
	Up          int `json:"up"`
	Degraded    int `json:"degraded"`
	Down        int `json:"down"`
	Unknown     int `json:"unknown"`
	Maintenance int `json:"maintenance"`
	Paused      int `json:"paused"`
}

// Service is one service. Nullable numbers are null when there is no data.
type Service struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Group       string     `json:"group,omitempty"`
	Description string     `json:"description,omitempty"`
	Kind        string     `json:"kind,omitempty"`
	Target      string     `json:"target,omitempty"`
	Tags        []string   `json:"tags,omitempty"`
	Status      string     `json:"status"`
	Since       *time.Time `json:"since"`
	LastCheck   *time.Time `json:"last_check"`
	LatencyMS   *float64   `json:"latency_ms"`
	P95HourMS   *float64   `json:"p95_1h_ms"`
	Code        int        `json:"code,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	Node        string     `json:"node,omitempty"`
	Phases      *Phases    `json:"phases,omitempty"`
	CertExpiry  *time.Time `json:"cert_expiry,omitempty"`
	// CertIssuer is the last check's leaf certificate issuer (TLS and
	// HTTPS only).
	CertIssuer string `json:"cert_issuer,omitempty"`
	// Loss is the last ping's packet loss, 0–1 (icmp only; null before the
	// first check), so 0 says "no loss" rather than "not a ping".
	Loss *float64 `json:"loss,omitempty"`
	// LastWarning is why the last check, though OK, is degraded.
	LastWarning   string     `json:"last_warning,omitempty"`
	Uptime        Uptimes    `json:"uptime"`
	Checks24h     int        `json:"checks_24h"`
	Failures24h   int        `json:"failures_24h"`
	ConsecFails   int        `json:"consecutive_fails,omitempty"`
	IntervalS     float64    `json:"interval_s,omitempty"`
	TimeoutS      float64    `json:"timeout_s,omitempty"`
	DegradedMS    float64    `json:"degraded_after_ms,omitempty"`
	FailThreshold int        `json:"fail_threshold,omitempty"`
	OpenIncident  *Incident  `json:"open_incident"`
	LastFailure   *Failure   `json:"last_failure,omitempty"`
	Version       uint64     `json:"version"`
	Samples       []Sample   `json:"samples,omitempty"`
	Incidents     []Incident `json:"incidents,omitempty"`
	// Today is the page's bar for today, so live updates can recolour it.
	Today *Bar `json:"today,omitempty"`
}

// Uptimes are ratios in [0,1]; null when the window has no checks.
type Uptimes struct {
	H24 *float64 `json:"24h"`
	D7  *float64 `json:"7d"`
	D30 *float64 `json:"30d"`
	D90 *float64 `json:"90d"`
}

// Phases of the last check, in milliseconds.
type Phases struct {
	DNS       float64 `json:"dns_ms,omitempty"`
	Connect   float64 `json:"connect_ms,omitempty"`
	TLS       float64 `json:"tls_ms,omitempty"`
	FirstByte float64 `json:"first_byte_ms,omitempty"`
	Transfer  float64 `json:"transfer_ms,omitempty"`
}

// Sample is one check: start (unix ms), latency (µs) and its own verdict.
type Sample struct {
	T  int64  `json:"t"`
	US uint32 `json:"us"`
	S  string `json:"s"`
}

// Incident is a period away from up; End is null while open.
type Incident struct {
	Start     time.Time  `json:"start"`
	End       *time.Time `json:"end"`
	DurationS float64    `json:"duration_s"`
	Worst     string     `json:"worst"`
	Cause     string     `json:"cause,omitempty"`
	ServiceID string     `json:"service_id,omitempty"`
}

// Failure is the last failed check.
type Failure struct {
	At    time.Time `json:"at"`
	Error string    `json:"error"`
	Code  int       `json:"code,omitempty"`
}

// Bar is one day of the 90-day bars as the page draws it.
type Bar struct {
	Class string `json:"class"`
	Title string `json:"title"`
}

// Check is one stored check (GET /api/v1/services/{id}/checks).
type Check struct {
	Start      time.Time  `json:"start"`
	DurationMS float64    `json:"duration_ms"`
	OK         bool       `json:"ok"`
	Code       int        `json:"code,omitempty"`
	Error      string     `json:"error,omitempty"`
	Node       string     `json:"node,omitempty"`
	Phases     *Phases    `json:"phases,omitempty"`
	CertExpiry *time.Time `json:"cert_expiry,omitempty"`
	Scheduled  *time.Time `json:"scheduled,omitempty"`
	CertIssuer string     `json:"cert_issuer,omitempty"`
	// ChainValid is set only with CertExpiry (a TLS check): false there
	// means the chain did not verify.
	ChainValid *bool    `json:"chain_valid,omitempty"`
	Loss       *float64 `json:"loss,omitempty"` // icmp only, like Service.Loss
	Warning    string   `json:"warning,omitempty"`
}

// MS is d in milliseconds, rounded to the microsecond.
func MS(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

// Dur is the inverse of MS.
func Dur(ms float64) time.Duration { return time.Duration(math.Round(ms*1e3)) * time.Microsecond }

// Ratio is u's ratio, or nil when the window had no checks.
func Ratio(u store.Uptime) *float64 {
	if u.Checks == 0 {
		return nil
	}
	r := math.Round(u.Ratio*1e6) / 1e6
	return &r
}

// Time is nil for the zero time so JSON says null.
func Time(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func msPtr(d time.Duration) *float64 {
	if d == 0 {
		return nil
	}
	v := MS(d)
	return &v
}

// FromPhases converts probe phases; nil when all are zero.
func FromPhases(p probe.Phases) *Phases {
	if p == (probe.Phases{}) {
		return nil
	}
	return &Phases{DNS: MS(p.DNS), Connect: MS(p.Connect), TLS: MS(p.TLS), FirstByte: MS(p.FirstByte), Transfer: MS(p.Transfer)}
}

// ToPhases is the inverse of FromPhases.
func ToPhases(p *Phases) probe.Phases {
	if p == nil {
		return probe.Phases{}
	}
	return probe.Phases{DNS: Dur(p.DNS), Connect: Dur(p.Connect), TLS: Dur(p.TLS), FirstByte: Dur(p.FirstByte), Transfer: Dur(p.Transfer)}
}
