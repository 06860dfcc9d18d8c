package probe

import (
	"context"
	"strings"
	"testing"
)

func TestRegistryBuild(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		target Target
		want   string // error substring; "" = builds
	}{
		"http":         {target: Target{Kind: "http", Address: "http://127.0.0.1/"}},
		"tcp":          {target: Target{Kind: "tcp", Address: "127.0.0.1:1"}},
		"unknown kind": {target: Target{Kind: "gopher", Address: "x"}, want: `unknown check kind "gopher"; use one of: command, dns, http, icmp, push, tcp, tls`},
		"empty kind":   {target: Target{Address: "x"}, want: "the check kind is empty"},
		"bad http":     {target: Target{Kind: "http", Address: "127.0.0.1:80"}, want: `url "127.0.0.1:80" has no scheme; write it as https://127.0.0.1:80`},
		"bad tcp":      {target: Target{Kind: "tcp", Address: "http://x/"}, want: "is a url"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := NewRegistry().Build(tc.target)
			if tc.want == "" {
				if err != nil || c == nil {
					t.Fatalf("Build: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

type constChecker struct{}

func (constChecker) Check(context.Context) Result { return Result{OK: true} }

func TestRegistriesAreIndependent(t *testing.T) {
	t.Parallel()
	a, b := NewRegistry(), NewRegistry()
	a["const"] = func(Target) (Checker, error) { return constChecker{}, nil }
	delete(a, "tcp")
	if _, err := a.Build(Target{Kind: "const"}); err != nil {
		t.Fatalf("an added kind must build: %v", err)
	}
	if _, err := b.Build(Target{Kind: "const"}); err == nil {
		t.Fatal("a kind added to one registry leaked into another")
	}
	if _, err := b.Build(Target{Kind: "tcp", Address: "127.0.0.1:1"}); err != nil {
		t.Fatalf("deleting from one registry changed another: %v", err)
	}
	if _, err := a.Build(Target{Kind: "tcp"}); err == nil || !strings.Contains(err.Error(), "use one of: command, const, dns, http, icmp, push, tls") {
		t.Fatalf("error %v, want the remaining kinds listed", err)
	}
}
