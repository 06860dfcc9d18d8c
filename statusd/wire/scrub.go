package wire

import (
	"net"
	"net/url"
	"regexp"
	"strings"
)

var (
	// userinfo matches the credentials part of a URL inside free text (an
	// error message that quotes the URL it fetched).
	userinfo = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s"']+@`)
	anyURL   = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://[^\s"']+`)
	ipPort   = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b|\[[0-9a-fA-F:.]+\](?::\d+)?`)
)

// Scrub removes URL credentials from text meant for a response. Targets are
// redacted upstream; this is the second lock for error texts that quote them.
func Scrub(s string) string {
	if s == "" {
		return s
	}
	return userinfo.ReplaceAllString(s, "${1}xxxxx@")
}

// Clean prepares an error text for a response. With show false (the
// default: targets private) it also hides every URL, IP address and the
// service's own host, so "dial tcp 10.0.0.5:5432: connection refused"
// becomes "dial tcp [address]: connection refused".
func Clean(s, target string, show bool) string {
	s = Scrub(s)
	if show || s == "" {
		return s
	}
	s = anyURL.ReplaceAllString(s, "[target]")
	s = ipPort.ReplaceAllString(s, "[address]")
	if h := hostOf(target); h != "" {
		s = strings.ReplaceAll(s, h, "[host]")
	}
	return s
}

// hostOf is the host of a URL or host:port target, "" when there is none.
func hostOf(target string) string {
	if u, err := url.Parse(target); err == nil && u.Host != "" {
		return u.Hostname()
	}
	if h, _, err := net.SplitHostPort(target); err == nil {
		return h
	}
	return ""
}
