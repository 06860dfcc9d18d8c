package probe

import (
	"strconv"

	"github.com/miekg/dns"
)

// RcodeName is a DNS check's Result.Code by name ("NOERROR", "NXDOMAIN",
// "SERVFAIL"…), so views need not import the DNS library; an unassigned
// code is "RCODE" and its number.
func RcodeName(code int) string {
	if s, ok := dns.RcodeToString[code]; ok {
		return s
	}
	return "RCODE" + strconv.Itoa(code)
}
