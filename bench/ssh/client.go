package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

func writeClientKey(path string) (authorizedLine []byte, err error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := gossh.MarshalPrivateKey(priv, "")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		return nil, err
	}
	sshPub, err := gossh.NewPublicKey(pub)
	if err != nil {
		return nil, err
	}
	return gossh.MarshalAuthorizedKey(sshPub), nil
}

// runClients opens n PTY sessions, waits until each has drawn a screen,
// says "ready" and then keeps reading (an idle user watching) until killed.
func runClients(addr, keyPath string, n int) error {
	data, err := os.ReadFile(keyPath)
	if err != nil {
		return err
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		return err
	}
	cfg := &gossh.ClientConfig{User: "bench", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := openSession(addr, cfg); err != nil {
				errs <- fmt.Errorf("session %d: %w", i, err)
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	fmt.Println("ready")
	select {}
}

// openSession returns once the session's first screen is in, so waiting
// for every call means "all drawn"; a goroutine keeps reading after that.
func openSession(addr string, cfg *gossh.ClientConfig) error {
	c, err := gossh.Dial("tcp", addr, cfg)
	if err != nil {
		return err
	}
	s, err := c.NewSession()
	if err != nil {
		return err
	}
	if err := s.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
		return err
	}
	out, err := s.StdoutPipe()
	if err != nil {
		return err
	}
	if err := s.Shell(); err != nil {
		return err
	}
	buf := make([]byte, 32*1024)
	var seen strings.Builder
	for !strings.Contains(seen.String(), "svc-") {
		k, err := out.Read(buf)
		if err != nil {
			return fmt.Errorf("no screen: %w", err)
		}
		seen.Write(buf[:k])
	}
	go io.Copy(io.Discard, out)
	return nil
}
