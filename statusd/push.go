package statusd

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"unicode"

	"github.com/uptop-dev/uptop/probe"
)

// Push endpoint limits: a heartbeat is a few bytes; anything bigger is
// refused before it costs memory.
const (
	maxPushBody  = 4 << 10 // form body, bytes
	maxPushQuery = 2 << 10 // query string, bytes
	maxPushMsg   = 200     // runes of msg kept
)

// PushHandler serves POST /api/v1/push/{token}: a job's heartbeat for the
// push service whose token it is (tokens maps token → service id), with
// optional status=up|down and msg=… in the query or a form body. An unknown
// token is a plain 404 that does not say whether any token exists; tokens
// are looked up by their SHA-256 so timing says nothing about them. Mount it
// for both GET and POST on the pattern so a GET gets its 405.
func PushHandler(book *probe.PushBook, tokens map[string]string) http.Handler {
	byHash := make(map[[32]byte]string, len(tokens))
	for tok, id := range tokens {
		if tok != "" {
			byHash[sha256.Sum256([]byte(tok))] = id
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			pushReply(w, http.StatusMethodNotAllowed, "use POST")
			return
		}
		token := r.PathValue("token")
		if token == "" {
			token = strings.TrimPrefix(r.URL.Path, "/api/v1/push/")
		}
		id, ok := byHash[sha256.Sum256([]byte(token))]
		if !ok || token == "" {
			pushReply(w, http.StatusNotFound, "not found")
			return
		}
		if len(r.URL.RawQuery) > maxPushQuery {
			pushReply(w, http.StatusRequestURITooLong, "the query is too long; keep msg short")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxPushBody)
		if err := r.ParseForm(); err != nil {
			if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
				pushReply(w, http.StatusRequestEntityTooLarge, "the body is too large; send at most 4 KiB")
				return
			}
			pushReply(w, http.StatusBadRequest, "the query or form does not parse")
			return
		}
		var down bool
		switch r.Form.Get("status") {
		case "", "up":
		case "down":
			down = true
		default:
			pushReply(w, http.StatusBadRequest, `status must be "up" or "down"`)
			return
		}
		book.Record(id, down, cleanMsg(r.Form.Get("msg")))
		pushReply(w, http.StatusOK, "")
	})
}

// cleanMsg keeps msg one short printable line.
func cleanMsg(msg string) string {
	msg = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, msg)
	if r := []rune(strings.TrimSpace(msg)); len(r) > maxPushMsg {
		return string(r[:maxPushMsg]) + "…"
	}
	return strings.TrimSpace(msg)
}

func pushReply(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	body := map[string]any{"ok": code == http.StatusOK}
	if msg != "" {
		body["error"] = msg
	}
	_ = json.NewEncoder(w).Encode(body)
}
