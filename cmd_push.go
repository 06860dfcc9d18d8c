package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/uptop-dev/uptop/config"
	"github.com/uptop-dev/uptop/store"
)

// runPushURL prints the push URL of one push service: the secret a job
// needs to send its heartbeat to `uptop serve`. The token comes from the
// config's push_token, else from the store (generated there the first time,
// so serve and this command agree).
func runPushURL(ctx context.Context, args []string, e *env) int {
	var c common
	fs := newFlags("push-url", "print the URL a job POSTs its heartbeat to, for one push service (by name or id)", e)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "uptop push-url: print the URL a job POSTs its heartbeat to\n\nUsage: uptop push-url NAME [flags]\n\nFlags:\n")
		fs.PrintDefaults()
	}
	c.register(fs, true)
	base := fs.String("base", "", "the public base URL of uptop serve (default http:// and the [http] listen address)")
	name, code, done := parseWithName(fs, args)
	if done {
		return code
	}
	cfg, ok := loadConfig(c.config, e)
	if !ok {
		return exitConfig
	}
	svc, ok := findPushService(cfg, name, e)
	if !ok {
		return exitConfig
	}
	token := svc.PushToken
	if token == "" {
		var err error
		if token, err = storedPushToken(ctx, cfg, dataPath(c.data, e), svc.ID); err != nil {
			fmt.Fprintf(e.stderr, "uptop: %v\n", err)
			return exitConfig
		}
	}
	fmt.Fprintf(e.stdout, "%s/api/v1/push/%s\n", baseURL(*base, cfg), token)
	fmt.Fprintf(e.stderr, "keep it secret; a job reports with: curl -fsS -X POST 'URL' (add ?status=down&msg=... on failure)\n")
	return exitOK
}

// parseWithName takes the one positional NAME, before or after the flags.
func parseWithName(fs *flag.FlagSet, args []string) (name string, code int, done bool) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return "", exitOK, true
		}
		return "", exitConfig, true
	}
	rest := fs.Args()
	if name == "" && len(rest) > 0 {
		name, rest = rest[0], rest[1:]
	}
	switch {
	case name == "":
		fmt.Fprintf(fs.Output(), "%s: which service? write uptop push-url NAME\n", fs.Name())
		return "", exitConfig, true
	case len(rest) > 0:
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q; see --help\n", fs.Name(), rest[0])
		return "", exitConfig, true
	}
	return name, 0, false
}

func findPushService(cfg *config.File, name string, e *env) (*config.Service, bool) {
	for i := range cfg.Services {
		s := &cfg.Services[i]
		if s.Name != name && s.ID != name {
			continue
		}
		if s.Kind() != "push" {
			fmt.Fprintf(e.stderr, "uptop: %q is a %s check, not a push check: set push = true on it\n", name, s.Kind())
			return nil, false
		}
		return s, true
	}
	fmt.Fprintf(e.stderr, "uptop: no service named %q in %s; run uptop validate to list problems\n", name, cfg.Path)
	return nil, false
}

func storedPushToken(ctx context.Context, cfg *config.File, path, id string) (string, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("create the data directory: %w (set --data to a writable file)", err)
	}
	st, err := store.Open(cfg.Specs(), store.Options{Path: path})
	if err != nil {
		return "", fmt.Errorf("open the history at %s: %w", path, err)
	}
	defer st.Close()
	return st.PushToken(ctx, id)
}

// pushTokens maps each push service's token to its id, for
// statusd.PushHandler: the config's push_token, else the stored one.
func pushTokens(ctx context.Context, cfg *config.File, st *store.Store) (map[string]string, error) {
	out := map[string]string{}
	for _, s := range cfg.Services {
		if s.Kind() != "push" {
			continue
		}
		token := s.PushToken
		if token == "" {
			var err error
			if token, err = st.PushToken(ctx, s.ID); err != nil {
				return nil, err
			}
		}
		out[token] = s.ID
	}
	return out, nil
}

// baseURL is --base, else http:// and the [http] listen address (a
// wildcard host becomes localhost).
func baseURL(flagBase string, cfg *config.File) string {
	if flagBase != "" {
		return strings.TrimRight(flagBase, "/")
	}
	listen := config.DefaultHTTPListen
	if cfg.HTTP != nil && cfg.HTTP.Listen != "" {
		listen = cfg.HTTP.Listen
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "http://" + listen
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
