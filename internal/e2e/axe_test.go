// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
)

// axe-core comes from npm, pinned with its integrity hash in
// axe/package-lock.json. `make test` installs it into axe/node_modules;
// when that is missing the tests install it once into the user's cache
// directory (never into the package directory).
var (
	axeOnce   sync.Once
	axeSource string
	axeErr    string // why axe is unavailable
)

func loadAxe() {
	const rel = "node_modules/axe-core/axe.min.js"
	if b, err := os.ReadFile(filepath.Join("axe", rel)); err == nil {
		axeSource = string(b)
		return
	}
	lock, err := os.ReadFile("axe/package-lock.json")
	if err != nil {
		axeErr = "axe/package-lock.json: " + err.Error()
		return
	}
	sum := sha256.Sum256(lock)
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "vigie-axe-"+hex.EncodeToString(sum[:8]))
	if b, err := os.ReadFile(filepath.Join(dir, rel)); err == nil {
		axeSource = string(b)
		return
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		axeErr = "npm (to install axe-core)"
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		axeErr = err.Error()
		return
	}
	for _, f := range []string{"package.json", "package-lock.json"} {
		b, err := os.ReadFile(filepath.Join("axe", f))
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, f), b, 0o644)
		}
		if err != nil {
			axeErr = err.Error()
			return
		}
	}
	cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		axeErr = "npm ci of axe-core failed: " + err.Error() + "\n" + string(out)
		return
	}
	b, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		axeErr = err.Error()
		return
	}
	axeSource = string(b)
}

// violation is one axe rule a page breaks, with the elements that break it.
type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeRun checks the document against WCAG 2.1 A and AA only: the
// standard the issue asks for, without axe's best-practice opinions.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})
 .then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
   nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\s+/g, ' '))})))`

// axe fails the test on every WCAG 2.1 A/AA violation of the current
// page. Without axe-core it says so once and skips the check (under
// CI=true it fails).
func (b *tab) axe(what string) {
	b.t.Helper()
	if b.scriptOff {
		return // the same pages are checked in the tests with JavaScript on
	}
	axeOnce.Do(loadAxe)
	if axeSource == "" {
		if os.Getenv("CI") == "true" {
			b.t.Fatalf("axe-core unavailable under CI=true: %s", axeErr)
		}
		b.t.Logf("accessibility check of %s skipped: %s", what, axeErr)
		return
	}
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[chromedp.Void](axeSource+";0")); err != nil {
		b.t.Fatalf("loading axe-core into %s: %v", what, err)
	}
	vs, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]violation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("running axe-core on %s: %v", what, err)
	}
	for _, v := range vs {
		b.t.Errorf("accessibility, %s (%s): %s [%s, %s]\n  %s", what, b.path(), v.Help, v.ID, v.Impact, strings.Join(v.Nodes, "\n  "))
	}
}
