// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAxeFindsViolations keeps the accessibility check honest: a page
// with an unlabelled field and grey-on-white text must fail it.
func TestAxeFindsViolations(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html lang="fr"><head><title>t</title></head><body><main>
<p style="color:#bbb">gris pâle</p><form><input name="x"></form></main></body></html>`)
	}))
	defer srv.Close()
	b := newTab(t, &env{srv: srv})
	axeOnce.Do(loadAxe)
	if axeSource == "" {
		needOrSkip(t, "axe-core ("+axeErr+")", false)
	}
	b.do(chromedp.Navigate(srv.URL))
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[chromedp.Void](axeSource+";0")); err != nil {
		t.Fatal(err)
	}
	vs, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]violation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, v := range vs {
		found[v.ID] = true
	}
	if !found["label"] || !found["color-contrast"] {
		t.Fatalf("axe found %v on a page without a label and with poor contrast", found)
	}
}
