package probe

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// newHTTPChecker lets tests trust their own certificate authority; nil
// means the system roots.
func newHTTPChecker(t Target, tlsConf *tls.Config) (*httpChecker, error) {
	if err := validateHTTP(t); err != nil {
		return nil, err
	}
	o := t.HTTP
	c := &httpChecker{
		rawURL:       t.Address,
		method:       strings.ToUpper(o.Method),
		headers:      o.Headers,
		body:         o.Body,
		auth:         o.BasicAuth,
		expect:       append([]int(nil), o.ExpectStatus...),
		needle:       []byte(o.BodyContains),
		noRedirects:  o.NoRedirects,
		json:         append([]JSONCheck(nil), o.JSON...),
		expectHeader: o.ExpectHeader,
		timeout:      t.Timeout,
		warn:         t.TLS.ExpiryWarn,
		insecure:     o.InsecureSkipVerify,
	}
	if c.method == "" {
		c.method = http.MethodGet
	}
	if o.BodyRegex != "" {
		c.bodyRE = regexp.MustCompile(o.BodyRegex) // validated above
	}
	c.secrets = httpSecrets(o)
	conf, err := httpTLSConfig(o, tlsConf)
	if err != nil {
		return nil, err
	}
	if conf != nil {
		c.roots = conf.RootCAs
	}
	c.transport = newTransport(t.Timeout, o.IP, conf)
	c.client = &http.Client{Transport: c.transport, CheckRedirect: c.checkRedirect}
	return c, nil
}

// newTransport builds one checker's transport: HTTP/1.1 only (one fresh
// connection carries one request, and no HTTP/2 machinery is set up per
// checker), keep-alives off, no proxy (a monitor measures the path to the
// target itself), and dials limited to one IP family when ip is "4"/"6".
func newTransport(timeout time.Duration, ip string, conf *tls.Config) *http.Transport {
	dialer := &net.Dialer{Timeout: timeout, KeepAlive: -1}
	family := ""
	if ip == "4" || ip == "6" {
		family = "tcp" + ip
	}
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		if family != "" {
			network = family
		}
		conn, err := dialer.DialContext(ctx, network, addr)
		if tr, ok := ctx.Value(tracerKey{}).(*tracer); ok && err == nil {
			conn = &timedConn{Conn: conn, tr: tr}
		}
		return conn, err
	}
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	return &http.Transport{
		Protocols:              &protocols,
		Proxy:                  nil,
		DialContext:            dial,
		TLSClientConfig:        conf,
		TLSHandshakeTimeout:    timeout,
		DisableKeepAlives:      true,
		MaxResponseHeaderBytes: 1 << 20,
	}
}

// httpTLSConfig adds the client certificate and insecure_skip_verify to
// base (tests' roots); nil when nothing needs setting.
func httpTLSConfig(o HTTPOptions, base *tls.Config) (*tls.Config, error) {
	if base == nil && !o.InsecureSkipVerify && o.ClientCert == "" {
		return nil, nil
	}
	conf := &tls.Config{}
	if base != nil {
		conf = base.Clone()
	}
	// Verification is skipped only when the user asked; the checker still
	// verifies by hand to report ChainValid.
	conf.InsecureSkipVerify = o.InsecureSkipVerify //nolint:gosec // the user's explicit choice
	if o.ClientCert != "" {
		pair, err := tls.LoadX509KeyPair(o.ClientCert, o.ClientKey)
		if err != nil {
			return nil, fmt.Errorf("load the client certificate %s and key %s: %w (check tls_cert and tls_key point to PEM files)", o.ClientCert, o.ClientKey, err)
		}
		conf.Certificates = []tls.Certificate{pair}
	}
	return conf, nil
}

// httpSecrets are the values that must never reach an error message.
func httpSecrets(o HTTPOptions) []string {
	var s []string
	for _, v := range o.Headers {
		if len(v) >= 4 {
			s = append(s, v)
		}
	}
	if o.BasicAuth != nil && o.BasicAuth.Password != "" {
		s = append(s, o.BasicAuth.Password)
	}
	return s
}

func validateHTTP(t Target) error {
	if !strings.Contains(t.Address, "://") {
		return fmt.Errorf("url %q has no scheme; write it as https://%s", Redact(t.Address), Redact(t.Address))
	}
	u, err := url.Parse(t.Address)
	if err != nil {
		// url's message quotes the URL, credentials and all: don't wrap it.
		return errors.New("the url does not parse; write it as https://host/path with special characters percent-encoded")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("url %q must start with http:// or https://", Redact(t.Address))
	}
	if u.Hostname() == "" {
		return fmt.Errorf("url %q has no host; write it as https://host/path", Redact(t.Address))
	}
	for _, code := range t.HTTP.ExpectStatus {
		if code < 100 || code > 599 {
			return fmt.Errorf("expect_status %d is not an HTTP status; use codes between 100 and 599", code)
		}
	}
	if t.Timeout < 0 {
		return fmt.Errorf("timeout %s is negative; use a positive duration such as 5s", t.Timeout)
	}
	return validateHTTPOptions(t.HTTP)
}

func validateHTTPOptions(o HTTPOptions) error {
	if o.Method != "" && !validToken(o.Method) {
		return fmt.Errorf("method %q is not an HTTP method; use e.g. GET, POST, HEAD", o.Method)
	}
	for k := range o.Headers {
		if !validToken(k) {
			return fmt.Errorf("header name %q is not valid; use letters, digits and dashes", k)
		}
	}
	if o.BodyRegex != "" {
		if _, err := regexp.Compile(o.BodyRegex); err != nil {
			return fmt.Errorf("body_regex does not compile: %w (RE2 syntax)", err)
		}
	}
	for _, j := range o.JSON {
		switch j.Op {
		case "equals", "contains", "lt", "gt", "exists":
		default:
			return fmt.Errorf("json check on %q has op %q; use equals, contains, lt, gt or exists", j.Path, j.Op)
		}
		if j.Path == "" {
			return errors.New("a json check has no path; write e.g. path = \"status\"")
		}
	}
	if o.IP != "" && o.IP != "4" && o.IP != "6" {
		return fmt.Errorf("ip %q must be \"4\" or \"6\"", o.IP)
	}
	if (o.ClientCert == "") != (o.ClientKey == "") {
		return errors.New("a client certificate needs both tls_cert and tls_key")
	}
	return nil
}

// validToken is RFC 9110's token: what methods and header names are made of.
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}
