package alert

import (
	"strconv"

	"github.com/uptop-dev/uptop/store"
)

// fact is one labelled value the chat notifiers show as a field.
type fact struct{ Name, Value string }

// facts are the fields a chat message shows for a single event.
func facts(m Message) []fact {
	if len(m.Events) != 1 {
		return []fact{{"Services", strconv.Itoa(len(m.Events))}}
	}
	e := m.Events[0]
	out := []fact{{"Service", e.Service}, {"Status", e.Status.String()}}
	switch e.Kind {
	case KindUp:
		out = append(out, fact{"Down for", fmtDuration(e.Duration)})
		if e.Previous == store.Degraded {
			out[len(out)-1].Name = "Slow for"
		}
	case KindReminder:
		out = append(out, fact{"Down for", fmtDuration(e.Duration)})
	case KindDegraded:
		out = append(out, fact{"Latency", fmtDuration(e.Latency)})
	}
	if e.Error != "" && e.Kind != KindUp {
		out = append(out, fact{"Error", e.Error})
	}
	return out
}

// colour is the kind's colour as 0xRRGGBB: red down, green up, amber else.
func colour(k Kind) int {
	switch k {
	case KindDown, KindReminder:
		return 0xD93025
	case KindUp:
		return 0x1E8E3E
	case KindTest:
		return 0x1A73E8
	}
	return 0xF9AB00
}
