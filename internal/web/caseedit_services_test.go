// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

var endRe = regexp.MustCompile(`action="(/cases/[^"]+/support-plans/[^"]+/end)"><input type="hidden" name="csrf_token" value="[^"]*"><input type="hidden" name="version" value="(\d+)">`)

// TestServicesTimeline: a support plan shows on the case page as the
// service it is, with its dates and whether it is running, and can be
// added and ended from the page.
func TestServicesTimeline(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		ana := staff(t, e, "ana@kin.example", "KIN", domain.RoleCaseworker)
		jus := staff(t, e, "jus@kin.example", "KIN", domain.RoleJustice)
		base := "/cases/" + c.Number

		p := ana.get(t, base)
		mustContain(t, p, "case page", `href="`+base+`/support-plans/new">Ajouter un service (plan d’assistance)</a>`)
		want(t, ana.postForm(t, base+"/support-plans", url.Values{"spl_Type": {"Health"}, "spl_PlannedEndDate": {"2027-01-15"}}), http.StatusOK, "service added")
		p = ana.get(t, base)
		mustContain(t, p, "running service", "Services en cours", "<h3>Service d’assistance", "<dt>Service</dt><dd>Santé</dd>",
			"<dt>Statut</dt><dd>En cours</dd>", "<dt>Début</dt>", "<dt>Date de fin prévue</dt><dd>15 janvier 2027</dd>", "Marquer le service comme terminé")
		m := endRe.FindStringSubmatch(p.body)
		if m == nil {
			t.Fatalf("no end form:\n%s", p.body)
		}
		// Justice sees no assistance at all.
		mustNotContain(t, jus.get(t, base), "justice's case page", "Service d’assistance", "Santé", "/support-plans/")
		want(t, jus.postForm(t, m[1], url.Values{"version": {m[2]}}), http.StatusForbidden, "justice ending a service")

		want(t, ana.postForm(t, m[1], url.Values{"version": {m[2]}}), http.StatusOK, "service ended")
		p = ana.get(t, base)
		mustContain(t, p, "ended service", "<dt>Statut</dt><dd>Terminé</dd>", "<dt>Date de fin effective</dt>")
		mustNotContain(t, p, "ended service", "Services en cours")
		ana.get(t, "/lang/en")
		mustContain(t, ana.get(t, base), "in English", "Support service", "<dt>Status</dt><dd>Ended</dd>", "Add a service (support plan)")
	})
}
