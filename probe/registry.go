package probe

import (
	"fmt"
	"slices"
	"strings"
)

// Factory validates a Target's kind-specific settings and builds its
// Checker, once per service.
type Factory func(t Target) (Checker, error)

// Registry maps a check kind ("http", "tcp", …) to its Factory. Callers own
// the map they get from NewRegistry and may add kinds to it.
type Registry map[string]Factory

// NewRegistry returns a fresh registry with the built-in kinds. Commands
// run only if the config allowed them (allow_commands): the config refuses
// a command service otherwise, so the registry needs no switch of its own. Each call
// returns a new map: there is no package-level registry to mutate.
func NewRegistry() Registry {
	return Registry{
		"http":    NewHTTPChecker,
		"tcp":     NewTCPChecker,
		"tls":     NewTLSChecker,
		"dns":     NewDNSChecker,
		"icmp":    NewICMPChecker,
		"command": NewCommandChecker,
		// Without a PushBook: replace it with NewPushFactory(book) where
		// pushes are received.
		"push": NewPushFactory(nil),
	}
}

// Build makes the Checker for t with the factory of t.Kind.
func (r Registry) Build(t Target) (Checker, error) {
	f, ok := r[t.Kind]
	if !ok || f == nil {
		if t.Kind == "" {
			return nil, fmt.Errorf("the check kind is empty; use one of: %s", r.kinds())
		}
		return nil, fmt.Errorf("unknown check kind %q; use one of: %s", t.Kind, r.kinds())
	}
	return f(t)
}

func (r Registry) kinds() string {
	names := make([]string, 0, len(r))
	for k, f := range r {
		if f != nil {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
