// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"bytes"
	"html"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

var reportTotalLink = regexp.MustCompile(`href="(/report/cases\?[^"]*table=victims_sex_age[^"]*)"`)

// TestAnnualReport: a coordinator opens the annual report (French, then
// English), follows a figure to the cases behind it — case numbers, no
// names — and downloads the workbook; each page passes axe.
func TestAnnualReport(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.newCase(t, "DEMOMAS", "Grâce", "Kalonji")
	year := strconv.Itoa(e.clock.Now().Year())
	b := newTab(t, e)
	b.signInAs(e.accounts["coordinator"])
	b.open("/report?year=" + year)
	b.wantText("the report", "Rapport annuel", "Victimes détectées par sexe et par âge", "Chiffres exacts")
	b.axe("annual report")
	b.shoot("report-fr")

	links := reportTotalLink.FindAllStringSubmatch(b.html(), -1)
	if len(links) == 0 {
		t.Fatal("no figure links to its cases")
	}
	b.follow(html.UnescapeString(links[len(links)-1][1])) // the grand total
	b.wantText("the cases behind the total", "Dossiers derrière un chiffre du rapport", "DEMOMAS-")
	if h := b.html(); strings.Contains(h, "Kalonji") || strings.Contains(h, "Grâce") {
		t.Fatal("the coordinator's drill-down names a victim")
	}
	b.axe("cases behind a figure")

	xlsx := b.fetch("/report/file?year=" + year + "&format=xlsx")
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		t.Fatal(err)
	}
	if rows, err := f.GetRows(f.GetSheetList()[0]); err != nil || len(rows) < 10 || !strings.HasPrefix(rows[0][0], "Rapport annuel") {
		t.Fatalf("the workbook's first sheet: %v %v", rows, err)
	}

	b.submit("header a.lang")
	b.open("/report?year=" + year)
	b.wantText("the report in English", "Annual report", "Victims detected by sex and age")
	b.axe("annual report (English)")
	b.shoot("report-en")
}

// fetch gets path with the tab's session cookie, as the browser would
// save a download.
func (b *tab) fetch(path string) []byte {
	b.t.Helper()
	res, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{})
	if err != nil {
		b.t.Fatal(err)
	}
	cookies := res.Cookies
	req, err := http.NewRequest(http.MethodGet, b.e.srv.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, c := range cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("download %s: %d", path, resp.StatusCode)
	}
	return body
}
