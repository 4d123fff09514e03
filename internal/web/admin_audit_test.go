// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

var (
	rowRe  = regexp.MustCompile(`<tr><td>(\d+)</td>`)
	nextRe = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
)

// TestCaseAudit: a case's trail is for its agency's supervisors (and
// admins); a caseworker and another agency's supervisor get the 404 of a
// missing case, and the case page links to the trail only for those who
// may read it. A break-the-glass grant shows in the owning agency's
// trails with its reason.
func TestCaseAudit(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		cw, _ := e.signedIn(t, "cw@kin.example", "KIN", domain.RoleCaseworker)
		sup, _ := e.signedIn(t, "sup@kin.example", "KIN", domain.RoleSupervisor)
		gom, gomUser := e.signedIn(t, "sup@gom.example", "GOM", domain.RoleSupervisor)
		adm, _ := e.signedIn(t, "admin@kin.example", "KIN", domain.RoleAdmin)
		trail := "/cases/" + c.Number + "/audit"
		link := `href="` + trail + `"`

		if p := cw.get(t, "/cases/"+c.Number); p.status != http.StatusOK || strings.Contains(p.body, link) {
			t.Errorf("a caseworker's case page (%d) must not link to the trail", p.status)
		}
		if p := sup.get(t, "/cases/"+c.Number); !strings.Contains(p.body, link) {
			t.Errorf("the supervisor's case page lacks the link to the trail:\n%s", p.body)
		}

		missing := "KIN-2026-999999"
		for who, b := range map[string]*browser{"caseworker": cw, "GOM supervisor": gom} {
			none := b.get(t, "/cases/"+missing+"/audit")
			want(t, none, http.StatusNotFound, who+" reading the trail of a missing case")
			p := b.get(t, trail)
			want(t, p, http.StatusNotFound, who+" reading the trail")
			if strings.ReplaceAll(p.body, c.Number, "REF") != strings.ReplaceAll(none.body, missing, "REF") {
				t.Errorf("%s: the refused trail differs from a missing case's:\n%s\n----\n%s", who, p.body, none.body)
			}
		}

		// A GOM supervisor breaks the glass on the KIN case.
		ctx := domain.WithActor(context.Background(), &domain.Principal{UserID: gomUser.ID, Email: gomUser.Email, Agency: "GOM", Via: "session"})
		acc, number, err := db.CaseAccess(ctx, c.Number, gomUser.ID)
		if err != nil {
			t.Fatal(err)
		}
		reason := "Urgence <b>médicale</b> signalée par l’hôpital de Goma"
		en := domain.NewAuditEntry(ctx, domain.AuditBreakGlass)
		en.Resource, en.RecordID, en.CaseID, en.CaseNumber, en.AgencyID = "case", acc.CaseID, acc.CaseID, number, acc.AgencyID
		if err := db.BreakGlass(ctx, &domain.BreakGlass{UserID: gomUser.ID, CaseID: acc.CaseID, Reason: reason, ExpiresAt: e.clock.Now().Add(3 * time.Hour)}, en); err != nil {
			t.Fatal(err)
		}
		want(t, gom.get(t, "/cases/"+c.Number), http.StatusOK, "the case opened by breaking the glass")

		p := sup.get(t, trail)
		want(t, p, http.StatusOK, "the supervisor's case trail")
		for _, s := range []string{"Consultation", "Identité", "cw@kin.example", "sup@gom.example (GOM)", html.EscapeString(reason), "Accès d’urgence"} {
			if !strings.Contains(p.body, s) {
				t.Errorf("the case trail lacks %q", s)
			}
		}
		if strings.Contains(p.body, "<b>") || strings.Contains(p.body, "Esther") {
			t.Errorf("the trail shows markup or the victim's name:\n%s", p.body)
		}
		if p := sup.get(t, "/audit"); !strings.Contains(p.body, html.EscapeString(reason)) {
			t.Errorf("the agency trail lacks the grant:\n%s", p.body)
		}
		if p := gom.get(t, "/audit"); strings.Contains(p.body, c.Number) {
			t.Errorf("GOM's trail shows KIN's case:\n%s", p.body)
		}

		// Admins read the trail, but neither the grant's reason nor a name.
		p = adm.get(t, trail)
		want(t, p, http.StatusOK, "an admin reading the trail")
		if strings.Contains(p.body, "médicale") || strings.Contains(p.body, "Esther") {
			t.Errorf("an admin sees a reason or a name:\n%s", p.body)
		}
	})
}

// TestAgencyAudit: the agency's trail, for supervisors only, filtered by
// action, user and dates, page by page; bad filters are refused.
func TestAgencyAudit(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		cw, _ := e.signedIn(t, "cw@kin.example", "KIN", domain.RoleCaseworker)
		sup, _ := e.signedIn(t, "sup@kin.example", "KIN", domain.RoleSupervisor)
		for _, role := range []domain.Role{domain.RoleJustice, domain.RoleCoordinator} {
			b, _ := e.signedIn(t, string(role)+"@kin.example", "KIN", role)
			want(t, b.get(t, "/audit"), http.StatusForbidden, string(role)+" reading the agency trail")
		}
		want(t, cw.get(t, "/audit"), http.StatusForbidden, "a caseworker reading the agency trail")
		if strings.Contains(cw.get(t, "/").body, `href="/audit"`) {
			t.Error("the caseworker's nav links to the trail")
		}
		for range 60 {
			want(t, cw.get(t, "/cases/"+c.Number), http.StatusOK, "reading the case")
		}
		e.newCase(t, "KIN", "Bahati")

		// Page by page, newest first, without overlap.
		p := sup.get(t, "/audit?action=read")
		want(t, p, http.StatusOK, "reads")
		first := rowRe.FindAllStringSubmatch(p.body, -1)
		if len(first) != 50 || strings.Contains(p.body, "<td>Création</td>") {
			t.Fatalf("first page: %d rows (want 50), all reads:\n%s", len(first), p.body)
		}
		checkPage(t, "/audit?action=read", p.body)
		checkPage(t, "/search", sup.get(t, "/search?q=Esther").body)
		checkPage(t, "/account", sup.get(t, "/account").body)
		next := html.UnescapeString(find(t, nextRe, p.body))
		if !strings.Contains(next, "action=read") {
			t.Errorf("the next page drops the filter: %s", next)
		}
		p2 := sup.get(t, next)
		want(t, p2, http.StatusOK, "the next page")
		second := rowRe.FindAllStringSubmatch(p2.body, -1)
		if len(second) < 10 || atoi(t, second[0][1]) >= atoi(t, first[49][1]) {
			t.Errorf("second page: %d rows, first %v after %v", len(second), second[0][1], first[49][1])
		}

		today := e.clock.Now().Format("2006-01-02")
		later := e.clock.Now().AddDate(0, 0, 2).Format("2006-01-02")
		for name, c := range map[string]struct {
			query        string
			status       int
			has, hasNone string
		}{
			"creations":       {"action=create", http.StatusOK, "<td>Création</td>", "<td>Consultation</td>"},
			"a user":          {"user=cw%40kin.example&action=read", http.StatusOK, "cw@kin.example", "sup@kin.example"},
			"an unknown user": {"user=nobody%40kin.example", http.StatusOK, "Aucune entrée ne correspond.", "<td>Consultation</td>"},
			"today":           {"from=" + today + "&to=" + today, http.StatusOK, "<td>Consultation</td>", "Aucune entrée"},
			"later":           {"from=" + later, http.StatusOK, "Aucune entrée ne correspond.", "<td>Consultation</td>"},
			"a bad date":      {"from=2026-13-01", http.StatusBadRequest, "Cette date n’est pas valide", "<td>"},
			"from after to":   {"from=" + later + "&to=" + today, http.StatusBadRequest, `role="alert"`, "<td>"},
			"a bad action":    {"action=%3Cscript%3E", http.StatusBadRequest, `role="alert"`, "<script>"},
			"a bad cursor":    {"before=-3", http.StatusBadRequest, `role="alert"`, "<td>"},
		} {
			p := sup.get(t, "/audit?"+c.query)
			want(t, p, c.status, name)
			if !strings.Contains(p.body, c.has) || strings.Contains(p.body, c.hasNone) {
				t.Errorf("%s: want %q and not %q in:\n%s", name, c.has, c.hasNone, p.body)
			}
		}
	})
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
