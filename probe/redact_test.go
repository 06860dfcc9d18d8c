package probe

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ in, want string }{
		"plain url":         {"https://api.example.com/health", "https://api.example.com/health"},
		"password":          {"https://bob:hunter2@api.example.com/x", "https://bob:xxxxx@api.example.com/x"},
		"user only":         {"https://bob@api.example.com/", "https://bob@api.example.com/"},
		"at in password":    {"https://bob:p@ss@host/", "https://bob:xxxxx@host/"},
		"empty password":    {"https://bob:@host/", "https://bob:xxxxx@host/"},
		"token query":       {"https://h/p?token=abc&x=1", "https://h/p?token=xxxxx&x=1"},
		"every listed key":  {"http://h/?key=1&password=2&passwd=3&secret=4&sig=5&signature=6&apikey=7&api_key=8&access_token=9&auth=10&code=11", "http://h/?key=xxxxx&password=xxxxx&passwd=xxxxx&secret=xxxxx&sig=xxxxx&signature=xxxxx&apikey=xxxxx&api_key=xxxxx&access_token=xxxxx&auth=xxxxx&code=xxxxx"},
		"case insensitive":  {"http://h/?Token=abc&API_KEY=z", "http://h/?Token=xxxxx&API_KEY=xxxxx"},
		"suffix spellings":  {"http://h/?private_token=a&x-api-key=b&webhook_secret=c", "http://h/?private_token=xxxxx&x-api-key=xxxxx&webhook_secret=xxxxx"},
		"escaped key":       {"http://h/?api%5Fkey=s", "http://h/?api%5Fkey=xxxxx"},
		"order kept":        {"http://h/?z=1&token=t&a=2", "http://h/?z=1&token=xxxxx&a=2"},
		"semicolons":        {"http://h/?a=1;sig=2", "http://h/?a=1;sig=xxxxx"},
		"empty value":       {"http://h/?token=&a=1", "http://h/?token=&a=1"},
		"no value":          {"http://h/?token&a=1", "http://h/?token&a=1"},
		"fragment token":    {"https://h/cb#access_token=abc&state=1", "https://h/cb#access_token=xxxxx&state=1"},
		"question in frag":  {"https://h/p#a?token=1", "https://h/p#a?token=xxxxx"},
		"host only":         {"https://u:pw@h", "https://u:xxxxx@h"},
		"host:port":         {"db.internal:5432", "db.internal:5432"},
		"ipv6 host:port":    {"[::1]:5432", "[::1]:5432"},
		"userinfo no url":   {"u:pw@db:5432", "u:xxxxx@db:5432"},
		"empty":             {"", ""},
		"garbage":           {"://", "://"},
		"garbage with at":   {"%%%://:@?&=#", "%%%://:xxxxx@?&=#"},
		"unparseable url":   {"http://u:pw@h/%zz?token=1", "http://u:xxxxx@h/%zz?token=xxxxx"},
		"not a secret name": {"http://h/?monkey=1&codes=2", "http://h/?monkey=1&codes=2"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := Redact(tc.in); got != tc.want {
				t.Fatalf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func FuzzRedact(f *testing.F) {
	for _, s := range []string{"https://u:pw@h/?token=1#a", "h:1", "://@", "a://b:c@d?e=f;g&h#i"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Redact(s) // must not panic
		if strings.Contains(s, "://") && !strings.HasPrefix(out, s[:strings.Index(s, "://")+3]) {
			t.Fatalf("Redact(%q) = %q changed the scheme", s, out)
		}
	})
}
