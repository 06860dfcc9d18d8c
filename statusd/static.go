package statusd

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strconv"
)

//go:embed static
var staticFS embed.FS

// assetVersion busts caches of the embedded CSS/JS when they change.
var assetVersion = func() string {
	h := sha256.New()
	_ = fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := staticFS.ReadFile(p)
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}()

// staticHandler serves the embedded CSS and JS: same origin, so the CSP
// needs no 'unsafe-inline', and long-cached because URLs carry ?v=.
func staticHandler() http.Handler {
	fsh := http.FileServerFS(staticFS)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		fsh.ServeHTTP(w, r)
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
