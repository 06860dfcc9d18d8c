package statusd

import (
	"net/http"
	"time"

	"github.com/uptop-dev/uptop/statusd/wire"
	"github.com/uptop-dev/uptop/store"
)

// The Atlassian Statuspage v2 public API shapes, so existing integrations
// (dashboards, chat bots, aggregators) can read uptop without changes.

type spPage struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	URL       string    `json:"url"`
	TimeZone  string    `json:"time_zone"`
	UpdatedAt time.Time `json:"updated_at"`
}

type spStatus struct {
	Indicator   string `json:"indicator"` // none, minor, major, critical
	Description string `json:"description"`
}

type spComponent struct {
	ID                 string    `json:"id"`
	Name               string    `json:"name"`
	Status             string    `json:"status"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
	Position           int       `json:"position"`
	Description        *string   `json:"description"`
	Showcase           bool      `json:"showcase"`
	StartDate          *string   `json:"start_date"`
	GroupID            *string   `json:"group_id"`
	PageID             string    `json:"page_id"`
	Group              bool      `json:"group"`
	OnlyShowIfDegraded bool      `json:"only_show_if_degraded"`
	Components         []string  `json:"components,omitempty"`
}

type spIncident struct {
	ID         string        `json:"id"`
	Name       string        `json:"name"`
	Status     string        `json:"status"`
	CreatedAt  time.Time     `json:"created_at"`
	UpdatedAt  time.Time     `json:"updated_at"`
	ResolvedAt *time.Time    `json:"resolved_at"`
	Impact     string        `json:"impact"`
	Shortlink  string        `json:"shortlink"`
	StartedAt  time.Time     `json:"started_at"`
	PageID     string        `json:"page_id"`
	Updates    []spUpdate    `json:"incident_updates"`
	Components []spComponent `json:"components"`
}

type spUpdate struct {
	ID        string    `json:"id"`
	Status    string    `json:"status"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

const spPageID = "uptop"

// spComponentStatus maps a service status to a component status.
func spComponentStatus(s store.Status) string {
	switch s {
	case store.Degraded:
		return "degraded_performance"
	case store.Down:
		return "major_outage"
	case store.Maintenance:
		return "under_maintenance"
	}
	return "operational"
}

var spIndicators = map[string]string{
	"operational": "none", "maintenance": "maintenance", "degraded": "minor",
	"partial_outage": "major", "major_outage": "critical",
}

func (s *server) spBase(r *http.Request, v *view) (spPage, spStatus) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return spPage{ID: spPageID, Name: s.opt.Title, URL: scheme + "://" + r.Host, TimeZone: "Etc/UTC", UpdatedAt: v.snap.At.UTC()},
		spStatus{Indicator: spIndicators[v.overall.Status], Description: v.overall.Text}
}

// spComponentsOf lists services as components and groups as group
// components (a group is as bad as its worst member).
func spComponentsOf(v *view) []spComponent {
	at := v.snap.At.UTC()
	var out []spComponent
	groups := map[string]int{}
	for i, st := range v.snap.Services {
		c := spComponent{ID: st.ID, Name: st.Name, Status: spComponentStatus(st.Status), CreatedAt: at, UpdatedAt: at,
			Position: i + 1, PageID: spPageID, Showcase: true}
		if !st.Since.IsZero() {
			c.UpdatedAt = st.Since.UTC()
		}
		if st.Description != "" {
			c.Description = &st.Description
		}
		if st.Group != "" {
			gid := "group-" + st.Group
			c.GroupID = &gid
			gi, ok := groups[st.Group]
			if !ok {
				gi = len(out)
				groups[st.Group] = gi
				out = append(out, spComponent{ID: gid, Name: st.Group, Status: "operational", CreatedAt: at, UpdatedAt: at,
					Position: i + 1, PageID: spPageID, Group: true})
			}
			g := &out[gi]
			g.Components = append(g.Components, st.ID)
			if spRank[c.Status] > spRank[g.Status] {
				g.Status = c.Status
			}
		}
		out = append(out, c)
	}
	return out
}

var spRank = map[string]int{"operational": 0, "under_maintenance": 1, "degraded_performance": 2, "partial_outage": 3, "major_outage": 4}

func (s *server) spStatus(w http.ResponseWriter, r *http.Request) {
	v := s.views.get(r.Context())
	page, st := s.spBase(r, v)
	writeJSON(w, http.StatusOK, map[string]any{"page": page, "status": st})
}

func (s *server) spComponents(w http.ResponseWriter, r *http.Request) {
	v := s.views.get(r.Context())
	page, _ := s.spBase(r, v)
	writeJSON(w, http.StatusOK, map[string]any{"page": page, "components": spComponentsOf(v)})
}

func (s *server) spSummary(w http.ResponseWriter, r *http.Request) {
	v := s.views.get(r.Context())
	page, st := s.spBase(r, v)
	comps := spComponentsOf(v)
	incs := []spIncident{}
	for i, ss := range v.snap.Services {
		if inc := ss.OpenIncident; inc != nil {
			incs = append(incs, spIncidentOf(ss, *inc, comps, v.svcs[i], page, s.opt.ShowTargets))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"page": page, "status": st, "components": comps, "incidents": incs, "scheduled_maintenances": []any{},
	})
}

func spIncidentOf(ss *store.ServiceState, inc store.Incident, comps []spComponent, sv wire.Service, page spPage, show bool) spIncident {
	impact := "minor"
	if inc.Worst == store.Down {
		impact = "major"
	}
	start := inc.Start.UTC()
	id := ss.ID + "-" + start.Format("20060102T150405Z")
	out := spIncident{
		ID: id, Name: ss.Name + " is " + inc.Worst.String(), Status: "investigating", CreatedAt: start, UpdatedAt: start,
		Impact: impact, Shortlink: page.URL + "/", StartedAt: start, PageID: spPageID,
		Updates: []spUpdate{{ID: id + "-0", Status: "investigating", Body: wire.Clean(inc.Cause, ss.Target, show), CreatedAt: start}},
	}
	for _, c := range comps {
		if c.ID == sv.ID {
			out.Components = append(out.Components, c)
		}
	}
	return out
}
