package statusd

import "github.com/uptop-dev/uptop/store"

// uptimeFor picks a window's uptime: 24h from the snapshot, the others from
// the daily rollups behind the view.
func uptimeFor(st *store.ServiceState, v *view, window string) (store.Uptime, bool) {
	if window == "24h" {
		return st.Uptime24h, true
	}
	sh := v.hist.svc[st.ID]
	if sh == nil {
		sh = &svcHistory{}
	}
	switch window {
	case "7d":
		return sh.up7, true
	case "30d":
		return sh.up30, true
	case "90d":
		return sh.up90, true
	}
	return store.Uptime{}, false
}
