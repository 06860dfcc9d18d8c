package tui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/jonboulle/clockwork"

	"github.com/uptop-dev/uptop/store"
)

// ids lists the table's rows in order.
func ids(m Model) string {
	var out []string
	for _, s := range m.table.rows {
		out = append(out, s.ID)
	}
	return strings.Join(out, ",")
}

func selected(m Model) string {
	if s := m.table.Selected(); s != nil {
		return s.ID
	}
	return ""
}

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

func TestNavigation(t *testing.T) {
	t.Parallel()
	// Default order is worst first: pay, search, legacy, batch, api, pg.
	cases := []struct {
		keys []string
		want string
	}{
		{nil, "pay"},
		{[]string{"down"}, "search"},
		{[]string{"j", "j"}, "legacy"},
		{[]string{"j", "k"}, "pay"},
		{[]string{"up"}, "pay"}, // clamps at the top
		{[]string{"G"}, "pg"},
		{[]string{"G", "j"}, "pg"}, // clamps at the bottom
		{[]string{"G", "g"}, "pay"},
		{[]string{"pgdown"}, "pg"}, // a page is longer than the list
		{[]string{"G", "pgup"}, "pay"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.keys, "+"), func(t *testing.T) {
			t.Parallel()
			m, _ := newTestModel(t, 120, 40)
			if got := selected(press(m, c.keys...)); got != c.want {
				t.Errorf("selected %q, want %q", got, c.want)
			}
		})
	}
}

func TestFilter(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, text, want string
	}{
		{"status", "status:down", "pay"},
		{"status prefix", "status:deg", "search"},
		{"plain status word", "up", "api,pg"},
		{"tag", "tag:eu", "pay,api"},
		{"name", "post", "pg"},
		{"target", "example.com", "pay,search,legacy,api"},
		{"all words", "tag:prod status:up", "api,pg"},
		{"nothing", "nope", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m, _ := newTestModel(t, 120, 40)
			m = press(typeText(press(m, "/"), c.text), "enter")
			if got := ids(m); got != c.want {
				t.Errorf("rows %q, want %q", got, c.want)
			}
			if m.filter.Focused() {
				t.Error("enter should stop typing")
			}
			if !strings.Contains(plain(m), "filter "+c.text) {
				t.Errorf("header does not show the filter %q", c.text)
			}
		})
	}
}

func TestFilterTypingIgnoresGlobalKeys(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, 120, 40)
	m = press(m, "/")
	for _, k := range []string{"q", "s", "S", "j", "G", "r", "?", "enter"} {
		next, cmd := m.Update(keyMsg(k))
		m = next.(Model)
		if k == "enter" {
			break
		}
		if isQuit(cmd) {
			t.Fatalf("%q quit while typing", k)
		}
	}
	if got := m.filter.Value(); got != "qsSjGr?" {
		t.Errorf("filter text %q, want every key typed", got)
	}
	if m.table.sort != defaultSort() || m.help.ShowAll || m.mode != modeTable || m.notice != "" {
		t.Errorf("a global key acted while typing: sort %v, help %v, mode %v, notice %q",
			m.table.sort, m.help.ShowAll, m.mode, m.notice)
	}
	// esc while typing clears; esc afterwards clears an applied filter.
	m = press(m, "/", "esc")
	if m.filter.Value() != "" || m.filter.Focused() || ids(m) != "pay,search,legacy,batch,api,pg" {
		t.Errorf("esc while typing: value %q, rows %q", m.filter.Value(), ids(m))
	}
	m = press(typeText(press(m, "/"), "api"), "enter", "esc")
	if m.filter.Value() != "" || ids(m) != "pay,search,legacy,batch,api,pg" {
		t.Errorf("esc after applying: value %q, rows %q", m.filter.Value(), ids(m))
	}
	// ctrl+c quits even while typing.
	m = press(m, "/")
	if _, cmd := m.Update(keyMsg("ctrl+c")); !isQuit(cmd) {
		t.Error("ctrl+c did not quit while typing")
	}
}

func TestSort(t *testing.T) {
	t.Parallel()
	cases := []struct {
		keys       []string
		label      string
		want       string
		headerWant string
	}{
		{nil, "status ↓", "pay,search,legacy,batch,api,pg", "status↓"},
		{[]string{"S"}, "status ↑", "api,pg,batch,legacy,search,pay", "status↑"},
		{[]string{"s"}, "name ↑", "api,batch,legacy,pay,pg,search", "name↑"},
		{[]string{"s", "S"}, "name ↓", "search,pg,pay,legacy,batch,api", "name↓"},
		{[]string{"s", "s", "s"}, "latency ↓", "pay,search,api,pg,legacy,batch", "latency↓"},
		{[]string{"s", "s", "s", "s", "s"}, "up 24h ↑", "legacy,batch,pay,search,api,pg", "up 24h↑"},
		{[]string{"s", "s", "s", "s", "s", "s"}, "last check ↑", "pg,search,api,pay,legacy,batch", "checked↑"},
		{[]string{"s", "s", "s", "s", "s", "s", "s"}, "status ↓", "pay,search,legacy,batch,api,pg", "status↓"},
	}
	for _, c := range cases {
		t.Run(c.label, func(t *testing.T) {
			t.Parallel()
			m, _ := newTestModel(t, 120, 40)
			m = press(m, c.keys...)
			if got := m.table.sort.label(m.g); got != c.label {
				t.Errorf("sort %q, want %q", got, c.label)
			}
			if got := ids(m); got != c.want {
				t.Errorf("rows %q, want %q", got, c.want)
			}
			v := plain(m)
			if !strings.Contains(v, "sort "+c.label) || !strings.Contains(v, c.headerWant) {
				t.Errorf("view lacks %q or %q:\n%s", "sort "+c.label, c.headerWant, v)
			}
		})
	}
}

func TestSortKeepsSelection(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, 120, 40)
	m = press(m, "j", "s") // on search, then sort by name
	if got := selected(m); got != "search" {
		t.Errorf("selected %q after re-sort, want search", got)
	}
}

func TestEnterEsc(t *testing.T) {
	t.Parallel()
	m, src := newTestModel(t, 120, 40)
	next, cmd := press(m, "j").Update(keyMsg("enter"))
	m = next.(Model)
	if m.mode != modeDetail || m.detail.ID() != "search" {
		t.Fatalf("enter: mode %v on %q, want detail of search", m.mode, m.detail.ID())
	}
	if cmd == nil {
		t.Fatal("enter returned no command to fetch the history")
	}
	if !strings.Contains(plain(m), "loading history") {
		t.Error("detail view does not say it is loading")
	}
	m = send(m, cmd())
	if src.queries != 1 || m.fetching {
		t.Errorf("queries %d, fetching %v after the fetch", src.queries, m.fetching)
	}
	m = press(m, "esc")
	if m.mode != modeTable || selected(m) != "search" {
		t.Errorf("esc: mode %v, selected %q", m.mode, selected(m))
	}
	m = press(m, "q")
	if _, cmd := m.Update(keyMsg("q")); !isQuit(cmd) {
		t.Error("q did not quit")
	}
}

func TestRecheck(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		readOnly   bool
		srcErr     error
		wantNotice string
		wantCalls  int
	}{
		{"allowed", false, nil, "re-checking Payments gateway (EU west)…", 1},
		{"read-only option", true, nil, ErrReadOnly.Error(), 0},
		{"read-only source", false, ErrReadOnly, ErrReadOnly.Error(), 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			src := newFakeSource(fixture())
			src.recheckErr = c.srcErr
			m := New(src, Options{Clock: clockwork.NewFakeClockAt(t0), ReadOnly: c.readOnly})
			t.Cleanup(m.Close)
			m = send(m, tea.WindowSizeMsg{Width: 120, Height: 40})
			next, cmd := m.Update(keyMsg("r"))
			m = next.(Model)
			if cmd != nil {
				m = send(m, cmd())
			}
			if len(src.rechecked) != c.wantCalls {
				t.Errorf("Recheck called %d times, want %d", len(src.rechecked), c.wantCalls)
			}
			if m.notice != c.wantNotice || !strings.Contains(plain(m), c.wantNotice) {
				t.Errorf("notice %q, want %q shown", m.notice, c.wantNotice)
			}
			m = send(m, tickMsg(t0.Add(noticeTTL)))
			if m.notice != "" {
				t.Errorf("notice %q still shown after %v", m.notice, noticeTTL)
			}
		})
	}
}

func TestSizes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		w, h int
		want string
	}{
		{0, 0, ""},
		{30, 5, "terminal too small\n(need 40×8, have 30×5)"},
		{39, 20, "terminal too small\n(need 40×8, have 39×20)"},
		{120, 7, "terminal too small (need 40×8, have 120×7)"},
		{10, 3, "terminal\ntoo small\n(need"},
		{1, 1, "t"},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.want, "\n", " "), func(t *testing.T) {
			t.Parallel()
			m, _ := newTestModel(t, c.w, c.h)
			if got := plain(m); got != c.want {
				t.Errorf("view at %d×%d:\n%q\nwant\n%q", c.w, c.h, got, c.want)
			}
			m = press(m, "enter", "j", "/", "x") // nothing panics at any size
			_ = plain(m)
		})
	}
}

func TestBeforeFirstSize(t *testing.T) {
	t.Parallel()
	src := newFakeSource(fixture())
	m := New(src, Options{Clock: clockwork.NewFakeClockAt(t0)})
	defer m.Close()
	if got := m.View().Content; got != "" {
		t.Errorf("view before any size: %q", got)
	}
}

func TestResizeKeepsCursorVisible(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, 120, 40)
	m = press(m, "G")
	m = send(m, tea.WindowSizeMsg{Width: 80, Height: 8})
	v := plain(m)
	checkFrame(t, v, 80, 8)
	if !strings.Contains(v, "▶ ● up       Postgres") {
		t.Errorf("the selected last row is not visible after shrinking:\n%s", v)
	}
}

func TestSnapshotUpdatesRows(t *testing.T) {
	t.Parallel()
	m, src := newTestModel(t, 120, 40)
	svcs := fixture()
	svcs[1] = &store.ServiceState{Spec: svcs[1].Spec, Status: store.Down, LastError: "connection refused",
		LastCheck: t0, Version: 12}
	src.mu.Lock()
	src.snap = store.NewSnapshot(2, t0, svcs)
	src.mu.Unlock()
	src.changed <- struct{}{}
	fc := m.clock.(*clockwork.FakeClock)
	msgs := make(chan tea.Msg, 1)
	go func() { msgs <- waitChange(src, src.changed, m.life.done, fc)() }()
	if err := fc.BlockUntilContext(t.Context(), 1); err != nil {
		t.Fatal(err)
	}
	fc.Advance(redrawGap) // the coalescing gap
	m = send(m, <-msgs)
	if got := ids(m); got != "pg,pay,search,legacy,batch,api" {
		t.Errorf("rows after the snapshot %q", got)
	}
	if !strings.Contains(plain(m), "2 down") {
		t.Error("header counts did not follow the snapshot")
	}
}

func TestDetailRefreshIsRateLimited(t *testing.T) {
	t.Parallel()
	m, src := newTestModel(t, 120, 40)
	next, cmd := m.Update(keyMsg("enter"))
	m = send(next.(Model), cmd())
	changed := func(version uint64) tea.Cmd {
		svcs := fixture()
		svcs[3].Version = version
		var cmd tea.Cmd
		next, cmd := m.Update(snapshotMsg{snap: store.NewSnapshot(version, t0, svcs)})
		m = next.(Model)
		return cmd
	}
	changed(20) // within a second of the first fetch: deferred, not queried
	changed(21)
	if src.queries != 1 || !m.fetchDirty || !m.fetchTimer {
		t.Fatalf("queries %d, dirty %v, timer %v: want 1 query and one deferred refresh", src.queries, m.fetchDirty, m.fetchTimer)
	}
	m.clock.(*clockwork.FakeClock).Advance(detailGap)
	next, cmd = m.Update(detailDueMsg{})
	m = next.(Model)
	if cmd == nil {
		t.Fatal("no fetch once the rate limit passed")
	}
	m = send(m, cmd())
	if src.queries != 2 || m.fetchDirty {
		t.Errorf("queries %d, dirty %v: want the deferred refresh done once", src.queries, m.fetchDirty)
	}
}

func TestRecheckErrorFromCmd(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, 120, 40)
	m = send(m, recheckMsg{name: "API", err: errors.New("scheduler is stopped: restart uptop")})
	if !strings.Contains(plain(m), "scheduler is stopped") {
		t.Error("a failed re-check is not shown")
	}
}
