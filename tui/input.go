package tui

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// onKey routes a key press: to the filter while typing, else to the global
// keys, then to the current mode's component.
func (m Model) onKey(k tea.KeyPressMsg) (Model, tea.Cmd) {
	if k.String() == "ctrl+c" {
		return m, tea.Quit
	}
	if m.filter.Focused() { // typing: global keys are text
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Update(k)
		m.table = m.table.SetQuery(m.filter.Query())
		return m, cmd
	}
	switch {
	case key.Matches(k, m.keys.Quit):
		return m, tea.Quit
	case key.Matches(k, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		return m, nil
	case key.Matches(k, m.keys.Recheck):
		return m.recheck()
	}
	if m.mode == modeDetail {
		if key.Matches(k, m.keys.Back) {
			m.mode = modeTable
			return m, nil
		}
		var cmd tea.Cmd
		m.detail, cmd = m.detail.Update(k)
		return m, cmd
	}
	return m.onTableKey(k)
}

func (m Model) onTableKey(k tea.KeyPressMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.keys.Enter):
		sel := m.table.Selected()
		if sel == nil {
			return m, nil
		}
		m.mode = modeDetail
		m.detail = m.detail.Open(sel).SetNow(m.now)
		m.lastFetch, m.fetchDirty = time.Time{}, true
		return m.maybeFetch()
	case key.Matches(k, m.keys.Filter):
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Focus()
		return m, cmd
	case key.Matches(k, m.keys.Back):
		if m.filter.Value() != "" {
			m.filter = m.filter.Clear()
			m.table = m.table.SetQuery(nil)
		}
		return m, nil
	case key.Matches(k, m.keys.Sort):
		m.table = m.table.SetSort(m.table.sort.next())
		return m, nil
	case key.Matches(k, m.keys.Reverse):
		m.table = m.table.SetSort(m.table.sort.reversed())
		return m, nil
	}
	var cmd tea.Cmd
	m.table, cmd = m.table.Update(k)
	return m, cmd
}

// recheck asks the Source to check the selected service now.
func (m Model) recheck() (Model, tea.Cmd) {
	svc := m.table.Selected()
	if m.mode == modeDetail {
		svc = m.detail.svc
	}
	if svc == nil {
		return m, nil
	}
	if m.opt.ReadOnly {
		return m.setNotice(ErrReadOnly.Error(), true), nil
	}
	m = m.setNotice("re-checking "+svc.Name+"…", false)
	return m, recheck(m.src, svc.ID, svc.Name)
}
