package probe

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// checkHeaders returns why the response headers fail expect_header, or "".
// Names are case-insensitive; a value must occur in the header's value.
func (c *httpChecker) checkHeaders(h http.Header) string {
	if len(c.expectHeader) == 0 {
		return ""
	}
	names := make([]string, 0, len(c.expectHeader))
	for k := range c.expectHeader {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		want := c.expectHeader[k]
		got, ok := h[http.CanonicalHeaderKey(k)]
		if !ok {
			return fmt.Sprintf("response has no %s header", http.CanonicalHeaderKey(k))
		}
		if !strings.Contains(strings.Join(got, ", "), want) {
			return fmt.Sprintf("header %s does not contain %q", http.CanonicalHeaderKey(k), clip(want, 40))
		}
	}
	return ""
}

// checkBody reads the body (up to MaxBody) and returns why it fails
// body_contains, body_regex or the json checks, or "". Without a regex or
// json checks the body is streamed through one small chunk; with them it
// is kept whole, as they need it all.
func (c *httpChecker) checkBody(body io.Reader) (msg string, n int64, err error) {
	if c.bodyRE == nil && len(c.json) == 0 {
		found, n, err := c.readBody(body)
		if err == nil && !found {
			msg = fmt.Sprintf("body does not contain %q", clip(string(c.needle), 40))
		}
		return msg, n, err
	}
	data, err := io.ReadAll(io.LimitReader(body, MaxBody))
	n = int64(len(data))
	if err != nil {
		return "", n, err
	}
	switch {
	case len(c.needle) > 0 && !bytes.Contains(data, c.needle):
		return fmt.Sprintf("body does not contain %q", clip(string(c.needle), 40)), n, nil
	case c.bodyRE != nil && !c.bodyRE.Match(data):
		return fmt.Sprintf("body does not match %q", clip(c.bodyRE.String(), 40)), n, nil
	}
	return checkJSON(data, c.json), n, nil
}

// checkJSON returns the first failed JSON assertion, or "".
func checkJSON(data []byte, checks []JSONCheck) string {
	if len(checks) == 0 {
		return ""
	}
	if !gjson.ValidBytes(data) {
		return "body is not valid JSON"
	}
	for _, j := range checks {
		if msg := j.check(gjson.GetBytes(data, j.Path)); msg != "" {
			return msg
		}
	}
	return ""
}

func (j JSONCheck) check(r gjson.Result) string {
	path := clip(j.Path, 40)
	if !r.Exists() {
		return fmt.Sprintf("json %s is missing", path)
	}
	got := clip(r.String(), 40)
	switch j.Op {
	case "equals":
		if !jsonEquals(r, j.Value) {
			return fmt.Sprintf("json %s is %q, expected %q", path, got, clip(j.Value, 40))
		}
	case "contains":
		if !strings.Contains(r.String(), j.Value) {
			return fmt.Sprintf("json %s is %q, expected it to contain %q", path, got, clip(j.Value, 40))
		}
	case "lt", "gt":
		if r.Type != gjson.Number {
			return fmt.Sprintf("json %s is %q, not a number", path, got)
		}
		if j.Op == "lt" && !(r.Float() < j.Number) || j.Op == "gt" && !(r.Float() > j.Number) {
			word := map[string]string{"lt": "less", "gt": "greater"}[j.Op]
			return fmt.Sprintf("json %s is %s, expected %s than %s", path, got, word, strconv.FormatFloat(j.Number, 'g', -1, 64))
		}
	}
	return ""
}

// jsonEquals compares numbers as numbers (so 1 equals 1.0) and everything
// else by its text (true, "ok", null).
func jsonEquals(r gjson.Result, want string) bool {
	if r.Type == gjson.Number {
		if f, err := strconv.ParseFloat(want, 64); err == nil {
			return r.Float() == f
		}
	}
	if r.Type == gjson.Null {
		return want == "null"
	}
	return r.String() == want
}
