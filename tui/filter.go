package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/uptop-dev/uptop/store"
)

// term is one word of a filter: "status:down", "tag:prod", "name:api",
// "target:example.com" or plain text matched against all of them.
type term struct {
	field string // "" matches any field
	value string // lower case
}

// query is a parsed filter; a service must match every term.
type query []term

var filterFields = map[string]string{
	"status": "status", "s": "status", "is": "status",
	"tag": "tag", "t": "tag",
	"name": "name", "n": "name",
	"target": "target", "url": "target", "host": "target",
	"group": "group",
}

func parseQuery(s string) query {
	var q query
	for _, w := range strings.Fields(strings.ToLower(s)) {
		if f, v, ok := strings.Cut(w, ":"); ok && filterFields[f] != "" {
			if v != "" {
				q = append(q, term{field: filterFields[f], value: v})
			}
			continue
		}
		q = append(q, term{value: w})
	}
	return q
}

func (q query) match(st *store.ServiceState) bool {
	for _, t := range q {
		if !t.match(st) {
			return false
		}
	}
	return true
}

func (t term) match(st *store.ServiceState) bool {
	has := func(s string) bool { return strings.Contains(strings.ToLower(s), t.value) }
	status := st.Status.String()
	switch t.field {
	case "status":
		// Prefix, so "status:deg" and "status:maint" work.
		return strings.HasPrefix(status, t.value)
	case "tag":
		for _, tag := range st.Tags {
			if strings.EqualFold(tag, t.value) {
				return true
			}
		}
		return false
	case "name":
		return has(st.Name)
	case "target":
		return has(st.Target)
	case "group":
		return has(st.Group)
	}
	if has(st.Name) || has(st.Target) || has(st.Group) || status == t.value {
		return true
	}
	for _, tag := range st.Tags {
		if has(tag) {
			return true
		}
	}
	return false
}

// filterModel is the "/" line: a text input while typing, and the applied
// query afterwards. While it is focused it receives every key.
type filterModel struct {
	input textinput.Model
	keys  filterKeys
	width int
}

func newFilter(st *Styles, keys filterKeys) filterModel {
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = "name, tag:prod, status:down…"
	in.SetStyles(st.Input)
	return filterModel{input: in, keys: keys}
}

func (f filterModel) Focused() bool { return f.input.Focused() }
func (f filterModel) Value() string { return strings.TrimSpace(f.input.Value()) }
func (f filterModel) Query() query  { return parseQuery(f.input.Value()) }

// Focus starts typing, keeping the current text so it can be edited.
func (f filterModel) Focus() (filterModel, tea.Cmd) {
	cmd := f.input.Focus()
	f.input.CursorEnd()
	return f, cmd
}

// Clear drops the query and stops typing.
func (f filterModel) Clear() filterModel {
	f.input.Reset()
	f.input.Blur()
	return f
}

func (f filterModel) SetStyles(st *Styles) filterModel {
	f.input.SetStyles(st.Input)
	return f
}

// Update handles keys while typing: enter keeps the filter, esc clears it,
// everything else edits the text.
func (f filterModel) Update(msg tea.Msg) (filterModel, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && f.Focused() {
		switch {
		case key.Matches(k, f.keys.Apply):
			f.input.Blur()
			return f, nil
		case key.Matches(k, f.keys.Cancel):
			return f.Clear(), nil
		}
	}
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	return f, cmd
}

func (f *filterModel) SetSize(w, _ int) {
	f.width = w
	f.input.SetWidth(max(w-2, 1))
}

func (f filterModel) View() string { return f.input.View() }
