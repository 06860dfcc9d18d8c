package alert

import (
	"net/http"
	"strings"
	"testing"
)

// A receiver may echo part of the URL it was called on; every part that is
// a secret on its own must be scrubbed, not just the whole URL.
func TestPosterScrubsURLParts(t *testing.T) {
	t.Parallel()
	p := newPoster(http.DefaultClient,
		"https://hooks.slack.com/services/T0001/B0002/XXXXsecretXXXX",
		"https://user:pa55word@hook.example/in?token=tok-123456&x=1")
	cases := map[string]string{
		"path token":  "invalid_token for /services/T0001/B0002/XXXXsecretXXXX",
		"query value": "unknown token tok-123456",
		"raw query":   "called with token=tok-123456&x=1",
		"password":    "auth pa55word rejected",
	}
	for name, echo := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := p.scrub(echo)
			for _, secret := range []string{"XXXXsecretXXXX", "tok-123456", "pa55word"} {
				if strings.Contains(got, secret) {
					t.Errorf("scrub(%q) = %q still shows %q", echo, got, secret)
				}
			}
		})
	}
}
