package sshd

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// loadOrCreateHostKey returns the signer of the key at path, creating an
// ed25519 key there first if there is none. Clients pin the host key, so it
// is created once and never replaced: a changed key after a redeploy would
// look like an attack to every user.
func loadOrCreateHostKey(path string, log *slog.Logger) (gossh.Signer, error) {
	signer, err := readHostKey(path, log)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return signer, err
	}
	if err := createHostKey(path); err != nil {
		return nil, err
	}
	log.Info("ssh: created host key", "path", path)
	return readHostKey(path, log)
}

func readHostKey(path string, log *slog.Logger) (gossh.Signer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("ssh: read host key %s: %w", path, err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		log.Warn("ssh: host key is readable by others; chmod 600 it", "path", path, "mode", fi.Mode().Perm().String())
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("ssh: host key %s is not an unencrypted OpenSSH private key (%w); move it away to have a new one created", path, err)
	}
	return signer, nil
}

// createHostKey writes a new key to a temporary file and hard-links it into
// place, so a concurrent start can never see half a key nor overwrite one.
func createHostKey(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("ssh: create host key directory: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("ssh: generate host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "uptop host key")
	if err != nil {
		return fmt.Errorf("ssh: encode host key: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".hostkey-*")
	if err != nil {
		return fmt.Errorf("ssh: write host key in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("ssh: write host key: %w", err)
	}
	if _, err := tmp.Write(pem.EncodeToMemory(block)); err != nil {
		tmp.Close()
		return fmt.Errorf("ssh: write host key: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("ssh: write host key: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("ssh: write host key: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("ssh: install host key at %s: %w", path, err)
	}
	return nil
}
