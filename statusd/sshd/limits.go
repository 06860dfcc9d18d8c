package sshd

import (
	"net"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"golang.org/x/time/rate"
)

// maxTrackedIPs bounds the rate limiter's memory under a flood from many
// addresses; past it, addresses whose bucket has refilled are forgotten.
const maxTrackedIPs = 4096

// ipLimiter is a token bucket per remote IP, checked before the handshake
// so a flood costs no crypto.
type ipLimiter struct {
	limit rate.Limit
	burst int
	clock clockwork.Clock

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

func newIPLimiter(perSecond float64, burst int, clock clockwork.Clock) *ipLimiter {
	l := rate.Limit(perSecond)
	if perSecond < 0 {
		l = rate.Inf
	}
	return &ipLimiter{limit: l, burst: burst, clock: clock, buckets: map[string]*rate.Limiter{}}
}

func (l *ipLimiter) allow(addr net.Addr) bool {
	if l.limit == rate.Inf {
		return true
	}
	key := addr.String()
	if tcp, ok := addr.(*net.TCPAddr); ok {
		key = tcp.IP.String()
	}
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxTrackedIPs {
			l.pruneLocked(now)
		}
		b = rate.NewLimiter(l.limit, l.burst)
		l.buckets[key] = b
	}
	return b.AllowN(now, 1)
}

// pruneLocked drops full buckets: forgetting them changes nothing, a new
// bucket starts full too.
func (l *ipLimiter) pruneLocked(now time.Time) {
	for k, b := range l.buckets {
		if b.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, k)
		}
	}
}

// slots counts live sessions against a maximum.
type slots struct {
	mu   sync.Mutex
	max  int
	used int
}

func (s *slots) acquire() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.used >= s.max {
		return false
	}
	s.used++
	return true
}

func (s *slots) release() {
	s.mu.Lock()
	s.used--
	s.mu.Unlock()
}
