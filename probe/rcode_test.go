package probe

import "testing"

func TestRcodeName(t *testing.T) {
	t.Parallel()
	for code, want := range map[int]string{0: "NOERROR", 2: "SERVFAIL", 3: "NXDOMAIN", 5: "REFUSED", 4000: "RCODE4000"} {
		if got := RcodeName(code); got != want {
			t.Errorf("RcodeName(%d) = %q, want %q", code, got, want)
		}
	}
}
