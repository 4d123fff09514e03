// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestSlowConnection uses the pages over an emulated poor mobile link
// (400 ms latency, 256 kbit/s down, 64 kbit/s up): sign-in, the list and
// a case each load within seconds, the style sheet fetched once.
func TestSlowConnection(t *testing.T) {
	e := newEnv(t, envOptions{cases: 60})
	b := newTab(t, e)
	if _, err := chromedp.Call(b.ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(b.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{Latency: 400, DownloadThroughput: 256_000 / 8, UploadThroughput: 64_000 / 8}},
	}); err != nil {
		t.Fatal(err)
	}
	timed := func(what string, limit time.Duration, f func()) {
		t.Helper()
		start := time.Now()
		f()
		d := time.Since(start)
		t.Logf("%-30s %5.2f s", what, d.Seconds())
		if d > limit {
			t.Errorf("%s took %s on the slow link, over %s", what, d.Round(10*time.Millisecond), limit)
		}
	}
	timed("sign-in page, cold", 6*time.Second, func() { b.open("/sign-in") })
	cw := e.accounts["caseworker"]
	b.fill("email", cw.Email, "password", cw.Password)
	timed("password → code page", 6*time.Second, func() { b.submit("main form button") })
	b.fill("code", b.code(cw))
	timed("code → home", 6*time.Second, func() { b.submit("main form button") })
	timed("case list", 4*time.Second, func() { b.open("/cases") })
	timed("case page", 4*time.Second, func() { b.open("/cases/" + e.firstCase(t, cw.Agency)) })
	b.wantText("the case page on a slow link", cw.Agency)
}
