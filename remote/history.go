package remote

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/statusd/wire"
	"github.com/uptop-dev/uptop/store"
)

// Results are a service's stored checks in [from, to], newest first.
func (c *Client) Results(ctx context.Context, id string, from, to time.Time, limit int) ([]probe.Result, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	var checks []wire.Check
	if err := c.getJSON(ctx, fmt.Sprintf("/api/v1/services/%s/checks?limit=%d", url.PathEscape(id), limit), &checks); err != nil {
		return nil, err
	}
	out := make([]probe.Result, 0, len(checks))
	for _, ch := range checks {
		if (from.IsZero() || !ch.Start.Before(from)) && (to.IsZero() || !ch.Start.After(to)) {
			out = append(out, wire.ToResult(id, ch))
		}
	}
	return out, nil
}

// Incidents are newest first; id "" asks every service.
func (c *Client) Incidents(ctx context.Context, id string, since time.Time, limit int) ([]store.Incident, error) {
	if id == "" {
		var all []store.Incident
		for _, st := range c.Snapshot().Services {
			incs, err := c.Incidents(ctx, st.ID, since, limit)
			if err != nil {
				return nil, err
			}
			all = append(all, incs...)
		}
		return all, nil
	}
	days := int(time.Since(since)/(24*time.Hour)) + 1
	days = max(1, min(days, 400))
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	var incs []wire.Incident
	if err := c.getJSON(ctx, fmt.Sprintf("/api/v1/services/%s/incidents?days=%d&limit=%d", url.PathEscape(id), days, limit), &incs); err != nil {
		return nil, err
	}
	out := make([]store.Incident, 0, len(incs))
	for _, i := range incs {
		inc := wire.ToIncident(i)
		inc.ServiceID = id
		if inc.End.IsZero() || !inc.End.Before(since) {
			out = append(out, inc)
		}
	}
	return out, nil
}

// Uptime is the share of successful checks over the last window.
func (c *Client) Uptime(ctx context.Context, id string, window time.Duration) (store.Uptime, error) {
	var u struct {
		Ratio    *float64 `json:"ratio"`
		Checks   int      `json:"checks"`
		Failures int      `json:"failures"`
	}
	if err := c.getJSON(ctx, fmt.Sprintf("/api/v1/services/%s/uptime?window=%s", url.PathEscape(id), window), &u); err != nil {
		return store.Uptime{}, err
	}
	out := store.Uptime{Checks: u.Checks, Fails: u.Failures}
	if u.Ratio != nil {
		out.Ratio = *u.Ratio
	}
	return out, nil
}
