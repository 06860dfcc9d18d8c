package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

// detailData is what the detail view fetches from the Source, in a tea.Cmd.
type detailData struct {
	id              string
	at              time.Time
	results         []probe.Result // last hour, newest first
	incidents       []store.Incident
	up24, up7, up30 store.Uptime
	err             error      // the first query that failed, if any
	deliveries      []Delivery // newest first; see detail_alerts.go
	alerting        bool       // the source sends alerts (a DeliverySource)
}

// detailModel is one service in depth: chart, phases, recent checks,
// incidents, uptime over three windows.
type detailModel struct {
	svc    *store.ServiceState // current state, from the latest snapshot
	data   *detailData         // nil until the first fetch returns
	scroll int
	now    time.Time

	width, height int
	st            *Styles
	g             glyphs
	keys          keyMap
}

func newDetail(st *Styles, g glyphs, keys keyMap) detailModel {
	return detailModel{st: st, g: g, keys: keys}
}

// Open shows svc, dropping the previous service's history.
func (d detailModel) Open(svc *store.ServiceState) detailModel {
	d.svc, d.data, d.scroll = svc, nil, 0
	return d
}

func (d detailModel) ID() string {
	if d.svc == nil {
		return ""
	}
	return d.svc.ID
}

func (d detailModel) SetService(svc *store.ServiceState) detailModel { d.svc = svc; return d }
func (d detailModel) SetNow(now time.Time) detailModel               { d.now = now; return d }
func (d detailModel) SetTheme(st *Styles, g glyphs) detailModel      { d.st, d.g = st, g; return d }
func (d *detailModel) SetSize(w, h int)                              { d.width, d.height = w, h }

// Update scrolls, and takes fetched data for the open service.
func (d detailModel) Update(msg tea.Msg) (detailModel, tea.Cmd) {
	switch msg := msg.(type) {
	case detailDataMsg:
		if msg.data.id == d.ID() {
			data := msg.data
			d.data = &data
		}
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, d.keys.Up):
			d.scroll = max(d.scroll-1, 0)
		case key.Matches(msg, d.keys.Down):
			d.scroll++
		case key.Matches(msg, d.keys.Top):
			d.scroll = 0
		}
	}
	return d, nil
}

func (d detailModel) View() string {
	if d.width <= 0 || d.height <= 0 || d.svc == nil {
		return ""
	}
	lines := d.summary()
	rest := d.height - len(lines)
	if ch := d.chartLines(rest); len(ch) > 0 {
		lines = append(lines, ch...)
	}
	lines = d.withDeliveries(lines)
	scroll := min(d.scroll, max(len(lines)-d.height, 0))
	return clipLines(lines[scroll:], d.width, d.height)
}

// summary is the header: identity, status, uptime, last check and phases.
func (d detailModel) summary() []string {
	s := d.svc
	status := d.st.Status[statusIndex(s.Status)].Render(d.g.statusLabel(s.Status))
	since := ""
	if !s.Since.IsZero() {
		since = d.st.Dim.Render(fmt.Sprintf(" since %s (%s)", s.Since.Format("Jan 2 15:04:05"), fmtSpan(d.now.Sub(s.Since))))
	}
	info := []string{s.Target, s.Kind}
	if s.Interval > 0 {
		info = append(info, "every "+s.Interval.String())
	}
	if len(s.Tags) > 0 {
		info = append(info, "tags "+strings.Join(s.Tags, ", "))
	}
	lines := []string{
		d.st.Title.Render(s.Name) + "  " + status + since,
		d.st.Dim.Render(strings.Join(info, " · ")),
		d.uptimeLine(),
		d.lastCheckLine(),
	}
	return append(lines, d.kindLines()...) // detail_kinds.go
}

func (d detailModel) uptimeLine() string {
	up24 := d.svc.Uptime24h
	up7, up30 := d.g.dash, d.g.dash
	if d.data != nil && d.data.err == nil {
		up24 = d.data.up24
		up7, up30 = fmtUptime(d.data.up7, d.g.dash), fmtUptime(d.data.up30, d.g.dash)
	}
	return fmt.Sprintf("%s 24h %s (%d checks) · 7d %s · 30d %s",
		d.st.Bold.Render("uptime"), fmtUptime(up24, d.g.dash), up24.Checks, up7, up30)
}

func (d detailModel) lastCheckLine() string {
	s := d.svc
	if s.LastCheck.IsZero() {
		return d.st.Bold.Render("last check") + " never"
	}
	parts := []string{fmtAgo(d.now, s.LastCheck), fmtDur(s.LastLatency, d.g.dash)}
	if c := codeText(s.Kind, s.LastCode, s.LastError == ""); c != "" {
		parts = append(parts, c)
	}
	if s.LastNode != "" {
		parts = append(parts, "from "+s.LastNode)
	}
	line := d.st.Bold.Render("last check") + " " + strings.Join(parts, " · ")
	if s.LastError != "" {
		line += " · " + d.st.Error.Render(s.LastError)
	}
	return line
}

func (d detailModel) phasesLine() string {
	p := d.svc.LastPhases
	dur := func(v time.Duration) string { return fmtDur(v, d.g.dash) }
	return fmt.Sprintf("%s DNS %s · connect %s · TLS %s · first byte %s · transfer %s",
		d.st.Bold.Render("phases"), dur(p.DNS), dur(p.Connect), dur(p.TLS), dur(p.FirstByte), dur(p.Transfer))
}

// chartLines is the latency chart of the last hour, when room allows: it
// gets about half of what is left, 4 to 12 plot rows.
func (d detailModel) chartLines(room int) []string {
	if d.data == nil || room < 10 || d.width < chartMinW {
		return nil
	}
	from := d.now.Add(-time.Hour)
	if n := len(d.data.results); n > 0 && d.data.results[n-1].Start.After(from) {
		from = d.data.results[n-1].Start // a young service: use the width for what exists
	}
	rows := min(max(room/2-3, 4), 12)
	title := "latency, last 1h, slowest check per column"
	if t := d.svc.DegradedAfter; t > 0 {
		title += fmt.Sprintf(" (%s degraded after %s)", thresholdGlyph(d.g), fmtDur(t, d.g.dash))
	}
	plot := renderChart(chartSpec{results: d.data.results, from: from, to: d.now,
		width: d.width, height: rows, threshold: d.svc.DegradedAfter, g: d.g, dash: d.g.dash})
	if plot == nil {
		return []string{"", d.st.Bold.Render("latency, last 1h"), d.st.Dim.Render("no successful check in the last hour")}
	}
	return append([]string{"", d.st.Bold.Render(title)}, plot...)
}

// history is recent checks and incidents: side by side when wide, else
// one above the other.
func (d detailModel) history(room int) []string {
	if d.data == nil {
		return []string{"", d.st.Dim.Render("loading history…")}
	}
	if d.data.err != nil {
		return []string{"", d.st.Error.Render("history unavailable: " + d.data.err.Error())}
	}
	room = max(room-2, 3)
	checks, incs := d.checkLines(), d.incidentLines()
	if d.width >= 100 {
		left := d.width/2 - 1
		out := []string{"", fit(d.st.Bold.Render("recent checks"), left, "", false) + "  " + d.st.Bold.Render("incidents, last 30d")}
		for i := 0; i < min(max(len(checks), len(incs)), room); i++ {
			var l, r string
			if i < len(checks) {
				l = checks[i]
			}
			if i < len(incs) {
				r = incs[i]
			}
			out = append(out, fit(l, left, d.g.ellipsis, false)+"  "+r)
		}
		return out
	}
	out := []string{"", d.st.Bold.Render("recent checks")}
	out = append(out, checks[:min(len(checks), max(room/2, 1))]...)
	out = append(out, "", d.st.Bold.Render("incidents, last 30d"))
	return append(out, incs...)
}

func (d detailModel) checkLines() []string {
	rs := d.data.results
	if len(rs) == 0 {
		return []string{d.st.Dim.Render("no checks in the last hour")}
	}
	lines := make([]string, 0, min(len(rs), 50))
	for _, r := range rs[:min(len(rs), 50)] {
		// The check's own verdict, so a slow check shows as degraded here
		// exactly as it counted in the state machine.
		verdict := store.Classify(d.svc.Spec, r)
		mark := d.st.Status[verdict].Render(d.g.status[verdict])
		l := fmt.Sprintf("%s %s %6s", r.Start.Format("15:04:05"), mark, fmtDur(r.Duration, d.g.dash))
		if c := codeText(d.svc.Kind, r.Code, r.OK); c != "" {
			l += " " + c
		}
		if r.Err != "" {
			l += " " + d.st.Error.Render(r.Err)
		}
		if r.Warning != "" && r.OK {
			l += " " + d.st.Status[store.Degraded].Render(r.Warning)
		}
		lines = append(lines, l)
	}
	return lines
}

func (d detailModel) incidentLines() []string {
	incs := d.data.incidents
	if len(incs) == 0 {
		return []string{d.st.Dim.Render("none")}
	}
	lines := make([]string, 0, len(incs))
	for _, in := range incs {
		end := "ongoing"
		if !in.End.IsZero() {
			end = in.End.Format("15:04")
		}
		l := fmt.Sprintf("%s → %-7s %8s %s", in.Start.Format("Jan 2 15:04"), end,
			fmtSpan(in.Duration(d.now)), d.st.Status[statusIndex(in.Worst)].Render(d.g.statusLabel(in.Worst)))
		if in.Cause != "" {
			l += " " + d.st.Dim.Render(in.Cause)
		}
		lines = append(lines, l)
	}
	return lines
}
