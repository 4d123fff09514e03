// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"fmt"

	"github.com/chromedp/chromedp"
)

// pick chooses value for the field name, whatever it is drawn as: a
// radio button or checkbox is clicked (a checkbox only if unticked), a
// select gets the option.
func (b *tab) pick(name, value string) {
	b.t.Helper()
	box := fmt.Sprintf(`input[name=%q][value=%q]`, name, value)
	nodes, err := chromedp.Run(b.ctx, chromedp.Nodes(chromedp.CSSAll(box), chromedp.AtLeast(0)))
	if err != nil {
		b.t.Fatal(err)
	}
	if len(nodes) > 0 {
		if _, checked := nodes[0].Attribute("checked"); !checked {
			b.do(chromedp.Click(chromedp.CSS(box), chromedp.NodeVisible))
		}
		return
	}
	b.do(chromedp.SetValue(chromedp.CSS(fmt.Sprintf(`select[name=%q]`, name)), value))
}

// setField sets a field's value directly: date inputs take keys in the
// browser's locale format, not ISO dates.
func (b *tab) setField(id, value string) {
	b.t.Helper()
	b.do(chromedp.SetValue(chromedp.ID(id), value))
}

// next presses a wizard's "next" button and waits for the next page.
func (b *tab) next() {
	b.t.Helper()
	b.submit(`main form button[name="go"][value="next"]`)
}
