// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// focused describes the element that has the keyboard focus: what it is
// and whether its focus is visible (an outline, on screen).
type focused struct {
	Tag     string  `json:"tag"`
	Class   string  `json:"class"`
	Text    string  `json:"text"`
	Outline string  `json:"outline"`
	Width   float64 `json:"width"`
	Left    float64 `json:"left"`
}

const whatHasFocus = `(() => { const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
 return {tag: e.tagName.toLowerCase(), class: e.className || '', text: (e.textContent || e.value || '').trim().slice(0, 40),
   outline: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0, left: r.left}; })()`

// TestKeyboard: from the top of a page, Tab reaches the skip link first,
// visibly; following it moves on to the content; every stop on the way to
// the form shows its focus.
func TestKeyboard(t *testing.T) {
	e := newEnv(t, envOptions{})
	b := newTab(t, e)
	b.signInAs(e.accounts["caseworker"])
	b.open("/cases")

	tab := func() focused {
		t.Helper()
		b.do(chromedp.KeyEvent(kb.Tab))
		f, err := chromedp.Run(b.ctx, chromedp.Evaluate[focused](whatHasFocus))
		if err != nil {
			t.Fatal(err)
		}
		if f.Outline == "none" || f.Width < 2 || f.Left < 0 {
			t.Errorf("the focus on %s %q is not visible: outline %s %.0fpx, left %.0f", f.Tag, f.Text, f.Outline, f.Width, f.Left)
		}
		return f
	}
	if f := tab(); f.Class != "skip" {
		t.Fatalf("the first Tab stop is %s %q, want the skip link", f.Tag, f.Text)
	}
	b.shoot("focus-skip-fr")
	for range 12 {
		if f := tab(); f.Tag == "summary" || f.Tag == "select" {
			break // reached the filters: header and nav are all visible stops
		}
	}
}
