package tui

import "charm.land/bubbles/v2/key"

// keyMap holds every binding; each mode shows its own subset in the help
// bar through the help.KeyMap views below.
type keyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Enter, Back, Filter, Sort, Reverse      key.Binding
	Recheck, Help, Quit                     key.Binding
	filter                                  filterKeys
}

// filterKeys are the only keys that mean something while typing a filter.
type filterKeys struct {
	Apply, Cancel key.Binding
}

func newKeyMap() keyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return keyMap{
		Up:       b("↑/k", "up", "up", "k"),
		Down:     b("↓/j", "down", "down", "j"),
		PageUp:   b("pgup", "page up", "pgup", "ctrl+b"),
		PageDown: b("pgdn", "page down", "pgdown", "ctrl+f", "space"),
		Top:      b("g", "top", "g", "home"),
		Bottom:   b("G", "bottom", "G", "end"),
		Enter:    b("enter", "detail", "enter"),
		Back:     b("esc", "back", "esc"),
		Filter:   b("/", "filter", "/"),
		Sort:     b("s", "sort", "s"),
		Reverse:  b("S", "reverse", "S"),
		Recheck:  b("r", "re-check", "r"),
		Help:     b("?", "help", "?"),
		Quit:     b("q", "quit", "q", "ctrl+c"),
		filter: filterKeys{
			Apply:  b("enter", "apply", "enter"),
			Cancel: b("esc", "clear", "esc"),
		},
	}
}

// tableHelp is the help for the table.
type tableHelp struct {
	k         keyMap
	filtering bool // a filter is applied: esc clears it
}

func (h tableHelp) ShortHelp() []key.Binding {
	bs := []key.Binding{hint("↑↓/jk", "move"), h.k.Enter, h.k.Filter, hint("s/S", "sort"), h.k.Recheck}
	if h.filtering {
		bs = append(bs, hint("esc", "clear filter"))
	}
	return append(bs, h.k.Help, h.k.Quit)
}

func (h tableHelp) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{h.k.Up, h.k.Down, h.k.PageUp, h.k.PageDown, h.k.Top, h.k.Bottom},
		{h.k.Enter, h.k.Filter, h.k.Back, h.k.Sort, h.k.Reverse},
		{h.k.Recheck, h.k.Help, h.k.Quit},
	}
}

// detailHelp is the help for the detail view.
type detailHelp struct{ k keyMap }

func (h detailHelp) ShortHelp() []key.Binding {
	return []key.Binding{h.k.Back, h.k.Recheck, hint("↑↓/jk", "scroll"), h.k.Help, h.k.Quit}
}

func (h detailHelp) FullHelp() [][]key.Binding {
	return [][]key.Binding{{h.k.Back, h.k.Up, h.k.Down}, {h.k.Recheck, h.k.Help, h.k.Quit}}
}

// filterHelp is the help while typing a filter.
type filterHelp struct{ k filterKeys }

func (h filterHelp) ShortHelp() []key.Binding {
	return []key.Binding{h.k.Apply, h.k.Cancel, hint("status:down tag:prod text", "all words must match")}
}

func (h filterHelp) FullHelp() [][]key.Binding { return [][]key.Binding{h.ShortHelp()} }

// hint is a help-bar entry that groups or explains keys; it matches no key
// itself (the real bindings above do the work).
func hint(keys, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(""), key.WithHelp(keys, desc))
}
