// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"vigie/internal/demo"
)

// chromiumPath is Debian's Chromium (.ci/run installs it), or
// VIGIE_CHROMIUM.
func chromiumPath() string {
	if p := os.Getenv("VIGIE_CHROMIUM"); p != "" {
		return p
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, _ := exec.LookPath("chromium")
	return p
}

// needOrSkip skips the test when a tool is missing, except under CI=true
// where a missing tool is a failure: a CI run that skipped the browser
// tests must not look green.
func needOrSkip(t *testing.T, what string, ok bool) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing (CI=true: the browser tests must run; .ci/run installs it)", what)
	}
	t.Skipf("%s is missing: browser tests skipped (apt-get install -y chromium; CI=true makes this a failure)", what)
}

// One Chromium for the whole package; each test gets its own browser
// context (its own cookies), as a fresh private window.
var (
	browserOnce sync.Once
	browserCtx  context.Context
	browserErr  error
)

func startBrowser() (context.Context, error) {
	browserOnce.Do(func() {
		dir, err := os.MkdirTemp("", "vigie-chromium-")
		if err != nil {
			browserErr = err
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(chromiumPath()),
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("no-first-run", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			// The field workers read French first: the browser asks for it.
			chromedp.Flag("lang", "fr-FR"),
			chromedp.Flag("accept-lang", "fr-FR,fr"),
			chromedp.UserDataDir(dir),
			chromedp.WindowSize(1280, 900),
		)
		alloc, _ := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, _ := chromedp.NewContext(alloc)
		if err := chromedp.Do(ctx); err != nil {
			browserErr = fmt.Errorf("starting Chromium: %w", err)
			return
		}
		browserCtx = ctx
		// The browser lives as long as the test binary; its profile
		// directory is removed when the process ends (TestMain).
		profileDir = dir
	})
	return browserCtx, browserErr
}

var profileDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if browserCtx != nil {
		_ = chromedp.Cancel(browserCtx)
	}
	if profileDir != "" {
		for range 20 {
			if os.RemoveAll(profileDir) == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	os.Exit(code)
}

// tab is one test's browser window on one env.
type tab struct {
	t   *testing.T
	e   *env
	ctx context.Context
	// scriptOff: JavaScript is off in this window (axe cannot run).
	scriptOff bool
}

// newTab opens a private window (own cookies) on e, laptop-sized.
func newTab(t *testing.T, e *env) *tab {
	t.Helper()
	needOrSkip(t, "Chromium ("+chromiumPath()+")", chromiumPath() != "")
	bctx, err := startBrowser()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelT)
	b := &tab{t: t, e: e, ctx: ctx}
	b.do(chromedp.EmulateViewport(1280, 900))
	return b
}

func (b *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("browser: %v (at %s)", err, b.location())
	}
}

func (b *tab) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	return loc
}

// path is the current URL's path (and query).
func (b *tab) path() string {
	return strings.TrimPrefix(b.location(), b.e.srv.URL)
}

// open loads a page of the server.
func (b *tab) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.e.srv.URL + path))
}

// fill types into the fields labelled by these ids.
func (b *tab) fill(fields ...string) {
	b.t.Helper()
	for i := 0; i+1 < len(fields); i += 2 {
		// Clear refuses an empty textarea (it has no text node): nothing
		// to clear then.
		if err := chromedp.Do(b.ctx, chromedp.Clear(chromedp.ID(fields[i]))); err != nil && !strings.Contains(err.Error(), "child #text node") {
			b.t.Fatalf("clearing %s: %v", fields[i], err)
		}
		b.do(chromedp.SendKeys(chromedp.ID(fields[i]), fields[i+1]))
	}
}

// submit clicks a button (a CSS selector) and waits for the page it leads to.
func (b *tab) submit(sel string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	loads := chromedp.Events(ctx, page.LoadEventFired)
	b.do(chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	for _, err := range loads {
		if err != nil {
			b.t.Fatalf("waiting for the page after clicking %s: %v", sel, err)
		}
		break
	}
}

// follow clicks the link to href and waits for its page.
func (b *tab) follow(href string) {
	b.t.Helper()
	b.submit(fmt.Sprintf(`main a[href=%q]`, href))
}

// text is the visible text of the first element matching sel.
func (b *tab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.t.Fatalf("reading %s: %v (at %s)", sel, err, b.location())
	}
	return s
}

// value is the current value of the field with this id.
func (b *tab) value(id string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID(id)))
	if err != nil {
		b.t.Fatal(err)
	}
	return s
}

// lang is the page's language (the html element's lang attribute).
func (b *tab) lang() string {
	b.t.Helper()
	r, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang"))
	if err != nil {
		b.t.Fatal(err)
	}
	return r.Value
}

// html is the page's whole markup.
func (b *tab) html() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	if err != nil {
		b.t.Fatal(err)
	}
	return s
}

// wantText fails unless the page's main text holds every string.
func (b *tab) wantText(what string, strs ...string) {
	b.t.Helper()
	body := b.text("body")
	for _, s := range strs {
		if !strings.Contains(body, s) {
			b.t.Fatalf("%s: the page (%s) lacks %q:\n%s", what, b.path(), s, body)
		}
	}
}

// noScript switches JavaScript off in this window, as a user who
// disabled it (or a browser too old for it) has.
func (b *tab) noScript() {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		b.t.Fatal(err)
	}
	b.scriptOff = true
}

// signInAs goes through the sign-in form and the code page as a, and
// lands on the home page.
func (b *tab) signInAs(a demo.Account) {
	b.t.Helper()
	b.open("/sign-in")
	b.fill("email", a.Email, "password", a.Password)
	b.submit("main form button")
	if a.TOTPSecret == "" {
		// A role that reads no personal data has no second factor.
		if p := b.path(); p != "/" {
			b.t.Fatalf("the password led to %s, want /", p)
		}
		return
	}
	if p := b.path(); p != "/sign-in/code" {
		b.t.Fatalf("the password led to %s, want /sign-in/code", p)
	}
	b.fill("code", b.code(a))
	b.submit("main form button")
	if p := b.path(); p != "/" {
		b.t.Fatalf("the code led to %s, want /:\n%s", p, b.text("main"))
	}
}

// code moves the server's clock to a fresh 30-second step and returns
// a's TOTP code for it, as an authenticator app would show it.
func (b *tab) code(a demo.Account) string {
	b.t.Helper()
	b.e.clock.Advance(31 * time.Second)
	c, err := totp.GenerateCode(a.TOTPSecret, b.e.clock.Now())
	if err != nil {
		b.t.Fatal(err)
	}
	return c
}

// signOut uses the header's button.
func (b *tab) signOut() {
	b.t.Helper()
	b.submit("header form.out button")
	if p := b.path(); p != "/sign-in" {
		b.t.Fatalf("sign-out led to %s", p)
	}
}

// artifactsDir is where screenshots go: VIGIE_ARTIFACTS, or
// artifacts/screenshots at the module root (ignored by git), never the
// package directory.
func artifactsDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("VIGIE_ARTIFACTS"); d != "" {
		return filepath.Join(d, "screenshots")
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "artifacts", "screenshots")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// widths are a cheap phone's and a laptop's.
var widths = []int64{390, 1280}

// shoot saves the current page, whole, at each width, as NAME-WIDTH.png.
func (b *tab) shoot(name string) {
	b.t.Helper()
	dir := artifactsDir(b.t)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	for _, w := range widths {
		b.do(chromedp.EmulateViewport(w, 800))
		png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			b.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, w)), png, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
	b.do(chromedp.EmulateViewport(1280, 900))
}
