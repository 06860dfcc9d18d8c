package probe

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// Push is the last heartbeat a job sent for one service.
type Push struct {
	At   time.Time
	Down bool   // the job said ?status=down
	Msg  string // the job's ?msg=, already cleaned and capped
}

// PushBook holds the last push per service id, in memory. The push
// endpoint writes it and the push checkers read it; it is made once by the
// caller and passed to both (no package-level book). Safe for concurrent use.
type PushBook struct {
	clock clockwork.Clock
	mu    sync.Mutex
	last  map[string]Push
	since time.Time // when the book was made: pushes are only awaited from then
}

// NewPushBook returns an empty book timed by clock (nil: the real clock).
func NewPushBook(clock clockwork.Clock) *PushBook {
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	return &PushBook{clock: clock, last: map[string]Push{}, since: clock.Now()}
}

// Record notes a push for service id, now.
func (b *PushBook) Record(id string, down bool, msg string) {
	b.mu.Lock()
	b.last[id] = Push{At: b.clock.Now(), Down: down, Msg: msg}
	b.mu.Unlock()
}

// Last is the latest push for id; ok is false when none came yet.
func (b *PushBook) Last(id string) (p Push, ok bool) {
	b.mu.Lock()
	p, ok = b.last[id]
	b.mu.Unlock()
	return p, ok
}

// DefaultPushGrace is how late a push may be before the service is down.
const DefaultPushGrace = time.Minute

// pushChecker judges one service's heartbeats in a PushBook: down when
// none came within Every + Grace (or the job said down), degraded while
// the first is still awaited.
type pushChecker struct {
	id    string
	book  *PushBook
	every time.Duration
	grace time.Duration
}

var _ Checker = (*pushChecker)(nil)

// NewPushFactory returns the "push" Factory over book. Register it on a
// Registry where pushes are received (uptop serve): reg["push"] =
// probe.NewPushFactory(book). NewRegistry's default "push" has no book and
// builds checkers that report degraded: "not known here".
func NewPushFactory(book *PushBook) Factory {
	return func(t Target) (Checker, error) {
		every := t.Push.Every
		if every <= 0 {
			every = t.Interval
		}
		if every <= 0 {
			return nil, errors.New("a push check needs an interval: how often the job pushes, e.g. interval = \"1h\"")
		}
		if t.Push.Grace < 0 {
			return nil, fmt.Errorf("grace %s is negative; use e.g. grace = \"5m\"", t.Push.Grace)
		}
		grace := t.Push.Grace
		if grace == 0 {
			grace = DefaultPushGrace
		}
		if book == nil {
			return noPushEndpoint{}, nil
		}
		return &pushChecker{id: t.ID, book: book, every: every, grace: grace}, nil
	}
}

// Check reads the book; it never blocks.
func (c *pushChecker) Check(context.Context) Result {
	now := c.book.clock.Now()
	res := Result{Start: now}
	p, ok := c.book.Last(c.id)
	allowed := c.every + c.grace
	switch {
	case !ok && now.Sub(c.book.since) <= allowed:
		res.Warning = "waiting for the first push"
	case !ok:
		res.Err = fmt.Sprintf("no push received within %s", allowed)
	case now.Sub(p.At) > allowed:
		res.Err = fmt.Sprintf("no push for %s (expected every %s, grace %s)", now.Sub(p.At).Round(time.Second), c.every, c.grace)
	case p.Down && p.Msg != "":
		res.Err = "the job reported down: " + p.Msg
	case p.Down:
		res.Err = "the job reported down"
	}
	res.OK = res.Err == ""
	return res
}

// noPushEndpoint is a push check in a process that receives no pushes
// (uptop check, or watch without serve). It cannot know whether the job
// ran, and says so: degraded with the reason, neither up nor down.
type noPushEndpoint struct{}

func (noPushEndpoint) Check(context.Context) Result {
	return Result{Start: time.Now(), OK: true, Warning: "not known here: pushes are received by uptop serve"}
}
