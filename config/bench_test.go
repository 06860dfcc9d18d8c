package config

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkParse10k measures a 10,000-service file, the size of the load
// target: locate, expand, decode and validate.
func BenchmarkParse10k(b *testing.B) {
	var src strings.Builder
	src.WriteString("[defaults]\ninterval = \"10s\"\ntimeout = \"2s\"\n")
	for i := range 10000 {
		fmt.Fprintf(&src, "\n[[service]]\nname = \"svc %d\"\nurl = \"http://127.0.0.1:%d/health?token=${TOKEN}\"\nexpect_status = [200]\ntags = [\"load\", \"t%d\"]\n",
			i, 1024+i%50000, i%10)
	}
	data := []byte(src.String())
	env := envOf(map[string]string{"TOKEN": "secret"})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := Parse("bench.toml", data, env)
		if err != nil || len(f.Services) != 10000 {
			b.Fatalf("Parse: %v", err)
		}
	}
}
