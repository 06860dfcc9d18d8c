package statusd

import (
	"fmt"
	"html"
	"net/http"
	"strings"
)

// Badge colours, as shields.io names them.
const (
	colGreen  = "#4c1"
	colYellow = "#dfb317"
	colOrange = "#fe7d37"
	colRed    = "#e05d44"
	colGrey   = "#9f9f9f"
	colBlue   = "#007ec6"
)

var statusColours = [...]string{colGrey, colGreen, colYellow, colRed, colBlue, colGrey}

// badge is GET /badge/{id}/{status,uptime,latency}.svg.
func (s *server) badge(w http.ResponseWriter, r *http.Request) {
	v, st, ok := s.lookup(w, r)
	if !ok {
		return
	}
	var label, msg, col string
	switch r.PathValue("kind") {
	case "status.svg":
		label, msg, col = st.Name, st.Status.String(), statusColours[st.Status%6]
	case "latency.svg":
		label, msg, col = "latency", latencyText(st.LastLatency), colBlue
		if st.LastCheck.IsZero() {
			msg, col = "—", colGrey
		}
	case "uptime.svg":
		q := r.URL.Query().Get("window")
		if q == "" {
			q = "24h"
		}
		u, ok := uptimeFor(st, v, q)
		if !ok {
			writeError(w, http.StatusBadRequest, "window", fmt.Sprintf("window=%q: want 24h, 7d, 30d or 90d", q))
			return
		}
		label, msg, col = "uptime "+q, uptimeText(u), uptimeColour(u.Ratio, u.Checks)
	default:
		writeError(w, http.StatusNotFound, "kind", fmt.Sprintf("no badge %q: use status.svg, uptime.svg or latency.svg", r.PathValue("kind")))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml; charset=utf-8")
	// Short max-age: README proxies (GitHub's camo) re-fetch often enough to
	// stay current without hammering the daemon.
	h.Set("Cache-Control", "max-age=60, s-maxage=60, must-revalidate")
	_, _ = w.Write([]byte(badgeSVG(label, msg, col)))
}

func uptimeColour(r float64, checks int) string {
	switch {
	case checks == 0:
		return colGrey
	case r >= 0.999:
		return colGreen
	case r >= 0.99:
		return colYellow
	case r >= 0.95:
		return colOrange
	}
	return colRed
}

// textWidth estimates Verdana 11px text width: close enough for a badge.
func textWidth(s string) int {
	w := 0.0
	for _, r := range s {
		switch {
		case strings.ContainsRune("iljtf.,:;!|' ", r):
			w += 3.6
		case strings.ContainsRune("mwMW%", r):
			w += 10
		case r >= 'A' && r <= 'Z':
			w += 7.5
		default:
			w += 6.6
		}
	}
	return int(w + 0.5)
}

// badgeSVG renders a shields-style flat badge. label and msg are escaped.
func badgeSVG(label, msg, col string) string {
	lw, mw := textWidth(label)+10, textWidth(msg)+10
	tw := lw + mw
	l, m := html.EscapeString(label), html.EscapeString(msg)
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" role="img" aria-label="%s: %s"><title>%s: %s</title>`+
		`<linearGradient id="s" x2="0" y2="100%%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>`+
		`<clipPath id="r"><rect width="%d" height="20" rx="3" fill="#fff"/></clipPath>`+
		`<g clip-path="url(#r)"><rect width="%d" height="20" fill="#555"/><rect x="%d" width="%d" height="20" fill="%s"/><rect width="%d" height="20" fill="url(#s)"/></g>`+
		`<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">`+
		`<text x="%d" y="15" fill="#010101" fill-opacity=".3">%s</text><text x="%d" y="14">%s</text>`+
		`<text x="%d" y="15" fill="#010101" fill-opacity=".3">%s</text><text x="%d" y="14">%s</text></g></svg>`,
		tw, l, m, l, m, tw, lw, lw, mw, col, tw, lw/2, l, lw/2, l, lw+mw/2, m, lw+mw/2, m)
}
