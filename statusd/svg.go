package statusd

import (
	"html/template"
	"math"
	"strconv"
	"time"

	"github.com/uptop-dev/uptop/store"
)

// barsSVG draws the 90-day bars, each day 3 units wide with a 1-unit gap,
// stretched to the row's width. A run of days with the same class and hover
// note is ONE rect filled with a pattern that draws the per-day bars (the
// page defines #p0…#p4 once, see barDefs), so it looks like separate bars
// at a tenth of the markup; a day with downtime and today always get their
// own rect. Titles are made of dates and numbers only: no escaping needed.
func barsSVG(bars []bar) template.HTML {
	b := make([]byte, 0, 512)
	b = append(b, `<svg class="bars" viewBox="0 0 360 32" preserveAspectRatio="none" role="img" aria-label="uptime per day, last 90 days">`...)
	for i := 0; i < len(bars); {
		j := runEnd(bars, i)
		b = append(b, `<rect x="`...)
		b = strconv.AppendInt(b, int64(i*4), 10)
		b = append(b, `" width="`...)
		b = strconv.AppendInt(b, int64((j-i)*4-1), 10)
		b = append(b, `" height="32" class="`...)
		if j-i > 1 {
			b = append(b, 'r') // r0…r4: the pattern of b0…b4 bars
			b = append(b, bars[i].Class[1:]...)
		} else {
			b = append(b, bars[i].Class...)
		}
		b = append(b, `"><title>`...)
		b = appendTitle(b, bars[i], bars[j-1])
		b = append(b, `</title></rect>`...)
		i = j
	}
	b = append(b, `</svg>`...)
	return template.HTML(b) //nolint:gosec // built from dates, numbers and fixed class names only
}

// barDefs are the patterns the runs of barsSVG are filled with, one per
// colour class, put in the page once. A pattern's content takes its colour
// from its own class, so dark mode and the palette stay in style.css.
const barDefs = template.HTML(`<svg class="defs" width="0" height="0" aria-hidden="true"><defs>` +
	`<pattern id="p0" width="4" height="32" patternUnits="userSpaceOnUse"><rect width="3" height="32" class="b0"/></pattern>` +
	`<pattern id="p1" width="4" height="32" patternUnits="userSpaceOnUse"><rect width="3" height="32" class="b1"/></pattern>` +
	`<pattern id="p2" width="4" height="32" patternUnits="userSpaceOnUse"><rect width="3" height="32" class="b2"/></pattern>` +
	`<pattern id="p3" width="4" height="32" patternUnits="userSpaceOnUse"><rect width="3" height="32" class="b3"/></pattern>` +
	`<pattern id="p4" width="4" height="32" patternUnits="userSpaceOnUse"><rect width="3" height="32" class="b4"/></pattern>` +
	`</defs></svg>`)

// sparkSVG draws the last 24h of latency (p95 per bucket) as a path; empty
// buckets are gaps, buckets with failures get a red tick. The viewBox is
// 960×240 so every coordinate is a whole number: "L20 87", not "L2.0,8.7".
func sparkSVG(buckets []store.Bucket) template.HTML {
	const w, h = 960, 240
	var peak time.Duration
	for _, k := range buckets {
		peak = max(peak, k.P95)
	}
	b := make([]byte, 0, 256+len(buckets)*8)
	b = append(b, `<svg class="spark" viewBox="0 0 960 240" preserveAspectRatio="none" role="img" aria-label="latency, last 24 hours"><title>p95 latency, last 24h (peak `...)
	b = append(b, latencyText(peak)...)
	b = append(b, `)</title><path d="`...)
	n := len(buckets)
	x := func(i int) int64 {
		if n < 2 {
			return 0
		}
		return int64(math.Round(float64(i) * w / float64(n-1)))
	}
	pen := false
	for i, k := range buckets {
		if k.Count == 0 || k.Count == k.Failures || peak == 0 {
			pen = false
			continue
		}
		if pen {
			b = append(b, 'L')
		} else {
			b = append(b, 'M')
		}
		pen = true
		b = strconv.AppendInt(b, x(i), 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(math.Round(h-20-float64(k.P95)/float64(peak)*(h-40))), 10)
	}
	b = append(b, `"/>`...)
	for i, k := range buckets {
		if k.Failures > 0 && n > 1 {
			b = append(b, `<rect class="fail" width="15" height="240" x="`...)
			b = strconv.AppendInt(b, x(i)-8, 10)
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
