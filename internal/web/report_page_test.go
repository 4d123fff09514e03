// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

var drillRe = regexp.MustCompile(`href="(/report/cases\?[^"]+)"`)

// The report page in both languages; a coordinator's drill-down lists
// numbers without names; agency roles see their agency's report and
// cannot reach another agency's cases; a supervisor locks and issues a
// version with a reason; the XLSX downloads.
func TestReportPages(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		year := testNow.Format("2006")
		kin := e.newCase(t, "KIN", "Esther")
		gom := e.newCase(t, "GOM", "Amani")
		act := &domain.Awareness{Type: "Radio", Date: domain.DateOf(testNow), Province: "CD-NK", Agency: "KIN", Reached: domain.Reached{FemaleAdults: 30}}
		if err := db.CreateAwareness(t.Context(), act); err != nil {
			t.Fatal(err)
		}
		coord, _ := e.signedIn(t, "coord@national.example", "KIN", domain.RoleCoordinator)
		p := coord.get(t, "/report?year="+year)
		want(t, p, http.StatusOK, "the coordinator's report")
		mustContain(t, p, "report", "Rapport annuel", "Victimes détectées par sexe et par âge", "Chiffres exacts", "Verrouiller la période", "Ensemble du pays")
		links := drillRe.FindAllStringSubmatch(p.body, -1)
		if len(links) < 20 {
			t.Fatalf("%d drill-down links", len(links))
		}
		var total string
		for _, m := range links {
			if strings.Contains(m[1], "table=victims_sex_age") && strings.Contains(m[1], "row=%2A") && strings.Contains(m[1], "col=%2A") {
				total = strings.ReplaceAll(m[1], "&amp;", "&")
			}
		}
		d := coord.get(t, total)
		want(t, d, http.StatusOK, "the coordinator's drill-down")
		mustContain(t, d, "drill-down", kin.Number, gom.Number, "2 dossiers")
		for _, name := range []string{"Esther", "Amani", "Mukendi"} {
			if strings.Contains(d.body, name) {
				t.Fatalf("the coordinator's drill-down names %s", name)
			}
		}
		if strings.Contains(d.body, `href="/cases/`) {
			t.Fatal("a coordinator is offered to open cases")
		}
		// People reached link to the activities behind them, when the
		// activities page shows the same scope.
		mustContain(t, p, "awareness links", `href="/awareness?from=`+year+`-01-01&amp;province=CD-NK&amp;to=`+year+`-12-31"`)
		if p := coord.get(t, "/report?year="+year+"&agency=GOM"); strings.Contains(p.body, `href="/awareness?`) {
			t.Fatal("one agency's report links to every agency's activities")
		}
		en := coord.get(t, "/lang/en?next="+url.QueryEscape("/report?year="+year))
		mustContain(t, en, "English report", "Annual report", "Victims detected by sex and age", "Exact figures")

		cw := staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		p = cw.get(t, "/report?year="+year)
		want(t, p, http.StatusOK, "the caseworker's report")
		mustContain(t, p, "caseworker's report", "Agence KIN")
		if strings.Contains(p.body, "Verrouiller") {
			t.Fatal("a caseworker is offered to lock")
		}
		want(t, cw.get(t, "/report?year="+year+"&agency=GOM"), http.StatusForbidden, "another agency's report")
		want(t, cw.get(t, "/report/cases?year="+year+"&agency=GOM&table=victims_sex_age"), http.StatusForbidden, "another agency's cases")
		d = cw.get(t, "/report/cases?year="+year+"&table=victims_sex_age")
		want(t, d, http.StatusOK, "the caseworker's drill-down")
		if !strings.Contains(d.body, kin.Number) || strings.Contains(d.body, gom.Number) || !strings.Contains(d.body, `href="/cases/`+kin.Number) {
			t.Fatalf("the caseworker's drill-down:\n%s", d.body)
		}
		want(t, cw.get(t, "/report/cases?year="+year+"&table=victims_sex_age&row=%3Cscript%3E"), http.StatusUnprocessableEntity, "a hostile row")
		jus := staff(t, e, "jus@kin.example", "KIN", domain.RoleJustice)
		want(t, jus.get(t, "/report?year="+year), http.StatusForbidden, "justice")

		sup := staff(t, e, "sup@kin.example", "KIN", domain.RoleSupervisor)
		lock := url.Values{"year": {year}, "after": {"0"}}
		want(t, sup.post(t, "/report/lock", lock), http.StatusForbidden, "a lock without CSRF token")
		p = sup.postForm(t, "/report/lock", lock)
		want(t, p, http.StatusOK, "locking")
		mustContain(t, p, "locked", "version 1", "Aucun chiffre n’a changé")
		e.newCase(t, "KIN", "Grace")
		p = sup.get(t, "/report?year="+year)
		mustContain(t, p, "changes", "Chiffres modifiés depuis le verrouillage", "Émettre une nouvelle version")
		p = sup.postForm(t, "/report/lock", url.Values{"year": {year}, "after": {"1"}})
		want(t, p, http.StatusUnprocessableEntity, "no reason")
		mustContain(t, p, "no reason", "demande un motif", "Émettre une nouvelle version")
		want(t, sup.postForm(t, "/report/lock", url.Values{"year": {year}, "after": {"1"}, "agency": {"GOM"}, "reason": {"x"}}), http.StatusForbidden, "GOM's report")
		p = sup.postForm(t, "/report/lock", url.Values{"year": {year}, "after": {"1"}, "reason": {"dossier enregistré en retard"}})
		mustContain(t, p, "version 2", "version 2", "dossier enregistré en retard")
		p = sup.postForm(t, "/report/lock", url.Values{"year": {year}, "after": {"1"}, "reason": {"encore"}})
		want(t, p, http.StatusConflict, "a stale version")
		mustContain(t, p, "stale", "Une autre version a été émise entre-temps", "version 2")

		x := sup.get(t, "/report/file?year="+year+"&format=xlsx")
		want(t, x, http.StatusOK, "the XLSX")
		f, err := excelize.OpenReader(strings.NewReader(x.body))
		if err != nil {
			t.Fatal(err)
		}
		if rows, _ := f.GetRows(f.GetSheetList()[0]); len(rows) < 10 || !strings.Contains(rows[0][0], "Rapport annuel") {
			t.Fatalf("the XLSX's first sheet: %v", rows)
		}
		want(t, sup.get(t, "/report/file?year="+year+"&format=exe"), http.StatusUnprocessableEntity, "an unknown format")
	})
}
