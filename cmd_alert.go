package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uptop-dev/uptop/alert"
	"github.com/uptop-dev/uptop/config"
	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/statusd"
	"github.com/uptop-dev/uptop/store"
	"github.com/uptop-dev/uptop/tui"
)

// runAlert is `uptop alert test NAME`: one test message through one
// notifier, bypassing the outbox, and what the receiver answered.
func runAlert(ctx context.Context, args []string, e *env) int {
	var c common
	fs := newFlags("alert", "send a test message through one [[alert]] notifier and print what its receiver answered", e)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "uptop alert: send a test message through one [[alert]] notifier\n\n"+
			"Usage: uptop alert test NAME [flags]\n\nExit 0 when the receiver answers 2xx, 1 otherwise, 2 on a config error or an unknown name.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	c.register(fs, false)
	if len(args) > 0 && args[0] == "test" {
		args = args[1:]
	} else if len(args) == 0 || !strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(e.stderr, "uptop alert: write uptop alert test NAME (see --help)\n")
		return exitConfig
	}
	name, code, done := parseWithName(fs, args)
	if done {
		return code
	}
	cfg, ok := loadConfig(c.config, e)
	if !ok {
		return exitConfig
	}
	notifiers, _, _, _ := cfg.AlertOptions()
	names := make([]string, 0, len(notifiers))
	for _, n := range notifiers {
		names = append(names, n.Name)
	}
	if !slices.Contains(names, name) {
		fmt.Fprintf(e.stderr, "uptop: no [[alert]] named %q in %s; the names are: %s\n", name, cfg.Path, listOrNone(names))
		return exitConfig
	}
	return sendTest(ctx, cfg, notifiers, name, e)
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "(none: add an [[alert]] section)"
	}
	return strings.Join(names, ", ")
}

// sendTest builds a Dispatcher over a throw-away memory outbox (a test
// message is never queued) and sends through one notifier.
func sendTest(ctx context.Context, cfg *config.File, notifiers []alert.NotifierConfig, name string, e *env) int {
	ob, err := store.Open(nil, store.Options{})
	if err != nil {
		fmt.Fprintf(e.stderr, "uptop: %v\n", err)
		return exitConfig
	}
	defer ob.Close()
	d, err := alert.New(alert.Options{Notifiers: notifiers, Outbox: ob, PageURL: pageURL(cfg, "")})
	if err != nil {
		fmt.Fprintf(e.stderr, "uptop: %v\n", err)
		return exitConfig
	}
	resp, err := d.Test(ctx, name)
	var se *alert.SendError
	if errors.As(err, &se) && se.Code != 0 {
		resp.Code = se.Code
	}
	if resp.Code != 0 {
		fmt.Fprintf(e.stdout, "%s answered %d\n", name, resp.Code)
		if body := excerpt(resp.Body); body != "" {
			fmt.Fprintf(e.stdout, "%s\n", body)
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "uptop: alert %q: %s\n", name, probe.Redact(err.Error()))
		return exitDown
	}
	if resp.Code < 200 || resp.Code > 299 {
		return exitDown
	}
	return exitOK
}

// excerpt is the start of a receiver's answer on one line. The notifier has
// already removed its secrets from it (a receiver may echo what it was
// sent); Redact is the net behind that for URLs in the text.
func excerpt(body string) string {
	body = strings.Join(strings.Fields(body), " ")
	if len(body) > 300 {
		body = body[:300] + "…"
	}
	return probe.Redact(body)
}

// pageURL is the status page linked from alerts: the [http] listen
// address with the port it was bound to (bound, when known), "" without
// [http]. A public URL key, when the config grows one, belongs here.
func pageURL(cfg *config.File, bound string) string {
	if cfg.HTTP == nil {
		return ""
	}
	base := baseURL("", cfg) // the configured host, a wildcard as localhost
	if u, err := url.Parse(bound); err == nil && u.Port() != "" {
		if host, _, err := net.SplitHostPort(strings.TrimPrefix(base, "http://")); err == nil {
			base = "http://" + net.JoinHostPort(host, u.Port()) // listen = ":0" picks the port
		}
	}
	return base + "/"
}

// maintenanceFunc is the store's view of the [[maintenance]] windows.
func maintenanceFunc(windows []alert.Window) func(string, time.Time) bool {
	if len(windows) == 0 {
		return nil
	}
	return func(id string, t time.Time) bool {
		for _, w := range windows {
			if w.Active(id, t) {
				return true
			}
		}
		return false
	}
}

// outboxKeep is how long delivered and failed notifications stay listed.
const outboxKeep = 7 * 24 * time.Hour

// startAlerts runs a Dispatcher over st until stop is called (before the
// store closes), and prunes the outbox daily. With no [[alert]] it runs
// nothing and returns a nil Dispatcher.
func startAlerts(ctx context.Context, cfg *config.File, st *store.Store, page string, logger *slog.Logger) (*alert.Dispatcher, func(), error) {
	notifiers, services, windows, rules := cfg.AlertOptions()
	if len(notifiers) == 0 {
		return nil, func() {}, nil
	}
	d, err := alert.New(alert.Options{Notifiers: notifiers, Services: services, Maintenance: windows,
		Rules: rules, Outbox: st, PageURL: page, Logger: logger})
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		d.Run(ctx, st)
	}()
	go func() {
		defer wg.Done()
		pruneOutbox(ctx, st, logger)
	}()
	logger.Info("alerts", "notifiers", len(notifiers))
	return d, func() { cancel(); wg.Wait() }, nil
}

func pruneOutbox(ctx context.Context, st *store.Store, logger *slog.Logger) {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		if n, err := st.OutboxPrune(ctx, time.Now().Add(-outboxKeep)); err != nil && ctx.Err() == nil {
			logger.Warn("could not prune the alert outbox; will retry tomorrow", "err", err)
		} else if n > 0 {
			logger.Info("pruned the alert outbox", "rows", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// alertsSource adapts the Dispatcher, once it runs, to the views that list
// recent deliveries (statusd's /api/v1/alerts, the TUI's detail view).
type alertsSource struct {
	d atomic.Pointer[alert.Dispatcher]
}

func (a *alertsSource) set(d *alert.Dispatcher) {
	if a != nil && d != nil {
		a.d.Store(d)
	}
}

func (a *alertsSource) recent(limit int) []alert.Delivery {
	if a == nil {
		return nil
	}
	d := a.d.Load()
	if d == nil {
		return nil
	}
	return d.Recent(limit)
}

// RecentDeliveries implements statusd.Alerts.
func (a *alertsSource) RecentDeliveries(limit int) []statusd.Delivery {
	ds := a.recent(limit)
	out := make([]statusd.Delivery, len(ds))
	for i, d := range ds {
		out[i] = statusd.Delivery{ID: d.ID, At: d.At, Notifier: d.Notifier, Event: string(d.Event), Service: d.Service,
			Result: d.Result, Attempts: d.Attempts, Code: d.Code, Error: d.Error}
	}
	return out
}

// alertingSource is the TUI's source in a process that sends alerts: it
// adds the recent deliveries (tui.DeliverySource) to the local source.
type alertingSource struct {
	localSource
	alerts *alertsSource
}

// tuiSource is ls, with deliveries when this process alerts.
func tuiSource(ls localSource, a *alertsSource, alerting bool) tui.Source {
	if !alerting {
		return ls
	}
	return alertingSource{localSource: ls, alerts: a}
}

// Deliveries lists the deliveries about one service, newest first.
func (s alertingSource) Deliveries(id string, limit int) []tui.Delivery {
	st, ok := s.Snapshot().Service(id)
	if !ok {
		return nil
	}
	return deliveriesFor(st.Name, s.alerts.recent(200), limit)
}

// deliveriesFor keeps the deliveries that name service (grouped messages
// name several and are left out), at most limit, in the given order.
func deliveriesFor(service string, ds []alert.Delivery, limit int) []tui.Delivery {
	var out []tui.Delivery
	for _, d := range ds {
		if len(out) >= limit {
			break
		}
		if d.Service == service {
			out = append(out, tui.Delivery{At: d.At, Notifier: d.Notifier, Event: string(d.Event), Result: d.Result, Attempts: d.Attempts})
		}
	}
	return out
}

var _ tui.DeliverySource = alertingSource{}
