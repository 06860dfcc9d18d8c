package statusd

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkBars90Days is the 90-day bars of one service from its daily
// rollup: the colour classes, hover titles and the SVG.
func BenchmarkBars90Days(b *testing.B) {
	days := fixtureDays(90, 3)
	b.ReportAllocs()
	for b.Loop() {
		_ = barsSVG(makeBars(days))
	}
}

// BenchmarkBars90Days1000 is the same for a 1,000-service page.
func BenchmarkBars90Days1000(b *testing.B) {
	days := fixtureDays(90, 3)
	b.ReportAllocs()
	for b.Loop() {
		for range 1000 {
			_ = barsSVG(makeBars(days))
		}
	}
}

// BenchmarkStatusCached is one cached /api/v1/status request in process.
func BenchmarkStatusCached(b *testing.B) {
	h := NewHandler(world(), Options{})
	req := httptest.NewRequest(http.MethodGet, "/api/v1/status", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}

// BenchmarkPageCached is one cached page request in process.
func BenchmarkPageCached(b *testing.B) {
	h := NewHandler(world(), Options{})
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}
