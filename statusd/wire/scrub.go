package wire

import "regexp"

// userinfo matches the credentials part of a URL inside free text (an error
// message that quotes the URL it fetched).
var userinfo = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s"']+@`)

// Scrub removes URL credentials from text meant for a response. Targets are
// redacted upstream; this is the second lock for error texts that quote them.
func Scrub(s string) string {
	if s == "" {
		return s
	}
	return userinfo.ReplaceAllString(s, "${1}xxxxx@")
}
