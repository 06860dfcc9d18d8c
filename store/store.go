package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/uptop-dev/uptop/probe"
)

// Options configure a Store. The zero value (plus specs) is a memory-only
// store on the real clock.
type Options struct {
	Path         string          // SQLite file (created with its directory); "" = memory only, no persistence
	Node         string          // this node's name, used for results that carry none
	Clock        clockwork.Clock // nil = real clock
	FlushEvery   time.Duration   // persistence batch interval, default 500ms (a crash loses ≤ ~1 s)
	PublishEvery time.Duration   // min gap between snapshots, default 50ms (coalesces bursts)
	Logger       *slog.Logger    // nil = discard
	// RetainRaw is how long every result is kept (config retention.raw);
	// 0 = DefaultRetainRaw. RetainRollups is how long the hourly and daily
	// rollups and the transitions are kept (retention.rollups); 0 =
	// DefaultRetainRollups. A periodic job deletes older rows in small batches.
	RetainRaw     time.Duration
	RetainRollups time.Duration
	// InMaintenance reports whether a service is in a maintenance window at
	// t (main builds it from the config's [[maintenance]] windows); nil =
	// never. It is called from the ingest path and a ticker: keep it cheap
	// and safe for concurrent use. See maintenance.go.
	InMaintenance func(id string, t time.Time) bool
}

// Retention defaults, the same as config's.
const (
	DefaultRetainRaw     = 7 * 24 * time.Hour
	DefaultRetainRollups = 400 * 24 * time.Hour
)

// Store ingests results and serves live snapshots and stored history.
type Store struct {
	opt   Options
	clock clockwork.Clock
	log   *slog.Logger

	services []*service
	byID     map[string]*service // read-only after Open

	snap    atomic.Pointer[Snapshot]
	pub     publisher
	subs    subscribers
	db      *sql.DB
	q       stmts // prepared queries over db
	w       *writer
	unknown atomic.Uint64 // results for ids not in the specs

	done      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

// service is one service's live state; mu guards everything below it.
type service struct {
	idx  int
	spec Spec

	mu          sync.Mutex
	m           machine
	ring        ring
	hours       hours
	last        probe.Result
	lastFailure *Failure // immutable once set: replaced, never mutated
	dirty       bool     // changed since the publisher last rebuilt it
}

var _ probe.Sink = (*Store)(nil)

// Open opens (or creates) the store's database, restores each service's
// state from it and starts the publisher and writer goroutines. Services in
// the file but not in specs are ignored and left on disk.
func Open(specs []Spec, opt Options) (*Store, error) {
	opt = withDefaults(opt)
	s := &Store{opt: opt, clock: opt.Clock, log: opt.Logger, byID: make(map[string]*service, len(specs)), done: make(chan struct{})}
	for i, sp := range specs {
		if _, dup := s.byID[sp.ID]; dup {
			return nil, fmt.Errorf("service id %q is listed twice: give each service a unique id", sp.ID)
		}
		sv := &service{idx: i, spec: sp, ring: newRing(ringSize(sp.Interval))}
		s.services = append(s.services, sv)
		s.byID[sp.ID] = sv
	}
	db, err := openDB(opt.Path)
	if err != nil {
		return nil, err
	}
	s.db = db
	s.q.db = db
	ctx := context.Background()
	if err := saveServices(ctx, db, specs, s.clock.Now()); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.restore(ctx); err != nil {
		s.q.close()
		db.Close()
		return nil, err
	}
	s.w = newWriter(db, s.log)
	s.pub.init(len(specs))
	s.maintenanceEdges(s.clock.Now()) // a window already on (or over since a restart)
	s.snap.Store(s.firstSnapshot())
	s.wg.Add(3)
	go s.runPublisher()
	go s.w.run(s.clock, opt.FlushEvery, s.done, &s.wg)
	go s.runPrune()
	if opt.InMaintenance != nil {
		s.wg.Add(1)
		go s.runMaintenance()
	}
	return s, nil
}

func withDefaults(opt Options) Options {
	if opt.Clock == nil {
		opt.Clock = clockwork.NewRealClock()
	}
	if opt.FlushEvery <= 0 {
		opt.FlushEvery = 500 * time.Millisecond
	}
	if opt.PublishEvery <= 0 {
		opt.PublishEvery = 50 * time.Millisecond
	}
	if opt.RetainRaw <= 0 {
		opt.RetainRaw = DefaultRetainRaw
	}
	if opt.RetainRollups <= 0 {
		opt.RetainRollups = DefaultRetainRollups
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return opt
}

// Ingest records one result. It never blocks on disk or on readers: the
// state update takes only the service's own lock, persistence is an append
// to the writer's batch, and the publisher is woken without waiting.
func (s *Store) Ingest(r probe.Result) {
	sv, ok := s.byID[r.ServiceID]
	if !ok {
		if s.unknown.Add(1) == 1 {
			s.log.Warn("store: result for a service not in the config is ignored", "service", r.ServiceID)
		}
		return
	}
	if r.Node == "" {
		r.Node = s.opt.Node
	}
	var now time.Time
	if s.opt.InMaintenance != nil {
		now = s.clock.Now()
	}
	inMaint := s.inMaintenance(r.ServiceID, now)
	sv.mu.Lock()
	// The window edge first, so the check counts where it was taken; its
	// own change of status, if any, is then silent inside a window.
	edge := now
	if !inMaint && r.Start.Before(edge) {
		edge = r.Start // a window that ended is over before this check's own transition
	}
	mtr := sv.m.setMaint(r.ServiceID, inMaint, edge, r.Node)
	tr := sv.observe(r)
	maint := sv.m.maint
	wasDirty := sv.dirty
	sv.dirty = true
	sv.mu.Unlock()

	s.w.addResult(r, maint, mtr, tr)
	if !wasDirty {
		s.pub.markDirty(sv.idx)
	}
	s.pub.kick()
}

// observe applies r to the live state. The caller holds sv.mu.
func (sv *service) observe(r probe.Result) *Transition {
	verdict, tr := sv.m.step(&sv.spec, r)
	at := r.Start.UnixMilli()
	sv.ring.push(Sample{AtMilli: at, LatencyUS: latencyUS(r.Duration), Status: verdict})
	var fail uint32
	if !r.OK {
		fail = 1
		sv.lastFailure = &Failure{At: r.Start, Error: failCause(r), Code: r.Code}
	}
	if !sv.m.maint { // maintenance checks count in no uptime figure
		sv.hours.add(at, 1, fail)
	}
	sv.last = r
	return tr
}

func latencyUS(d time.Duration) uint32 {
	return uint32(min(max(d.Microseconds(), 0), latencyMask))
}

// Snapshot returns the latest published snapshot; never nil.
func (s *Store) Snapshot() *Snapshot { return s.snap.Load() }

// Sync writes pending results and transitions to the database and publishes
// pending changes now, so that queries and Snapshot reflect every Ingest
// that returned before it was called.
func (s *Store) Sync() error {
	s.publish()
	return s.w.flush()
}

// syncForQuery flushes before a query reads the database; a failing flush
// is already logged and must not hide what is stored.
func (s *Store) syncForQuery() {
	if s.w != nil { // nil while Open restores
		_ = s.w.flush()
	}
}

// Close stops the goroutines, flushes pending writes and closes the file.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		close(s.done)
		s.wg.Wait()
		s.publish()
		err := s.w.flush()
		s.q.close()
		if cerr := s.db.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close the database: %w", cerr)
		}
		s.closeErr = err
	})
	return s.closeErr
}
