package statusd

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// browser starts headless Chromium with a throwaway profile, or skips.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("no %s (apt-get install -y chromium; .ci/run installs it): %v", chromiumPath, err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("hide-scrollbars", true), chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelT(); cancelB(); cancelA() })
	return ctx
}

// TestBrowserLiveUpdate loads the page in Chromium, checks the rows, flips a
// real loopback service and sees its row change without a reload.
func TestBrowserLiveUpdate(t *testing.T) {
	ctx := browser(t)
	d := startDaemon(t, "steady", "flip", "third")
	if err := chromedp.Do(ctx, chromedp.Navigate(d.url+"/"), chromedp.WaitVisible("#svc-flip")); err != nil {
		t.Fatalf("load page: %v", err)
	}
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('li.svc').length`))
	if err != nil || rows != 3 {
		t.Fatalf("rows = %d (%v), want 3", rows, err)
	}
	// Mark the document: a reload would lose the mark.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__noReload = true`)); err != nil {
		t.Fatal(err)
	}
	// Wait for the stream to be open before flipping.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById('stale').hidden`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("live stream never opened: %v", err)
	}
	d.svcs["flip"].down.Store(true)
	d.probe(t, "flip")
	word, err := chromedp.Run(ctx, chromedp.Poll[string](
		`document.querySelector('#svc-flip .word').textContent === 'Down' && window.__noReload && document.querySelector('#banner .text').textContent`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("row did not change to Down without a reload: %v", err)
	}
	if word != "Partial outage" {
		t.Errorf("banner = %q, want Partial outage", word)
	}
	cls, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('svc-flip').className`))
	if cls != "svc st-down" {
		t.Errorf("row class = %q", cls)
	}
}

// TestBrowserScreenshots renders the fixture world at desktop and phone
// widths and checks nothing overflows horizontally at 375 px.
func TestBrowserScreenshots(t *testing.T) {
	ctx := browser(t)
	srv := serve(t, world(), Options{})
	dir := t.TempDir()
	for _, w := range []int64{1280, 375} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 900), chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#svc-api")); err != nil {
			t.Fatal(err)
		}
		over, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
		if err != nil || over {
			t.Errorf("width %d: page scrolls sideways (%v)", w, err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "status-"+itoa(int(w))+".png")
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", p)
		if out := os.Getenv("UPTOP_SCREENSHOTS"); out != "" {
			_ = os.WriteFile(filepath.Join(out, filepath.Base(p)), png, 0o644)
		}
	}
}
