package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

// Row is one service in a report. Its JSON form is a contract for scripts:
// name, status, latency_ms, error and target are always present.
type Row struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Status    string  `json:"status"`
	LatencyMS float64 `json:"latency_ms"`
	Error     string  `json:"error"`
	// Warning is why a check that passed still counts as degraded
	// ("certificate expires in 9 days").
	Warning   string    `json:"warning,omitempty"`
	Target    string    `json:"target"`
	Code      int       `json:"code,omitempty"`
	CheckedAt time.Time `json:"checked_at,omitzero"`
}

// FromResult builds the row of a one-shot check of spec.
func FromResult(spec store.Spec, r probe.Result) Row {
	return Row{
		ID:        spec.ID,
		Name:      spec.Name,
		Status:    store.Classify(spec, r).String(),
		LatencyMS: ms(r.Duration),
		Error:     r.Err,
		Warning:   r.Warning,
		Target:    spec.Target,
		Code:      r.Code,
		CheckedAt: r.Start,
	}
}

// FromSnapshot builds one row per service from the current state.
func FromSnapshot(s *store.Snapshot) []Row {
	rows := make([]Row, 0, len(s.Services))
	for _, st := range s.Services {
		rows = append(rows, Row{
			ID:        st.ID,
			Name:      st.Name,
			Status:    st.Status.String(),
			LatencyMS: ms(st.LastLatency),
			Error:     st.LastError,
			Warning:   st.LastWarning,
			Target:    st.Target,
			Code:      st.LastCode,
			CheckedAt: st.LastCheck,
		})
	}
	return rows
}

// ExitCode is 0 when every service is up or degraded (or not yet known,
// maintenance, paused) and 1 when any is down.
func ExitCode(rows []Row) int {
	for _, r := range rows {
		if r.Status == store.Down.String() {
			return 1
		}
	}
	return 0
}

// WriteJSON writes rows as one indented JSON array.
func WriteJSON(w io.Writer, rows []Row) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if rows == nil {
		rows = []Row{}
	}
	if err := enc.Encode(rows); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}

// WriteTable writes rows as an aligned table with a summary line. It uses
// glyphs and words, never colour, so it reads the same in a pipe or a log.
func WriteTable(w io.Writer, rows []Row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tNAME\tLATENCY\tTARGET\tERROR")
	counts := map[string]int{}
	for _, r := range rows {
		counts[r.Status]++
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\t%s\n",
			glyph(r.Status), r.Status, oneLine(r.Name), latency(r), oneLine(r.Target), oneLine(problem(r)))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write table report: %w", err)
	}
	_, err := fmt.Fprintf(w, "%d services: %d up, %d degraded, %d down\n",
		len(rows), counts["up"], counts["degraded"], counts["down"])
	return err
}

// problem is what the ERROR column says: the error, else the warning that
// made a passing check degraded.
func problem(r Row) string {
	if r.Error != "" {
		return r.Error
	}
	return r.Warning
}

func glyph(status string) string {
	switch status {
	case "up":
		return "●"
	case "degraded":
		return "▲"
	case "down":
		return "✖"
	case "maintenance":
		return "◆"
	case "paused":
		return "‖"
	}
	return "?"
}

func latency(r Row) string {
	if r.LatencyMS == 0 { // never checked, or a check with no latency (push)
		return "—"
	}
	d := time.Duration(r.LatencyMS * float64(time.Millisecond))
	if d < time.Millisecond {
		return d.Round(time.Microsecond).String()
	}
	return d.Round(time.Millisecond).String()
}

func ms(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}

// oneLine keeps a cell on one line: names and errors come from config and
// from remote servers, so a stray newline must not break the table.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
