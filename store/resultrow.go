package store

import (
	"strings"
	"time"

	"github.com/uptop-dev/uptop/probe"
)

// resultCols are the columns a probe.Result is read back from, in the order
// scanResult expects; one list keeps Results and restore from drifting
// apart when a column is added.
var resultCols = []string{"node", "start_ms", "duration_us", "ok", "code", "error", "dns_us", "connect_us",
	"tls_us", "first_byte_us", "transfer_us", "cert_expiry_ms", "scheduled_ms",
	"cert_issuer", "chain_valid", "loss", "warning"}

// resultColumns is resultCols for a SELECT, each prefixed with alias+"."
// when alias is not empty.
func resultColumns(alias string) string {
	if alias == "" {
		return strings.Join(resultCols, ", ")
	}
	return alias + "." + strings.Join(resultCols, ", "+alias+".")
}

type rowScanner interface{ Scan(dest ...any) error }

// scanResult reads one row of lead columns (the caller's own, first) then
// resultCols into r.
func scanResult(sc rowScanner, r *probe.Result, lead ...any) error {
	var start, dur, dns, conn, tls, fb, xfer, cert, sched int64
	dest := append(lead, &r.Node, &start, &dur, &r.OK, &r.Code, &r.Err, &dns, &conn, &tls, &fb, &xfer, &cert, &sched,
		&r.CertIssuer, &r.ChainValid, &r.Loss, &r.Warning)
	if err := sc.Scan(dest...); err != nil {
		return err
	}
	r.Start, r.Duration = time.UnixMilli(start), us(dur)
	r.Phases = probe.Phases{DNS: us(dns), Connect: us(conn), TLS: us(tls), FirstByte: us(fb), Transfer: us(xfer)}
	r.CertExpiry, r.Scheduled = timeOrZero(cert), timeOrZero(sched)
	return nil
}
