package tui

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/jonboulle/clockwork"

	"github.com/uptop-dev/uptop/store"
)

// Messages the program's commands send back to Update.
type (
	// snapshotMsg carries a new snapshot after a change signal.
	snapshotMsg struct{ snap *store.Snapshot }
	// tickMsg updates the "ago" texts and expires notices.
	tickMsg time.Time
	// detailDataMsg is the detail view's fetched history.
	detailDataMsg struct{ data detailData }
	// detailDueMsg says the detail refresh's rate limit has passed.
	detailDueMsg struct{}
	// recheckMsg is a finished Recheck request.
	recheckMsg struct {
		name string
		err  error
	}
)

const (
	redrawGap     = 100 * time.Millisecond // at most ~10 redraws a second
	detailGap     = time.Second            // at most one round of DB queries a second
	noticeTTL     = 4 * time.Second
	queryTimeout  = 5 * time.Second
	resultsLimit  = 5000 // an hour of 1 s checks, with room
	incidentLimit = 20
)

// waitChange blocks until the source signals a change, then waits out the
// redraw gap so a burst of changes becomes one redraw (the channel is
// 1-slot and coalesced, so nothing is lost meanwhile).
func waitChange(src Source, changed <-chan struct{}, done <-chan struct{}, clock clockwork.Clock) tea.Cmd {
	return func() tea.Msg {
		select {
		case _, ok := <-changed:
			if !ok {
				return nil
			}
		case <-done:
			return nil
		}
		select {
		case <-clock.After(redrawGap):
		case <-done:
			return nil
		}
		return snapshotMsg{snap: src.Snapshot()}
	}
}

// after sends msg once d has passed on the clock.
func after(clock clockwork.Clock, done <-chan struct{}, d time.Duration, msg tea.Msg) tea.Cmd {
	return func() tea.Msg {
		select {
		case <-clock.After(d):
			return msg
		case <-done:
			return nil
		}
	}
}

func tick(clock clockwork.Clock, done <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		select {
		case <-clock.After(time.Second):
			return tickMsg(clock.Now())
		case <-done:
			return nil
		}
	}
}

// fetchDetail runs the detail view's queries.
func fetchDetail(src Source, id string, now time.Time) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
		defer cancel()
		d := detailData{id: id, at: now}
		var errs [5]error
		d.results, errs[0] = src.Results(ctx, id, now.Add(-time.Hour), now, resultsLimit)
		d.incidents, errs[1] = src.Incidents(ctx, id, now.Add(-30*24*time.Hour), incidentLimit)
		d.up24, errs[2] = src.Uptime(ctx, id, 24*time.Hour)
		d.up7, errs[3] = src.Uptime(ctx, id, 7*24*time.Hour)
		d.up30, errs[4] = src.Uptime(ctx, id, 30*24*time.Hour)
		d.err = errors.Join(errs[:]...)
		d.deliveries, d.alerting = fetchDeliveries(src, id)
		return detailDataMsg{data: d}
	}
}

func recheck(src Source, id, name string) tea.Cmd {
	return func() tea.Msg { return recheckMsg{name: name, err: src.Recheck(id)} }
}
