package tui

import (
	"fmt"
	"math"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

// What the check kinds beyond HTTP measure, in the detail view: a degraded
// check's warning, a certificate's expiry and issuer, a ping's loss and a
// DNS answer's rcode.

// codeText is a check's code as the view shows it: a DNS rcode by name
// (NOERROR too, when the resolver answered), an HTTP status as a number,
// "" when there is none.
func codeText(kind string, code int, ok bool) string {
	switch {
	case kind == "dns" && (code != 0 || ok):
		return probe.RcodeName(code)
	case code != 0:
		return fmt.Sprint(code)
	}
	return ""
}

// warningLine is "▲ certificate expires in 9 days", or "" when the last
// check had no warning.
func (d detailModel) warningLine() string {
	if d.svc.LastWarning == "" {
		return ""
	}
	return d.st.Status[store.Degraded].Render(d.g.status[store.Degraded] + " " + d.svc.LastWarning)
}

// certLine is "cert expires Dec 24 (29d) · issuer Let's Encrypt R3" for a
// service whose last check saw a certificate (TLS, HTTPS), else "".
func (d detailModel) certLine() string {
	s := d.svc
	if s.CertExpiry.IsZero() {
		return ""
	}
	date := s.CertExpiry.Format("Jan 2")
	if s.CertExpiry.Year() != d.now.Year() {
		date = s.CertExpiry.Format("Jan 2 2006")
	}
	left := s.CertExpiry.Sub(d.now)
	text := fmt.Sprintf("expires %s (%s)", date, fmtDays(left))
	if left <= 0 {
		text = d.st.Error.Render(fmt.Sprintf("expired %s (%s ago)", date, fmtDays(-left)))
	}
	line := d.st.Bold.Render("cert") + " " + text
	if s.CertIssuer != "" {
		line += " · issuer " + s.CertIssuer
	}
	return line
}

// lossLine replaces the phases line for a ping, which has none: "loss 0%".
func (d detailModel) lossLine() string {
	loss := d.g.dash
	if !d.svc.LastCheck.IsZero() {
		loss = fmtLoss(d.svc.Loss)
	}
	return d.st.Bold.Render("loss") + " " + loss + d.st.Dim.Render(" in the last check")
}

// kindLines are the summary lines after "last check": the warning, then
// the phases (the loss for a ping), then the certificate. Lines that do
// not apply are left out, so an HTTP service without a certificate looks
// as it always did.
func (d detailModel) kindLines() []string {
	var out []string
	if w := d.warningLine(); w != "" {
		out = append(out, w)
	}
	if d.svc.Kind == "icmp" {
		out = append(out, d.lossLine())
	} else {
		out = append(out, d.phasesLine())
	}
	if c := d.certLine(); c != "" {
		out = append(out, c)
	}
	return out
}

// fmtDays is a span in whole days once it is over two ("29d"), finer below.
func fmtDays(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
	}
	return fmtSpan(d)
}

// fmtLoss is a 0–1 fraction as a whole percentage, never rounding a loss
// down to "0%".
func fmtLoss(f float64) string {
	p := math.Round(f * 100)
	if p == 0 && f > 0 {
		p = 1
	}
	return fmt.Sprintf("%.0f%%", p)
}
