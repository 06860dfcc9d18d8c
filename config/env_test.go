package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestEnvErrors(t *testing.T) {
	t.Parallel()
	scenarios := []struct {
		name string
		src  string
		env  map[string]string
		want []string
	}{
		{
			name: "unset variable points at its ${",
			src:  "[[service]]\nname = \"a\"\nurl = \"https://example.com/?token=${API_TOKEN}\"\n",
			want: []string{`f.toml:3:35: environment variable API_TOKEN is not set: export it, or write $${API_TOKEN} for a literal ${API_TOKEN}`},
		},
		{
			name: "second variable of a value",
			src:  "[[service]]\nname = \"a\"\nurl = \"https://${HOST}/${PATH_PART}\"\n",
			env:  map[string]string{"HOST": "example.com"},
			want: []string{`f.toml:3:24: environment variable PATH_PART is not set: export it, or write $${PATH_PART} for a literal ${PATH_PART}`},
		},
		{
			name: "variable in an array item",
			src:  "[[service]]\nname = \"a\"\nurl = \"https://example.com\"\ntags = [\"prod\", \"${REGION}\"]\n",
			want: []string{`f.toml:4:18: environment variable REGION is not set: export it, or write $${REGION} for a literal ${REGION}`},
		},
		{
			name: "escaped $${ before an unset variable",
			src:  "[[service]]\nname = \"a\"\nurl = \"https://example.com/$${X}/${Y}\"\n",
			want: []string{`f.toml:3:34: environment variable Y is not set: export it, or write $${Y} for a literal ${Y}`},
		},
		{
			name: "bad variable syntax",
			src:  "[[service]]\nname = \"a ${}\"\nurl = \"https://example.com\"\n",
			want: []string{`f.toml:2:11: ${ must be followed by a variable name and }: write ${NAME} (letters, digits, _), or $${ for a literal ${`},
		},
		{
			name: "unterminated variable",
			src:  "[[service]]\nname = \"a\"\nurl = \"https://example.com\"\ndescription = \"costs ${5\"\n",
			want: []string{`f.toml:4:22: ${ must be followed by a variable name and }: write ${NAME} (letters, digits, _), or $${ for a literal ${`},
		},
		{
			name: "expanded value stays out of a duration error",
			src:  "[defaults]\ninterval = \"${EVERY}\"\n" + okService,
			env:  map[string]string{"EVERY": "every hunter2 minutes"},
			want: []string{`f.toml:2:1: invalid duration "${EVERY}": write e.g. "30s", "1m30s"`},
		},
		{
			name: "expanded value stays out of a duplicate-name error",
			src:  "[[service]]\nname = \"${N}\"\nurl = \"https://example.com\"\n[[service]]\nname = \"${N}\"\ntcp = \"example.com:1\"\n",
			env:  map[string]string{"N": "secret-name"},
			want: []string{`f.toml:5:1: duplicate service name "${N}" (first on line 2): give each service its own name`},
		},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			got := problems(t, sc.src, sc.env)
			if !reflect.DeepEqual(got, sc.want) {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(sc.want, "\n"))
			}
		})
	}
}

// TestEnvSecretsNeverInErrors checks every message of a broken config whose
// values come from the environment for the variables' values.
func TestEnvSecretsNeverInErrors(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"U":   "ftp://admin:s3cr3t-pw@example.com/",
		"T":   "tcp-s3cr3t-host",
		"TOK": "s3cr3t-token",
	}
	src := "[[service]]\nname = \"a\"\nurl = \"${U}\"\ninterval = \"${TOK}\"\n" +
		"[[service]]\nname = \"b\"\ntcp = \"${T}\"\nbody_contains = \"${TOK}\"\n"
	got := strings.Join(problems(t, src, env), "\n")
	if !strings.Contains(got, "url must start with http") || !strings.Contains(got, "tcp must be host:port") {
		t.Fatalf("expected url and tcp problems, got:\n%s", got)
	}
	for _, secret := range []string{"s3cr3t", "admin"} {
		if strings.Contains(got, secret) {
			t.Errorf("an expanded value reached an error message:\n%s", got)
		}
	}
}

func TestEnvExpansion(t *testing.T) {
	t.Parallel()
	src := `[[service]]
name = "${NAME} API"
url = "https://${HOST}/health?token=${TOKEN}"
body_contains = "price: $$${AMOUNT} $5"
tags = ["${REGION}", "literal $${X}"]
description = "${EMPTY}"
`
	env := map[string]string{"NAME": "Public", "HOST": "example.com", "TOKEN": "t0k", "REGION": "eu", "EMPTY": ""}
	f, err := Parse("f.toml", []byte(src), envOf(env))
	if err != nil {
		t.Fatal(err)
	}
	s := f.Services[0]
	want := Service{
		ID: "public-api", Name: "Public API",
		URL:          "https://example.com/health?token=t0k",
		BodyContains: "price: $${AMOUNT} $5",
		Tags:         []string{"eu", "literal ${X}"},
	}
	got := Service{ID: s.ID, Name: s.Name, URL: s.URL, BodyContains: s.BodyContains, Tags: s.Tags, Description: s.Description}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if tg := f.Specs()[0].Target; tg != "https://example.com/health?token=xxxxx" {
		t.Errorf("spec target %q is not redacted", tg)
	}
}
