package statusd

import (
	"html/template"
	"strconv"
	"time"

	"github.com/uptop-dev/uptop/store"
)

// barsSVG draws the 90-day bars: one rect per day, 3 units wide with a
// 1-unit gap, stretched to the row's width. Titles are made of dates and
// numbers only, so they need no escaping.
func barsSVG(bars []bar) template.HTML {
	b := make([]byte, 0, 160+len(bars)*100)
	b = append(b, `<svg class="bars" viewBox="0 0 360 32" preserveAspectRatio="none" role="img" aria-label="uptime per day, last 90 days">`...)
	for i, d := range bars {
		b = append(b, `<rect x="`...)
		b = strconv.AppendInt(b, int64(i*4), 10)
		b = append(b, `" width="3" height="32" class="`...)
		b = append(b, d.Class...)
		b = append(b, `"><title>`...)
		b = append(b, d.Title...)
		b = append(b, `</title></rect>`...)
	}
	b = append(b, `</svg>`...)
	return template.HTML(b) //nolint:gosec // built from dates, numbers and fixed class names only
}

// sparkSVG draws the last 24h of latency (p95 per bucket) as a path; empty
// buckets are gaps, buckets with failures get a red tick.
func sparkSVG(buckets []store.Bucket) template.HTML {
	const w, h = 96, 24
	var peak time.Duration
	for _, k := range buckets {
		peak = max(peak, k.P95)
	}
	b := make([]byte, 0, 256+len(buckets)*16)
	b = append(b, `<svg class="spark" viewBox="0 0 96 24" preserveAspectRatio="none" role="img" aria-label="latency, last 24 hours"><title>p95 latency, last 24h (peak `...)
	b = append(b, latencyText(peak)...)
	b = append(b, `)</title><path d="`...)
	n := len(buckets)
	pen := false
	for i, k := range buckets {
		if k.Count == 0 || k.Count == k.Failures || peak == 0 {
			pen = false
			continue
		}
		x := 0.0
		if n > 1 {
			x = float64(i) * w / float64(n-1)
		}
		y := h - 2 - float64(k.P95)/float64(peak)*(h-4)
		if pen {
			b = append(b, 'L')
		} else {
			b = append(b, 'M')
		}
		pen = true
		b = strconv.AppendFloat(b, x, 'f', 1, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, y, 'f', 1, 64)
	}
	b = append(b, `"/>`...)
	for i, k := range buckets {
		if k.Failures > 0 && n > 1 {
			b = append(b, `<rect class="fail" y="0" width="1.5" height="24" x="`...)
			b = strconv.AppendFloat(b, float64(i)*w/float64(n-1)-0.75, 'f', 1, 64)
			b = append(b, `"/>`...)
		}
	}
	b = append(b, `</svg>`...)
	return template.HTML(b) //nolint:gosec // numbers and fixed markup only
}

// latencyText is "123 ms", "1.23 s" or "—".
func latencyText(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d < time.Millisecond:
		return "<1 ms"
	case d < time.Second:
		return strconv.FormatInt(int64(d/time.Millisecond), 10) + " ms"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) + " s"
}
