package config

import (
	"fmt"
	"testing"
)

func TestLocate(t *testing.T) {
	t.Parallel()
	src := `# a comment with key = "value"
top = 1
[defaults]
interval = "10s" # trailing comment
"quoted key" = 1
dotted.inner = 2

[[service]]
name = 'one'
notes = """
fake = "not a key"
""" ; tags = [
  "a", # comment ]
  "b",
]
[[service]]
  name = "two"
  auth = {user = "a", pass = { deep = 1 }}
[[service.check]]
x = 1
[[service]]
lit = '''
y = 2 '''
z = 3
[http.nested]
w = 4
`
	loc := locate([]byte(src))
	scenarios := []struct {
		path string
		want string
	}{
		{"top", "2:1"},
		{"defaults", "3:1"},
		{"defaults.interval", "4:1"},
		{"defaults.quoted key", "5:1"},
		{"defaults.dotted.inner", "6:1"},
		{"service", "8:1"},
		{"service.0", "8:1"},
		{"service.0.name", "9:1"},
		{"service.0.notes", "10:1"},
		{"service.0.fake", "8:1"}, // inside a string: not a key, so its nearest ancestor
		{"service.0.tags.0", "13:3"},
		{"service.0.tags.1", "14:3"},
		{"service.1", "16:1"},
		{"service.1.name", "17:3"},
		{"service.1.auth.user", "18:11"},
		{"service.1.auth.pass.deep", "18:32"},
		{"service.1.check.0", "19:1"},
		{"service.1.check.0.x", "20:1"},
		{"service.2.lit", "22:1"},
		{"service.2.z", "24:1"},
		{"service.2.y", "21:1"}, // not a key: nearest ancestor, [[service]] #3
		{"http.nested.w", "26:1"},
	}
	for _, sc := range scenarios {
		t.Run(sc.path, func(t *testing.T) {
			t.Parallel()
			line, col := loc.pos(sc.path)
			if got := fmt.Sprintf("%d:%d", line, col); got != sc.want {
				t.Errorf("pos(%q) = %s, want %s", sc.path, got, sc.want)
			}
		})
	}
}
