package config

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/uptop-dev/uptop/probe"
)

// checkHTTPOptions validates an http service's optional keys. Header values
// and the password are never quoted: they are secrets.
func checkHTTPOptions(c *checker, path string, s *Service, https bool) {
	if p := join(path, "method"); c.set(p) && !httpToken(s.Method) {
		c.errorf(p, `method %s is not an HTTP method: write e.g. method = "POST"`, c.show(p, s.Method))
	}
	for _, k := range sortedKeys(s.Headers) {
		if !httpToken(k) {
			c.errorf(join(join(path, "headers"), k), `header name %q is not valid: use letters, digits and dashes, e.g. "X-Api-Key"`, k)
		}
	}
	for _, k := range sortedKeys(s.ExpectHeader) {
		if !httpToken(k) {
			c.errorf(join(join(path, "expect_header"), k), `header name %q is not valid: use letters, digits and dashes, e.g. "Content-Type"`, k)
		}
	}
	if p := join(path, "basic_auth"); c.set(p) && s.BasicAuth != nil && s.BasicAuth.User == "" {
		c.errorf(p, `basic_auth needs a user: write basic_auth = { user = "me", password = "${API_PASSWORD}" }`)
	}
	if p := join(path, "body_regex"); c.set(p) {
		if _, err := regexp.Compile(s.BodyRegex); err != nil {
			c.errorf(p, "body_regex does not compile (%s): use RE2 syntax, e.g. body_regex = \"version \\\\d+\"", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
	}
	for i := range s.JSON {
		checkJSON(c, join(join(path, "json"), strconv.Itoa(i)), &s.JSON[i])
	}
	if p := join(path, "ip"); c.set(p) && s.IP != "4" && s.IP != "6" {
		c.errorf(p, `ip must be "4" or "6": write ip = "6" to check over IPv6 only`)
	}
	checkClientCert(c, path, s)
	if p := join(path, "follow_redirects"); !c.set(p) {
		s.FollowRedirects = true
	}
	if p := join(path, "cert_expiry_warn"); c.set(p) && !https {
		c.errorf(p, "cert_expiry_warn needs an https:// url (or a tls check): remove it or use https")
	}
	checkWarn(c, path, s)
}

// checkJSON requires a path and exactly one comparison.
func checkJSON(c *checker, p string, j *JSONCheck) {
	if !c.present[p] {
		return
	}
	if !c.set(join(p, "path")) || j.Path == "" {
		c.errorf(p, `a json check needs a path: write e.g. { path = "status", equals = "ok" }`)
	}
	var ops []string
	for _, op := range []string{"equals", "contains", "lt", "gt", "exists"} {
		if c.present[join(p, op)] {
			ops = append(ops, op)
		}
	}
	if len(ops) != 1 {
		c.errorf(p, "a json check needs exactly one of equals, contains, lt, gt, exists: this one has %d", len(ops))
		return
	}
	j.op = ops[0]
	switch j.Equals.(type) {
	case nil, string, int64, float64, bool:
	default:
		c.errorf(join(p, "equals"), "equals must be a string, number or boolean, not a table or list")
	}
	if ep := join(p, "exists"); c.set(ep) && !j.Exists {
		c.errorf(ep, "exists = false is not supported: remove this check, or write exists = true")
	}
}

func checkClientCert(c *checker, path string, s *Service) {
	cp, kp := join(path, "tls_cert"), join(path, "tls_key")
	if c.set(cp) != c.set(kp) {
		c.errorf(path, `a client certificate needs both tls_cert and tls_key: write tls_cert = "client.pem" and tls_key = "client-key.pem"`)
		return
	}
	for _, f := range []struct {
		p string
		v *string
	}{{cp, &s.TLSCert}, {kp, &s.TLSKey}} {
		if !c.set(f.p) {
			continue
		}
		if abs, ok := c.filePath(f.p, *f.v); ok {
			*f.v = abs
		}
	}
}

// checkWarn validates cert_expiry_warn (http and tls).
func checkWarn(c *checker, path string, s *Service) {
	if p := join(path, "cert_expiry_warn"); c.set(p) && s.CertExpiryWarn.Duration < 0 {
		c.errorf(p, `cert_expiry_warn must not be negative: write e.g. cert_expiry_warn = "21d"`)
	}
}

func targetHTTP(s *Service, t *probe.Target) {
	t.HTTP = probe.HTTPOptions{
		ExpectStatus:       append([]int(nil), s.ExpectStatus...),
		BodyContains:       s.BodyContains,
		Method:             s.Method,
		Headers:            s.Headers,
		Body:               s.Body,
		NoRedirects:        !s.FollowRedirects,
		InsecureSkipVerify: s.InsecureSkipVerify,
		BodyRegex:          s.BodyRegex,
		ExpectHeader:       s.ExpectHeader,
		IP:                 s.IP,
		ClientCert:         s.TLSCert,
		ClientKey:          s.TLSKey,
	}
	if s.BasicAuth != nil {
		t.HTTP.BasicAuth = &probe.BasicAuth{User: s.BasicAuth.User, Password: s.BasicAuth.Password}
	}
	for _, j := range s.JSON {
		t.HTTP.JSON = append(t.HTTP.JSON, j.probe())
	}
	t.TLS.ExpiryWarn = s.CertExpiryWarn.Duration
}

// probe turns the written check into probe's form.
func (j JSONCheck) probe() probe.JSONCheck {
	out := probe.JSONCheck{Path: j.Path, Op: j.op}
	switch j.op {
	case "equals":
		switch v := j.Equals.(type) {
		case string:
			out.Value = v
		case int64:
			out.Value = strconv.FormatInt(v, 10)
		case float64:
			out.Value = strconv.FormatFloat(v, 'g', -1, 64)
		case bool:
			out.Value = strconv.FormatBool(v)
		}
	case "contains":
		out.Value = j.Contains
	case "lt":
		out.Number = j.LT
	case "gt":
		out.Number = j.GT
	}
	return out
}

// httpToken is RFC 9110's token: what methods and header names are made of.
func httpToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b <= ' ' || b >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, b) >= 0 {
			return false
		}
	}
	return true
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
