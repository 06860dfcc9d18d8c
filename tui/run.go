package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// ColorMode is the --color setting.
type ColorMode int

const (
	ColorAuto ColorMode = iota // detect from the terminal and NO_COLOR
	ColorTrueColor
	Color256
	Color16
	ColorNone // no colour; glyphs and bold still carry every state
)

var colorModeNames = map[string]ColorMode{
	"auto": ColorAuto, "": ColorAuto,
	"truecolor": ColorTrueColor, "24bit": ColorTrueColor,
	"256": Color256, "16": Color16, "ansi": Color16,
	"none": ColorNone, "never": ColorNone, "off": ColorNone,
}

// ParseColorMode reads a --color value.
func ParseColorMode(s string) (ColorMode, error) {
	m, ok := colorModeNames[strings.ToLower(strings.TrimSpace(s))]
	if !ok {
		return ColorAuto, fmt.Errorf("unknown colour mode %q: use auto, truecolor, 256, 16 or none", s)
	}
	return m, nil
}

func (c ColorMode) String() string {
	return [...]string{"auto", "truecolor", "256", "16", "none"}[c]
}

// Profile is the colour profile the program renders with. An explicit mode
// wins; auto detects from out and env, and a non-empty NO_COLOR turns
// colour off (https://no-color.org) while keeping bold and the glyphs.
func (c ColorMode) Profile(out io.Writer, env []string) colorprofile.Profile {
	switch c {
	case ColorTrueColor:
		return colorprofile.TrueColor
	case Color256:
		return colorprofile.ANSI256
	case Color16:
		return colorprofile.ANSI
	case ColorNone:
		return colorprofile.ASCII
	}
	p := colorprofile.Detect(out, env)
	if getenv(env, "NO_COLOR") != "" && p > colorprofile.ASCII {
		p = colorprofile.ASCII
	}
	return p
}

// Run runs m as a full-screen program on in/out until the user quits or ctx
// ends (a cancelled ctx is a normal end, not an error). env is the
// terminal's environment (TERM, NO_COLOR…); nil means this process's.
func Run(ctx context.Context, m Model, in io.Reader, out io.Writer, env []string) error {
	if env == nil {
		env = os.Environ()
	}
	defer m.Close()
	if term := getenv(env, "TERM"); term == "linux" || term == "dumb" {
		m.opt.ASCII = true
		m = m.setTheme(m.st, newGlyphs(true))
	}
	profile := m.opt.Color.Profile(out, env)
	opts := []tea.ProgramOption{
		tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out),
		tea.WithEnvironment(env), tea.WithColorProfile(profile),
	}
	if m.opt.Color != ColorAuto || profile <= colorprofile.ASCII {
		// bubbletea upgrades to truecolor when the terminal reports RGB;
		// an explicit --color or NO_COLOR must stay what it said.
		opts = append(opts, tea.WithFilter(dropCapability))
	}
	_, err := tea.NewProgram(m, opts...).Run()
	if err != nil && ctx.Err() != nil && errors.Is(err, tea.ErrProgramKilled) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("terminal UI: %w", err)
	}
	return nil
}

func dropCapability(_ tea.Model, msg tea.Msg) tea.Msg {
	if _, ok := msg.(tea.CapabilityMsg); ok {
		return nil
	}
	return msg
}

func getenv(env []string, key string) string {
	v := ""
	for _, kv := range env {
		if k, val, ok := strings.Cut(kv, "="); ok && k == key {
			v = val // the last one wins, as in a shell
		}
	}
	return v
}
