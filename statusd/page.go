package statusd

import (
	"embed"
	"html/template"
	"io"
	"net/http"
	"time"

	"github.com/uptop-dev/uptop/statusd/wire"
	"github.com/uptop-dev/uptop/store"
)

//go:embed templates/page.html
var templateFS embed.FS

var pageTmpl = template.Must(template.ParseFS(templateFS, "templates/page.html"))

var (
	statusIcons = [...]string{"?", "✔", "▲", "✖", "⚙", "‖"}
	statusWords = [...]string{"Unknown", "Up", "Degraded", "Down", "Maintenance", "Paused"}
	bannerIcons = map[string]string{"operational": "✔", "degraded": "▲", "partial_outage": "✖", "major_outage": "✖", "maintenance": "⚙"}
	greyBars    = barsSVG(makeBars(nil))
)

type pageData struct {
	Title, Description string
	Overall            wire.Overall
	BannerIcon         string
	Counts             store.Counts
	Updated            string // "2026-01-02 15:04:05 UTC"
	UpdatedISO         string
	SnapVersion        uint64
	Version            string
	Asset              string
	BarDefs            template.HTML
	Groups             []pageGroup
	Incidents          []pageIncident
}

type pageGroup struct {
	Name string
	Rows []pageRow
}

type pageRow struct {
	ID, Name, Description, Target string
	Status, Word, Icon            string
	Latency, U24, U30, U90        string
	Bars, Spark                   template.HTML
}

type pageIncident struct {
	Service, Worst, Start, End, Duration, Cause string
	Open                                        bool
}

// page serves the status page: rendered once per view, gzipped once.
func (s *server) page(w http.ResponseWriter, r *http.Request) {
	body, err := s.pages.get(func() (*cachedBody, error) { return s.views.get(r.Context()).pageBody(s) })
	if err != nil {
		s.opt.Logger.Error("render status page", "err", err)
		http.Error(w, "render status page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	body.serve(w, r)
}

func (s *server) renderPage(out io.Writer, v *view) error {
	d := pageData{
		Title: s.opt.Title, Description: s.opt.Description, Overall: v.overall,
		BannerIcon: bannerIcons[v.overall.Status], Counts: v.snap.Counts, SnapVersion: v.snap.Version,
		Version: s.opt.Version, Asset: assetVersion, BarDefs: barDefs,
		Updated: v.snap.At.UTC().Format("2006-01-02 15:04:05 UTC"), UpdatedISO: v.snap.At.UTC().Format(time.RFC3339Nano),
	}
	names := make(map[string]*store.ServiceState, len(v.snap.Services))
	groupAt := map[string]int{}
	for i, st := range v.snap.Services {
		names[st.ID] = st
		gi, ok := groupAt[st.Group]
		if !ok {
			gi = len(d.Groups)
			groupAt[st.Group] = gi
			d.Groups = append(d.Groups, pageGroup{Name: st.Group})
		}
		d.Groups[gi].Rows = append(d.Groups[gi].Rows, s.row(st, &v.svcs[i], v.hist))
	}
	if len(d.Groups) > 1 {
		for i := range d.Groups {
			if d.Groups[i].Name == "" {
				d.Groups[i].Name = "Other services"
			}
		}
	}
	for _, inc := range v.hist.incidents {
		d.Incidents = append(d.Incidents, incidentRow(inc, names[inc.ServiceID], v.snap.At, s.opt.ShowTargets))
	}
	return pageTmpl.Execute(out, d)
}

func (s *server) row(st *store.ServiceState, w *wire.Service, h *historyData) pageRow {
	r := pageRow{
		ID: st.ID, Name: st.Name, Description: st.Description, Target: w.Target,
		Status: st.Status.String(), Word: statusWords[st.Status%6], Icon: statusIcons[st.Status%6],
		Latency: "—", U24: uptimeText(st.Uptime24h), U30: "—", U90: "—", Bars: greyBars, Spark: sparkSVG(nil),
	}
	if !st.LastCheck.IsZero() {
		r.Latency = latencyText(max(st.LastLatency, time.Microsecond))
	}
	if sh := h.svc[st.ID]; sh != nil {
		r.U30, r.U90, r.Bars, r.Spark = uptimeText(sh.up30), uptimeText(sh.up90), sh.barsSVG, sh.sparkSVG
	}
	return r
}

func incidentRow(inc store.Incident, st *store.ServiceState, now time.Time, show bool) pageIncident {
	name, target := inc.ServiceID, ""
	if st != nil {
		name, target = st.Name, st.Target
	}
	p := pageIncident{
		Service: name, Worst: inc.Worst.String(), Start: inc.Start.UTC().Format("Jan 2 15:04 UTC"),
		End: "ongoing", Duration: inc.Duration(now).Round(time.Second).String(), Cause: wire.Clean(inc.Cause, target, show),
		Open: inc.End.IsZero(),
	}
	if !p.Open {
		p.End = inc.End.UTC().Format("Jan 2 15:04 UTC")
	}
	return p
}
