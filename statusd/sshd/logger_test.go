package sshd

import (
	"io"
	"log/slog"

	"github.com/jonboulle/clockwork"
)

func newTestLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func newFakeClock() *clockwork.FakeClock { return clockwork.NewFakeClock() }
