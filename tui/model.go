package tui

import (
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"github.com/jonboulle/clockwork"

	"github.com/uptop-dev/uptop/store"
)

// Options configure a Model.
type Options struct {
	Color    ColorMode       // --color; Run maps it to the program's colour profile
	ReadOnly bool            // r shows ErrReadOnly instead of asking the Source
	Title    string          // header and window title; default "uptop"
	Clock    clockwork.Clock // nil = real clock
	// ASCII uses _.-=# sparklines and ASCII status glyphs; Run turns it on
	// for TERM=linux or dumb.
	ASCII bool
}

// The smallest terminal the layout works in; below it a notice is shown.
const minWidth, minHeight = 40, 8

type mode int

const (
	modeTable mode = iota
	modeDetail
)

// Model is the root of the program: it routes messages to the table, the
// filter and the detail view, and owns the live plumbing.
type Model struct {
	src   Source
	opt   Options
	clock clockwork.Clock
	keys  keyMap
	st    *Styles
	g     glyphs

	snap   *store.Snapshot
	table  tableModel
	detail detailModel
	filter filterModel
	help   help.Model
	mode   mode

	helpLines []string // the rendered help bar, refreshed by resize

	width, height int
	now           time.Time
	notice        string
	noticeErr     bool
	noticeUntil   time.Time

	changed <-chan struct{}
	life    *lifetime

	// detail refresh rate limit
	fetching, fetchDirty, fetchTimer bool
	lastFetch                        time.Time
}

// lifetime is shared by every copy of a Model: Close ends the subscription
// and every waiting command once.
type lifetime struct {
	once   sync.Once
	done   chan struct{}
	cancel func()
}

// New builds the program's model over src and subscribes to its changes;
// call Close (Run does) when the program ends.
func New(src Source, opt Options) Model {
	if opt.Clock == nil {
		opt.Clock = clockwork.NewRealClock()
	}
	if opt.Title == "" {
		opt.Title = "uptop"
	}
	changed, cancel := src.Subscribe()
	m := Model{
		src: src, opt: opt, clock: opt.Clock, keys: newKeyMap(),
		st: newStyles(true), g: newGlyphs(opt.ASCII),
		changed: changed, life: &lifetime{done: make(chan struct{}), cancel: cancel},
		help: help.New(),
	}
	m.table = newTable(m.st, m.g, m.keys)
	m.detail = newDetail(m.st, m.g, m.keys)
	m.filter = newFilter(m.st, m.keys.filter)
	m.help.Styles = m.st.Help
	m.now = m.clock.Now()
	return m.applySnapshot(src.Snapshot())
}

// Close ends the subscription and stops the model's waiting commands.
func (m Model) Close() {
	m.life.once.Do(func() {
		close(m.life.done)
		if m.life.cancel != nil {
			m.life.cancel()
		}
	})
}

func (m Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor,
		waitChange(m.src, m.changed, m.life.done, m.clock), tick(m.clock, m.life.done))
}

func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = max(msg.Width, 0), max(msg.Height, 0)
	case tea.BackgroundColorMsg:
		m = m.setTheme(newStyles(msg.IsDark()), m.g)
	case snapshotMsg:
		m, cmd = m.onSnapshot(msg.snap)
		cmd = tea.Batch(cmd, waitChange(m.src, m.changed, m.life.done, m.clock))
	case tickMsg:
		m = m.setNow(time.Time(msg))
		if !m.noticeUntil.IsZero() && !m.now.Before(m.noticeUntil) {
			m.notice, m.noticeUntil = "", time.Time{}
		}
		cmd = tick(m.clock, m.life.done)
	case detailDataMsg:
		m.fetching = false
		m.detail, _ = m.detail.Update(msg)
		if m.fetchDirty {
			m, cmd = m.maybeFetch()
		}
	case detailDueMsg:
		m.fetchTimer = false
		if m.fetchDirty {
			m, cmd = m.maybeFetch()
		}
	case recheckMsg:
		if msg.err != nil {
			m = m.setNotice(msg.err.Error(), true)
		}
	case tea.KeyPressMsg:
		m, cmd = m.onKey(msg)
	default:
		if m.filter.Focused() { // cursor blink and paste
			m.filter, cmd = m.filter.Update(msg)
		}
	}
	m.resize()
	return m, cmd
}

func (m Model) onSnapshot(s *store.Snapshot) (Model, tea.Cmd) {
	prev := m.detail.svc
	m = m.applySnapshot(s)
	if m.mode == modeDetail && m.detail.svc != prev {
		m.fetchDirty = true
		return m.maybeFetch()
	}
	return m, nil
}

func (m Model) applySnapshot(s *store.Snapshot) Model {
	if s == nil {
		return m
	}
	m.snap = s
	m.now = m.clock.Now()
	m.table = m.table.SetServices(s.Services).SetNow(m.now)
	if svc, ok := s.Service(m.detail.ID()); ok {
		m.detail = m.detail.SetService(svc)
	}
	m.detail = m.detail.SetNow(m.now)
	return m
}

func (m Model) setNow(now time.Time) Model {
	m.now = now
	m.table = m.table.SetNow(now)
	m.detail = m.detail.SetNow(now)
	return m
}

func (m Model) setTheme(st *Styles, g glyphs) Model {
	m.st, m.g = st, g
	m.table = m.table.SetTheme(st, g)
	m.detail = m.detail.SetTheme(st, g)
	m.filter = m.filter.SetStyles(st)
	m.help.Styles = st.Help
	return m
}

func (m Model) setNotice(text string, isErr bool) Model {
	m.notice, m.noticeErr, m.noticeUntil = text, isErr, m.clock.Now().Add(noticeTTL)
	return m
}

// maybeFetch queries the detail history now, or once the rate limit allows.
func (m Model) maybeFetch() (Model, tea.Cmd) {
	if m.mode != modeDetail {
		m.fetchDirty = false
		return m, nil
	}
	if m.fetching {
		m.fetchDirty = true
		return m, nil
	}
	now := m.clock.Now()
	if wait := m.lastFetch.Add(detailGap).Sub(now); !m.lastFetch.IsZero() && wait > 0 {
		m.fetchDirty = true
		if m.fetchTimer {
			return m, nil
		}
		m.fetchTimer = true
		return m, after(m.clock, m.life.done, wait, detailDueMsg{})
	}
	m.fetchDirty, m.fetching, m.lastFetch = false, true, now
	return m, fetchDetail(m.src, m.detail.ID(), now)
}

// helpKeys is the help for the current mode.
func (m Model) helpKeys() help.KeyMap {
	switch {
	case m.filter.Focused():
		return filterHelp{m.keys.filter}
	case m.mode == modeDetail:
		return detailHelp{m.keys}
	}
	return tableHelp{k: m.keys, filtering: m.filter.Value() != ""}
}

// title is the window title: the name and whatever is down.
func (m Model) title() string {
	if m.snap == nil || m.snap.Counts.Down == 0 {
		return m.opt.Title
	}
	return m.opt.Title + " · " + strings.TrimSpace(m.countsPlain())
}
