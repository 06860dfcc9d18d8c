package alert

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

func openStore(t testing.TB, path string, specs ...store.Spec) *store.Store {
	t.Helper()
	s, err := store.Open(specs, store.Options{Path: path, Node: "n1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

const testSecret = "whsec_c2VjcmV0LWtleS1mb3ItdGVzdHM="

func newTestDispatcher(t testing.TB, ob Outbox, url string, mod func(*Options)) *Dispatcher {
	t.Helper()
	opt := Options{
		Notifiers:   []NotifierConfig{{Name: "hook", Type: "webhook", URL: url, Secret: testSecret, Timeout: 2 * time.Second}},
		Outbox:      ob,
		BackoffBase: 5 * time.Millisecond,
		BackoffMax:  50 * time.Millisecond,
		TickEvery:   10 * time.Millisecond,
	}
	if mod != nil {
		mod(&opt)
	}
	d, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// start runs d until the test ends or the returned stop is called.
func start(t testing.TB, d *Dispatcher, feed Feed) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		d.Run(ctx, feed)
		close(done)
	}()
	stop = func() { cancel(); <-done }
	t.Cleanup(stop)
	<-d.Ready()
	return stop
}

func next(t testing.TB, rc *receiver) captured {
	t.Helper()
	select {
	case c := <-rc.got:
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("the receiver got nothing within 10s")
	}
	return captured{}
}

func downNotification(svc string) []Notification {
	ev := Event{ID: "evt_" + svc, Kind: KindDown, ServiceID: svc, Service: svc, Status: store.Down, Previous: store.Up, At: at, Error: "refused"}
	return []Notification{newNotification("hook", KindDown, []Event{ev})}
}

// settled waits until nothing is pending in the outbox and returns its rows.
func settled(t testing.TB, ob Outbox) []store.OutboxItem {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, pending, err := ob.OutboxNext(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !pending {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("notifications still pending after 10s")
		}
		time.Sleep(5 * time.Millisecond) // polling a database: there is no channel to wait on
	}
	items, err := ob.OutboxRecent(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func TestRetriedUntilDeliveredOnce(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n < 3 {
			w.Header().Set("Retry-After", "0")
			http.Error(w, "busy", http.StatusInternalServerError)
		}
	})
	st := openStore(t, "")
	d := newTestDispatcher(t, st, rc.URL, nil)
	start(t, d, nil)
	if err := d.Enqueue(context.Background(), downNotification("api")); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for range 4 {
		c := next(t, rc)
		ids[c.Header.Get("webhook-id")] = true
		if !verifyStandardWebhook(testSecret, c.Header, c.Body, time.Now()) {
			t.Fatal("a retry was not signed afresh")
		}
	}
	items := settled(t, st)
	if len(ids) != 1 || len(items) != 1 || items[0].State != store.OutboxDelivered || items[0].Attempts != 4 {
		t.Fatalf("ids %v, outbox %+v: want one id, delivered on attempt 4", ids, items)
	}
	if n := len(rc.requests()); n != 4 {
		t.Fatalf("receiver got %d requests, want 4", n)
	}
	rec := d.Recent(10)
	if len(rec) != 1 || rec[0].Result != "delivered" || rec[0].Attempts != 4 || rec[0].Event != KindDown {
		t.Fatalf("Recent = %+v", rec)
	}
}

func TestHangingReceiverTimesOutAndIsRetried(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 0 {
			<-r.Context().Done() // hang until the client gives up
		}
	})
	st := openStore(t, "")
	d := newTestDispatcher(t, st, rc.URL, func(o *Options) { o.Notifiers[0].Timeout = 100 * time.Millisecond })
	start(t, d, nil)
	if err := d.Enqueue(context.Background(), downNotification("api")); err != nil {
		t.Fatal(err)
	}
	first, second := next(t, rc), next(t, rc)
	items := settled(t, st)
	if first.Header.Get("webhook-id") != second.Header.Get("webhook-id") {
		t.Fatal("the retry changed the id")
	}
	if items[0].State != store.OutboxDelivered || items[0].Attempts != 2 {
		t.Fatalf("outbox %+v: want delivered on attempt 2", items[0])
	}
}

func TestRestartMidRetryDeliversOnce(t *testing.T) {
	t.Parallel()
	var healthy atomic.Bool
	var oks atomic.Int32
	rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		if !healthy.Load() {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		oks.Add(1)
	})
	path := filepath.Join(t.TempDir(), "uptop.db")
	st1 := openStore(t, path)
	d1 := newTestDispatcher(t, st1, rc.URL, nil)
	stop1 := start(t, d1, nil)
	if err := d1.Enqueue(context.Background(), downNotification("api")); err != nil {
		t.Fatal(err)
	}
	id := next(t, rc).Header.Get("webhook-id")
	next(t, rc)
	stop1()
	if err := st1.Close(); err != nil {
		t.Fatal(err)
	}

	healthy.Store(true)
	st2 := openStore(t, path)
	d2 := newTestDispatcher(t, st2, rc.URL, nil)
	start(t, d2, nil)
	var last captured
	for oks.Load() == 0 {
		last = next(t, rc)
		if got := last.Header.Get("webhook-id"); got != id {
			t.Fatalf("after restart the id is %q, want %q", got, id)
		}
	}
	items := settled(t, st2)
	if len(items) != 1 || items[0].State != store.OutboxDelivered || oks.Load() != 1 {
		t.Fatalf("outbox %+v, %d successful deliveries: want one, delivered", items, oks.Load())
	}
}

func TestEndToEndFromStoreTransition(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, nil)
	spec := store.Spec{ID: "api", Name: "API", Kind: "http", Interval: time.Second, FailThreshold: 1}
	st := openStore(t, "", spec)
	d := newTestDispatcher(t, st, rc.URL+"/hook?token=abc123", func(o *Options) { o.PageURL = "https://status.example.com" })
	start(t, d, st)
	st.Ingest(probe.Result{ServiceID: "api", Start: time.Now(), Duration: time.Millisecond, OK: true, Code: 200})
	st.Ingest(probe.Result{ServiceID: "api", Start: time.Now(), Duration: time.Millisecond, Err: "connection refused"})
	c := next(t, rc)
	var body webhookBody
	if err := json.Unmarshal(c.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Type != KindDown || body.Service != "API" || body.Error != "connection refused" || body.PageURL != "https://status.example.com" {
		t.Fatalf("webhook body %s", c.Body)
	}
	settled(t, st)
	resp, err := d.Test(context.Background(), "hook")
	if err != nil || resp.Code != 200 || resp.Body != "ok" {
		t.Fatalf("Test = %+v %v", resp, err)
	}
	if _, err := d.Test(context.Background(), "nope"); err == nil {
		t.Fatal("Test of an unknown notifier succeeded")
	}
	out, _ := json.Marshal(d.Recent(10))
	if strings.Contains(string(out), "abc123") || strings.Contains(string(out), "c2VjcmV0") {
		t.Fatalf("a secret leaked into Recent: %s", out)
	}
}

func TestThousandServicesFlippingAreBounded(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, nil)
	specs := make([]store.Spec, 1000)
	for i := range specs {
		specs[i] = store.Spec{ID: fmt.Sprintf("s%04d", i), Name: fmt.Sprintf("svc %d", i), Interval: time.Second, FailThreshold: 1}
	}
	st := openStore(t, "", specs...)
	d := newTestDispatcher(t, st, rc.URL, func(o *Options) { o.Rules.GroupWindow = time.Second })
	for _, sp := range specs {
		st.Ingest(probe.Result{ServiceID: sp.ID, Start: time.Now(), Duration: time.Millisecond, OK: true})
	}
	st.Sync()
	start(t, d, st)
	for _, sp := range specs {
		st.Ingest(probe.Result{ServiceID: sp.ID, Start: time.Now(), Duration: time.Millisecond, Err: "network unreachable"})
	}
	events := 0
	for events < 1000 {
		var b webhookBody
		if err := json.Unmarshal(next(t, rc).Body, &b); err != nil {
			t.Fatal(err)
		}
		events += b.Count
	}
	settled(t, st)
	if n := len(rc.requests()); n > 3 {
		t.Fatalf("1000 services going down sent %d messages, want at most 3 (leading + grouped)", n)
	}
	t.Logf("1000 services down → %d messages", len(rc.requests()))
}
