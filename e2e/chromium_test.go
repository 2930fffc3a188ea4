package e2e_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's Chromium. On a machine without it, as root with
// apt-get, it installs the package (so the README's test command needs no
// other step); otherwise the test fails saying what to install. It never skips.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	apt, err := exec.LookPath("apt-get")
	if os.Geteuid() != 0 || err != nil {
		t.Fatal("the browser test needs Chromium: install Debian's chromium package (apt-get install chromium) and run the tests again")
	}
	t.Log("Chromium is missing: installing Debian's chromium package")
	for _, args := range [][]string{{"update", "-qq"}, {"install", "-y", "-qq", "chromium"}} {
		cmd := exec.Command(apt, args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("the browser test needs Chromium and apt-get %s failed: %v\n%s", args[0], err, out)
		}
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("apt-get installed chromium but it is not on PATH")
	}
	return p
}

// newBrowser starts headless Chromium that sends every hostname to 127.0.0.1,
// so tenant domains reach the test server without DNS or /etc/hosts.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox, // root in CI; the pages are our own
		chromedp.DisableGPU,
		chromedp.Flag("host-resolver-rules", "MAP * 127.0.0.1"),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1100, 850),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("Chromium did not start: %v (is the chromium package installed and runnable?)", err)
	}
	return ctx
}

// screenshot saves the page as dir/NN-name.png.
func screenshot(dir string, n int, name string) chromedp.Action {
	var buf []byte
	return chromedp.Tasks{
		chromedp.FullScreenshot(&buf, 100), // 100: PNG,
		chromedp.ActionFunc(func(context.Context) error {
			return os.WriteFile(fmt.Sprintf("%s/%02d-%s.png", dir, n, name), buf, 0o644)
		}),
	}
}
