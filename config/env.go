package config

import (
	"bytes"
	"sort"
	"strconv"
	"strings"
)

// ${VAR} expansion runs on the decoded TOML values, not on the text: a
// variable can then never change the file's structure (a value holding a
// quote or a newline stays one string), and every position the parser and
// the locator report stays true. Only string values expand, anywhere in the
// file. "$${" is a literal "${"; a "$" not followed by "{" is kept as is.
// A variable that is set but empty expands to "".

// expansion records what one string value was before expansion, so error
// messages can show "${API_TOKEN}" instead of a secret.
type expansion struct {
	raw    string
	values []string // the substituted values
}

// expandTree expands every string under v in place, v being what the TOML
// decoder produced at path.
func (c *checker) expandTree(path string, v any) any {
	switch t := v.(type) {
	case string:
		return c.expandString(path, t)
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t[k] = c.expandTree(join(path, k), t[k])
		}
	case []map[string]any:
		for i, m := range t {
			c.expandTree(join(path, strconv.Itoa(i)), m)
		}
	case []any:
		for i := range t {
			t[i] = c.expandTree(join(path, strconv.Itoa(i)), t[i])
		}
	}
	return v
}

func (c *checker) expandString(path, s string) string {
	if !strings.Contains(s, "${") {
		return s
	}
	var b strings.Builder
	var values []string
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "$${"):
			b.WriteString("${")
			i += 3
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i+2:], '}')
			name := ""
			if end >= 0 {
				name = s[i+2 : i+2+end]
			}
			if !validVarName(name) {
				c.envErrorf(path, s, i, "${ must be followed by a variable name and }: write ${NAME} (letters, digits, _), or $${ for a literal ${")
				b.WriteString("${")
				i += 2
				continue
			}
			v, ok := c.getenv(name)
			if !ok {
				c.envErrorf(path, s, i, "environment variable %s is not set: export it, or write $${%s} for a literal ${%s}", name, name, name)
			}
			b.WriteString(v)
			values = append(values, v)
			i += 2 + end + 1
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	c.expanded[path] = expansion{raw: s, values: values}
	return b.String()
}

// envErrorf reports a problem at the "${" that starts at index i of the
// decoded string s: the n-th "${" of the value as written in the file.
func (c *checker) envErrorf(path, s string, i int, format string, args ...any) {
	c.bad[path] = true // its value is not what the user meant: check nothing else on it
	n := strings.Count(s[:i], "${")
	start, ok := c.loc.val[path]
	if !ok {
		c.errorf(path, format, args...)
		return
	}
	off := start
	for k := 0; ; k++ {
		j := bytes.Index(c.src[off:], []byte("${"))
		if j < 0 {
			off = start // an escape in the file hid it: point at the value
			break
		}
		if k == n {
			off += j
			break
		}
		off += j + 2
	}
	line, col := c.loc.lineCol(off)
	c.add(line, col, format, args...)
}

func validVarName(name string) bool {
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// show quotes a string value for a message: the value as written (with its
// ${VAR}s) when it was expanded, so a secret never reaches a message.
func (c *checker) show(path, value string) string {
	if e, ok := c.expanded[path]; ok {
		return strconv.Quote(e.raw)
	}
	return strconv.Quote(value)
}

// scrub is the safety net behind show: whatever a message says, substituted
// values of 4 bytes or more are replaced by a placeholder. (Shorter ones
// would mangle ordinary words and are not secrets.)
func (c *checker) scrub(msg string) string {
	for _, e := range c.expanded {
		for _, v := range e.values {
			if len(v) >= 4 {
				msg = strings.ReplaceAll(msg, v, "${…}")
			}
		}
	}
	return msg
}
