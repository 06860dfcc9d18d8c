package sshd

import (
	"reflect"
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestFilterMsg(t *testing.T) {
	t.Parallel()
	fallback := tea.WindowSizeMsg{Width: fallbackWidth, Height: fallbackHeight}
	cases := []struct {
		name       string
		colourless bool
		in, want   tea.Msg
	}{
		{"a real size passes", false, tea.WindowSizeMsg{Width: 120, Height: 40}, tea.WindowSizeMsg{Width: 120, Height: 40}},
		{"0x0 becomes the fallback", false, tea.WindowSizeMsg{}, fallback},
		{"no height becomes the fallback", false, tea.WindowSizeMsg{Width: 100}, fallback},
		{"suspend resumes", false, tea.SuspendMsg{}, tea.ResumeMsg{}},
		{"capabilities dropped when colourless", true, tea.CapabilityMsg{Content: "RGB"}, nil},
		{"capabilities kept otherwise", false, tea.CapabilityMsg{Content: "RGB"}, tea.CapabilityMsg{Content: "RGB"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := filterMsg(c.colourless, c.in); !reflect.DeepEqual(got, c.want) {
				t.Errorf("filterMsg(%v, %#v) = %#v, want %#v", c.colourless, c.in, got, c.want)
			}
		})
	}
}
