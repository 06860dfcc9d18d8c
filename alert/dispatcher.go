package alert

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"text/template"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/uptop-dev/uptop/store"
)

// Feed is what the alerter reads: *store.Store satisfies it. Transitions
// and per-check verdicts are derived from successive snapshots (each
// carries its recent samples, so no check is missed when snapshots are
// coalesced).
type Feed interface {
	Snapshot() *store.Snapshot
	Subscribe() (changed <-chan struct{}, cancel func())
}

// Outbox is the durable queue of notifications: *store.Store satisfies it.
type Outbox interface {
	OutboxAdd(ctx context.Context, items ...store.OutboxItem) error
	OutboxDue(ctx context.Context, now time.Time, limit int) ([]store.OutboxItem, error)
	OutboxNext(ctx context.Context) (time.Time, bool, error)
	OutboxMark(ctx context.Context, id string, u store.OutboxUpdate) error
	OutboxRecent(ctx context.Context, limit int) ([]store.OutboxItem, error)
	// OutboxAddAnnounced adds items and records the announced states they
	// carry in one transaction; AlertStates reads the record back.
	OutboxAddAnnounced(ctx context.Context, states []store.AlertState, items ...store.OutboxItem) error
	AlertStates(ctx context.Context) (map[string]store.AlertState, error)
}

var (
	_ Feed   = (*store.Store)(nil)
	_ Outbox = (*store.Store)(nil)
)

// Options configure a Dispatcher.
type Options struct {
	Notifiers   []NotifierConfig
	Services    []ServiceRule
	Maintenance []Window
	Rules       RuleOptions
	Outbox      Outbox // required
	PageURL     string // the status page, linked from messages; "" = none

	Client *http.Client    // nil = a plain client (each attempt has its own timeout)
	Clock  clockwork.Clock // nil = real clock
	Logger *slog.Logger    // nil = discard

	// BackoffBase doubles on every failed attempt up to BackoffMax, with
	// jitter (defaults 5s and 10m). A receiver's Retry-After wins when longer.
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// TickEvery is how often reminders, group windows, maintenance ends and
	// flapping are looked at (default 1s).
	TickEvery time.Duration
}

// Dispatcher runs the rules over a Feed, writes every notification to the
// Outbox, then delivers it, retrying until it lands or gives up.
type Dispatcher struct {
	opt       Options
	clock     clockwork.Clock
	log       *slog.Logger
	cfgs      map[string]NotifierConfig
	notifiers map[string]Notifier
	tmpls     map[string]*template.Template
	rules     *Rules // owned by the Run goroutine
	kick      chan struct{}
	ready     chan struct{} // closed once the first snapshot is the baseline

	mu       sync.Mutex
	recent   []Delivery // oldest first, at most maxRecent
	inflight map[string]bool
}

const maxRecent = 200

// New validates the notifiers and builds a Dispatcher; call Run to start it.
func New(opt Options) (*Dispatcher, error) {
	if opt.Outbox == nil {
		return nil, fmt.Errorf("alert: no outbox: pass the store as Options.Outbox")
	}
	opt = withOptionDefaults(opt)
	d := &Dispatcher{
		opt: opt, clock: opt.Clock, log: opt.Logger, cfgs: map[string]NotifierConfig{},
		notifiers: map[string]Notifier{}, tmpls: map[string]*template.Template{},
		kick: make(chan struct{}, 1), inflight: map[string]bool{}, ready: make(chan struct{}),
	}
	for i := range opt.Notifiers {
		c := &opt.Notifiers[i]
		if err := c.Validate(); err != nil {
			return nil, err
		}
		if _, dup := d.cfgs[c.Name]; dup {
			return nil, fmt.Errorf("alert %q is defined twice: give each [[alert]] a unique name", c.Name)
		}
		n, err := registry[c.Type](*c, opt.Client)
		if err != nil {
			return nil, fmt.Errorf("alert %q: %w", c.Name, err)
		}
		d.cfgs[c.Name], d.notifiers[c.Name] = *c, n
		if c.Message != "" {
			d.tmpls[c.Name], _ = parseTemplate(c.Message) // checked by Validate
		}
	}
	for _, w := range opt.Maintenance {
		if err := w.Validate(); err != nil {
			return nil, err
		}
	}
	d.rules = NewRules(opt.Rules, opt.Notifiers, opt.Services, opt.Maintenance)
	return d, nil
}

func withOptionDefaults(opt Options) Options {
	if opt.Client == nil {
		opt.Client = &http.Client{}
	}
	if opt.Clock == nil {
		opt.Clock = clockwork.NewRealClock()
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.BackoffBase <= 0 {
		opt.BackoffBase = 5 * time.Second
	}
	if opt.BackoffMax <= 0 {
		opt.BackoffMax = 10 * time.Minute
	}
	if opt.TickEvery <= 0 {
		opt.TickEvery = time.Second
	}
	return opt
}

// Run watches feed and delivers until ctx is done. A nil feed only
// delivers what the outbox holds (and what Enqueue adds).
func (d *Dispatcher) Run(ctx context.Context, feed Feed) error {
	d.loadRecent(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		d.deliverLoop(ctx)
	}()
	if feed != nil {
		d.watch(ctx, feed)
	} else {
		close(d.ready)
	}
	wg.Wait()
	return nil
}

// Ready is closed once Run has subscribed to its feed, taken the current
// snapshot as the baseline and queued what the baseline owed (alerts a
// crash interrupted): changes after that are alerted.
func (d *Dispatcher) Ready() <-chan struct{} { return d.ready }

// Enqueue renders notifications and writes them to the outbox, then wakes
// the delivery worker. Writing first is what makes delivery durable.
func (d *Dispatcher) Enqueue(ctx context.Context, ns []Notification) error {
	return d.enqueue(ctx, ns, nil)
}

// enqueue writes ns and, in the same transaction, the announced states
// they carry.
func (d *Dispatcher) enqueue(ctx context.Context, ns []Notification, states []store.AlertState) error {
	if len(ns) == 0 && len(states) == 0 {
		return nil
	}
	now := d.clock.Now()
	items := make([]store.OutboxItem, 0, len(ns))
	for _, n := range ns {
		it, err := d.outboxItem(n, now)
		if err != nil {
			d.log.Error("alert: cannot render a notification", "notifier", n.Notifier, "err", err)
			continue
		}
		items = append(items, it)
	}
	if err := d.opt.Outbox.OutboxAddAnnounced(ctx, states, items...); err != nil {
		return err
	}
	for _, it := range items {
		d.record(Delivery{ID: it.ID, At: now, Notifier: it.Notifier, Event: Kind(it.Kind), Service: it.Service, Result: "pending"})
	}
	d.wake()
	return nil
}

func (d *Dispatcher) wake() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// Test sends a test message through one notifier now, bypassing the
// outbox, and returns what the receiver answered.
func (d *Dispatcher) Test(ctx context.Context, name string) (Response, error) {
	n, ok := d.notifiers[name]
	if !ok {
		return Response{}, fmt.Errorf("no alert named %q: use one of the [[alert]] names in the config", name)
	}
	now := d.clock.Now()
	ev := Event{ID: eventID("test", name, now.String()), Kind: KindTest, Service: "uptop", ServiceID: "uptop", Status: store.Up, At: now}
	m, err := buildMessage(newNotification(name, KindTest, []Event{ev}), d.tmpls[name], d.opt.PageURL)
	if err != nil {
		return Response{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, d.cfgs[name].Timeout)
	defer cancel()
	return n.Send(ctx, m)
}
