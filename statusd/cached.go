package statusd

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
)

// Header values shared by every response. net/http only reads header
// values (Set and Add replace or append to the map entry, never write into
// a slice in place), so handlers assign these slices instead of calling
// Header().Set, which canonicalises the key and allocates a slice per call.
var (
	hdrNoCache = []string{"no-cache"}
	hdrVary    = []string{"Accept-Encoding"}
	hdrGzip    = []string{"gzip"}
	hdrHTML    = []string{"text/html; charset=utf-8"}
	hdrJSON    = []string{"application/json; charset=utf-8"}
	hdrCSP     = []string{csp}
	hdrNoSniff = []string{"nosniff"}
	hdrNoRef   = []string{"no-referrer"}
	hdrDeny    = []string{"DENY"}
)

// cachedBody is a rendered response in both encodings with its headers
// built once, so serving it is a few map assignments and one Write.
type cachedBody struct {
	plain, gz       []byte
	plainLen, gzLen []string // Content-Length values
	etag, ctype     []string
}

// gzipLevel trades build time for wire size: a body is built once per
// snapshot version and sent many times. Level 6 makes the 1,000-service
// page 84 KB (level 1: 144 KB) for ~30 ms more per build.
const gzipLevel = gzip.DefaultCompression

func newCachedBody(ctype []string, etag string, body []byte) *cachedBody {
	z := gz(body)
	return &cachedBody{
		plain: body, gz: z, ctype: ctype, etag: []string{etag},
		plainLen: []string{strconv.Itoa(len(body))}, gzLen: []string{strconv.Itoa(len(z))},
	}
}

// serve writes the body with its ETag, a 304 when the client has it, and
// the pre-compressed form when the client accepts gzip.
func (c *cachedBody) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Cache-Control"] = hdrNoCache
	h["Etag"] = c.etag
	h["Vary"] = hdrVary
	if inm := r.Header["If-None-Match"]; len(inm) > 0 && etagMatch(inm, c.etag[0]) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Type"] = c.ctype
	body := c.plain
	h["Content-Length"] = c.plainLen
	if acceptsGzip(r.Header["Accept-Encoding"]) {
		h["Content-Encoding"] = hdrGzip
		h["Content-Length"] = c.gzLen
		body = c.gz
	}
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}

func acceptsGzip(vals []string) bool {
	for _, v := range vals {
		if strings.Contains(v, "gzip") {
			return true
		}
	}
	return false
}

// etagMatch reports whether any If-None-Match entity tag (weak or strong,
// or *) matches etag.
func etagMatch(headers []string, etag string) bool {
	for _, hv := range headers {
		for t := range strings.SplitSeq(hv, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == etag || t == "*" {
				return true
			}
		}
	}
	return false
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b)/8 + 64)
	zw, _ := gzip.NewWriterLevel(&buf, gzipLevel)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

// bodyMaxAge is how far behind the live snapshot a served page or status
// body may be. A busy daemon publishes a snapshot per landed probe (tens a
// second with 1,000 services); rebuilding a 2 MB page and its gzip for each
// would cap the page at a few dozen requests/s. The page catches up over
// SSE from the version it was rendered at, so a second of lag is invisible.
const bodyMaxAge = time.Second

// recentBody keeps the newest body of one kind (page or status) and when it
// was built, and rebuilds it at most once per bodyMaxAge.
type recentBody struct {
	clock    clockwork.Clock
	cur      atomic.Pointer[stampedBody]
	building atomic.Bool
}

type stampedBody struct {
	body *cachedBody
	at   time.Time
}

// get returns the newest body if it is young enough, else build's. While
// one request rebuilds (a 1,000-service page takes ~100 ms on a busy box),
// the others keep getting the previous body rather than queueing behind it.
// build is once per view, so without a previous body a burst renders once.
func (c *recentBody) get(build func() (*cachedBody, error)) (*cachedBody, error) {
	now := c.clock.Now()
	cur := c.cur.Load()
	if cur != nil && (now.Sub(cur.at) < bodyMaxAge || !c.building.CompareAndSwap(false, true)) {
		return cur.body, nil
	}
	if cur != nil {
		defer c.building.Store(false)
	}
	b, err := build()
	if err != nil {
		return nil, err
	}
	c.cur.Store(&stampedBody{body: b, at: now})
	return b, nil
}
