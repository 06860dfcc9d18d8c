package probe

import (
	"net/url"
	"strings"
)

// redacted replaces every secret Redact finds.
const redacted = "xxxxx"

// Redact returns raw in a form that is safe to show: a URL's userinfo
// password and the values of sensitive query and fragment parameters become
// "xxxxx". Everything else is left byte for byte as written (no
// re-encoding, no reordering), so the user still recognises it. A string
// without "://" (host:port) is returned unchanged unless it carries
// "user:password@". Redact never panics, whatever it is given.
func Redact(raw string) string {
	schemeEnd := strings.Index(raw, "://")
	if schemeEnd < 0 {
		return redactUserinfo(raw)
	}
	rest := raw[schemeEnd+3:]
	authEnd := strings.IndexAny(rest, "/?#")
	if authEnd < 0 {
		authEnd = len(rest)
	}
	var b strings.Builder
	b.Grow(len(raw))
	b.WriteString(raw[:schemeEnd+3])
	b.WriteString(redactUserinfo(rest[:authEnd]))
	rest = rest[authEnd:]

	path, fragment, hasFragment := strings.Cut(rest, "#")
	path, query, hasQuery := strings.Cut(path, "?")
	b.WriteString(path)
	if hasQuery {
		b.WriteByte('?')
		b.WriteString(redactParams(query))
	}
	if hasFragment {
		// OAuth's implicit flow puts access_token in the fragment.
		b.WriteByte('#')
		b.WriteString(redactParams(fragment))
	}
	return b.String()
}

// redactUserinfo hides the password in "user:password@host". The last '@'
// ends the userinfo, as passwords may contain '@' unescaped in the wild.
func redactUserinfo(authority string) string {
	at := strings.LastIndexByte(authority, '@')
	if at < 0 {
		return authority
	}
	colon := strings.IndexByte(authority[:at], ':')
	if colon < 0 {
		return authority
	}
	return authority[:colon+1] + redacted + authority[at:]
}

// redactParams hides the values of sensitive keys in "a=1&token=2;b=3".
// '?' also separates, for fragments like "#/cb?token=…" and nested URLs in
// values; the original bytes of everything else stay.
func redactParams(params string) string {
	if params == "" {
		return params
	}
	var b strings.Builder
	b.Grow(len(params))
	start := 0
	for i := 0; i <= len(params); i++ {
		if i < len(params) && params[i] != '&' && params[i] != ';' && params[i] != '?' {
			continue
		}
		b.WriteString(redactPair(params[start:i]))
		if i < len(params) {
			b.WriteByte(params[i])
		}
		start = i + 1
	}
	return b.String()
}

func redactPair(pair string) string {
	eq := strings.IndexByte(pair, '=')
	if eq < 0 || eq == len(pair)-1 {
		return pair
	}
	if !isSensitiveKey(pair[:eq]) {
		return pair
	}
	return pair[:eq+1] + redacted
}

func isSensitiveKey(key string) bool {
	if k, err := url.QueryUnescape(key); err == nil {
		key = k
	}
	key = strings.ToLower(strings.TrimSpace(key))
	switch key {
	case "token", "key", "password", "passwd", "pass", "secret", "sig",
		"signature", "apikey", "api_key", "access_token", "auth", "code",
		"client_secret", "refresh_token", "id_token":
		return true
	}
	// Catch the many spellings of the same idea (private_token, x-api-key,
	// webhook_secret) without listing each.
	for _, s := range [...]string{"_token", "-token", "_secret", "-secret", "_key", "-key", "_password"} {
		if strings.HasSuffix(key, s) {
			return true
		}
	}
	return false
}
