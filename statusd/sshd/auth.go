package sshd

import (
	"bufio"
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// keyring is the set of allowed public keys, re-read from authorized_keys
// whenever the file's mtime or size changes (one stat per authentication),
// so adding or removing a key needs no restart.
type keyring struct {
	path string
	log  *slog.Logger

	mu      sync.Mutex
	modTime time.Time
	size    int64
	keys    map[string]bool // key.Marshal() as string
}

func newKeyring(path string, log *slog.Logger) (*keyring, error) {
	k := &keyring{path: path, log: log}
	if err := k.refresh(); err != nil {
		return nil, err
	}
	return k, nil
}

// allowed reports whether key is in the file as it is now. If the file has
// become unreadable every key is refused: failing closed is the only safe way.
func (k *keyring) allowed(key gossh.PublicKey) bool {
	if err := k.refresh(); err != nil {
		k.log.Error("ssh: refusing every key", "err", err)
		return false
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.keys[string(key.Marshal())]
}

func (k *keyring) refresh() error {
	fi, err := os.Stat(k.path)
	if err != nil {
		k.mu.Lock()
		k.keys = nil
		k.modTime = time.Time{}
		k.mu.Unlock()
		return fmt.Errorf("ssh: authorized_keys %s: %w; create it with the public keys allowed to connect", k.path, err)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.keys != nil && fi.ModTime().Equal(k.modTime) && fi.Size() == k.size {
		return nil
	}
	data, err := os.ReadFile(k.path)
	if err != nil {
		return fmt.Errorf("ssh: read authorized_keys %s: %w", k.path, err)
	}
	k.keys = parseAuthorizedKeys(data, k.path, k.log)
	k.modTime, k.size = fi.ModTime(), fi.Size()
	k.log.Info("ssh: loaded authorized_keys", "path", k.path, "keys", len(k.keys))
	return nil
}

// parseAuthorizedKeys skips a malformed line with a warning rather than
// refusing everyone: one bad paste must not lock every operator out.
// Key options (from=, command=…) are ignored: sessions are read-only anyway.
func parseAuthorizedKeys(data []byte, path string, log *slog.Logger) map[string]bool {
	keys := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		pk, _, _, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			log.Warn("ssh: skipping unreadable authorized_keys line", "path", path, "line", n, "err", err)
			continue
		}
		keys[string(pk.Marshal())] = true
	}
	return keys
}
