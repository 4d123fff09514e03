// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// staff returns a browser signed in as a new user of agency with roles.
func staff(t *testing.T, e *env, email, agency string, roles ...domain.Role) *browser {
	t.Helper()
	e.user(t, email, agency, roles...)
	b := e.browser(t)
	b.enrol(t, email)
	return b
}

var (
	inputRe    = regexp.MustCompile(`<input (?:type="hidden" )?(?:id="[^"]*" )?name="([^"]+)" value="([^"]*)"`)
	selectRe   = regexp.MustCompile(`(?s)<select id="[^"]*" name="([^"]+)"[^>]*>(.*?)</select>`)
	selectedRe = regexp.MustCompile(`<option value="([^"]*)" selected>`)
	textareaRe = regexp.MustCompile(`(?s)<textarea id="[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>`)
	closureRe  = regexp.MustCompile(`/closure/([0-9a-f-]{36})"`)
	acceptRe   = regexp.MustCompile(`/referrals/([0-9a-f-]{36})/accept"`)
	fieldIDRe  = regexp.MustCompile(`<(?:input|select|textarea) id="([^"]+)"`)
)

// formValues reads back the values a form page would post: its inputs
// (hidden or not), text areas and selected options.
func formValues(body string) url.Values {
	v := url.Values{}
	for _, m := range textareaRe.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range inputRe.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range selectRe.FindAllStringSubmatch(body, -1) {
		if s := selectedRe.FindStringSubmatch(m[2]); s != nil {
			v.Set(m[1], html.UnescapeString(s[1]))
		} else {
			v.Set(m[1], "")
		}
	}
	return v
}

// postForm posts values with the CSRF token of the page the browser
// would have shown first.
func (b *browser) postForm(t *testing.T, path string, v url.Values) page {
	t.Helper()
	home := b.get(t, "/")
	v.Set("csrf_token", find(t, csrfRe, home.body))
	return b.post(t, path, v)
}

// referredToGOM starts the pages with a KIN case that a KIN caseworker
// referred to GOM (consent recorded first), and a GOM caseworker who has
// not answered yet.
func referredToGOM(t *testing.T, db *sqlstore.DB) (e *env, c *domain.Case, kin, gom *browser) {
	t.Helper()
	e = newEnv(t, db)
	c = e.newCase(t, "KIN", "Esther")
	kin = staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
	gom = staff(t, e, "cw@gom.example", "GOM", domain.RoleCaseworker)
	base := "/cases/" + c.Number
	want(t, kin.postForm(t, base+"/consent", url.Values{"con_Consent": {"yes"}}), http.StatusOK, "consent")
	want(t, kin.postForm(t, base+"/refer", url.Values{"vig_ReferredAgency": {"GOM"}}), http.StatusOK, "referral to GOM")
	return e, c, kin, gom
}

func mustContain(t *testing.T, p page, what string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if !strings.Contains(p.body, f) {
			t.Fatalf("%s: the page lacks %q:\n%s", what, f, p.body)
		}
	}
}

func mustNotContain(t *testing.T, p page, what string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if strings.Contains(p.body, f) {
			t.Fatalf("%s: the page must not hold %q:\n%s", what, f, p.body)
		}
	}
}

// audited returns the entries of a case with this action, after seq.
func audited(t *testing.T, db *sqlstore.DB, number, action string) []*domain.AuditEntry {
	t.Helper()
	all, err := db.AuditEntries(context.Background(), domain.AuditFilter{Action: action, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []*domain.AuditEntry
	for _, e := range all {
		if e.CaseNumber == number {
			out = append(out, e)
		}
	}
	return out
}

func caseNow(t *testing.T, db *sqlstore.DB, number string) *domain.Case {
	t.Helper()
	c, err := db.Case(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestEditConflict(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		gomCase := e.newCase(t, "GOM", "Amani")
		ana := staff(t, e, "ana@kin.example", "KIN", domain.RoleCaseworker)
		ben := staff(t, e, "ben@kin.example", "KIN", domain.RoleSupervisor)
		edit := "/cases/" + c.Number + "/edit"

		// Refusals first: another agency's case, a role that may not
		// change the case, a form without its CSRF token.
		want(t, ana.get(t, "/cases/"+gomCase.Number+"/edit"), http.StatusNotFound, "another agency's case")
		jus := staff(t, e, "jus@kin.example", "KIN", domain.RoleJustice)
		want(t, jus.get(t, edit), http.StatusForbidden, "justice may read, not edit")
		if p := jus.get(t, "/cases/"+c.Number); strings.Contains(p.body, edit) {
			t.Fatal("the case page links to a form the role cannot use")
		}
		formA := ana.get(t, edit)
		want(t, formA, http.StatusOK, "edit form")
		mustContain(t, formA, "edit form", `value="Esther"`, `name="version"`, `<label for="f-prs_FirstName">`)
		a := formValues(formA.body)
		noToken := url.Values{}
		for k, v := range a {
			noToken[k] = v
		}
		noToken.Del("csrf_token")
		want(t, ana.post(t, edit, noToken), http.StatusForbidden, "edit without CSRF token")

		// Ben saves a new city first.
		bv := formValues(ben.get(t, edit).body)
		bv.Set("prs_MailingCity", "Lubumbashi")
		p := ben.post(t, edit, bv)
		want(t, p, http.StatusOK, "Ben's save")
		if p.url != "/cases/"+c.Number {
			t.Fatalf("a save leads to %s", p.url)
		}

		// Ana, on the old version, renames the victim: refused, nothing
		// merged; her typing is kept, Ben's city shown and kept.
		hostile := `<script>alert("x")</script>`
		a.Set("prs_FirstName", hostile)
		p = ana.post(t, edit, a)
		want(t, p, http.StatusConflict, "stale edit")
		mustContain(t, p, "conflict", "Quelqu’un d’autre a enregistré ce dossier", "<li>Ville</li>",
			`value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"`, "Valeur enregistrée entre-temps", "<strong>Lubumbashi</strong>")
		mustNotContain(t, p, "conflict", hostile, "<li>Prénom</li>")
		if got := caseNow(t, db, c.Number); got.Person.FirstName != "Esther" || got.Person.MailingCity != "Lubumbashi" {
			t.Fatalf("a stale edit changed the case: %q, %q", got.Person.FirstName, got.Person.MailingCity)
		}
		// Saving the conflict form again applies her change on top of Ben's.
		again := formValues(p.body)
		if again.Get("prs_MailingCity") != "Lubumbashi" || again.Get("prs_FirstName") != hostile {
			t.Fatalf("the conflict form holds %v", again)
		}
		want(t, ana.post(t, edit, again), http.StatusOK, "re-applied edit")
		got := caseNow(t, db, c.Number)
		if got.Person.FirstName != hostile || got.Person.MailingCity != "Lubumbashi" {
			t.Fatalf("after re-applying: %q, %q", got.Person.FirstName, got.Person.MailingCity)
		}
		cp := ana.get(t, "/cases/"+c.Number)
		mustNotContain(t, cp, "case page", hostile)

		// Invalid values come back with the typed values and an error
		// beside the field.
		long := strings.Repeat("a", 10000)
		for name, tc := range map[string]struct{ field, value, msg string }{
			"too long": {"prs_SecondName", long, "Le texte est trop long."},
			"control":  {"prs_MailingCity", "Goma\x1b[2J", "caractère de contrôle"},
			"date":     {"prs_Birthdate", "27/11/2010", "AAAA-MM-JJ"},
			"enum":     {"prs_Gender", "Robot", "Choisissez une des valeurs proposées."},
		} {
			v := formValues(ana.get(t, edit).body)
			v.Set(tc.field, tc.value)
			p := ana.post(t, edit, v)
			want(t, p, http.StatusUnprocessableEntity, name)
			mustContain(t, p, name, tc.msg, `aria-invalid="true"`)
			if tc.field == "prs_Birthdate" || tc.field == "prs_SecondName" {
				mustContain(t, p, name+" keeps the typed value", `value="`+tc.value+`"`)
			}
		}
		if got := caseNow(t, db, c.Number); got.Version != 3 {
			t.Fatalf("version %d after two saves, want 3", got.Version)
		}

		// Every save and every read of the form is in the audit log.
		updates := audited(t, db, c.Number, domain.AuditUpdate)
		if len(updates) != 2 {
			t.Fatalf("%d update entries, want 2", len(updates))
		}
		if f, _ := updates[len(updates)-1].Detail["fields"].([]any); len(f) != 1 || f[0] != "person.prs_MailingCity" {
			t.Fatalf("Ben's save is recorded with fields %v", updates[len(updates)-1].Detail["fields"])
		}
		if reads := audited(t, db, c.Number, domain.AuditRead); len(reads) < 4 {
			t.Fatalf("%d reads audited; every form showing the case is one", len(reads))
		}
	})
}

func TestReferralNeedsConsentThenInbox(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		kin := staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		gom := staff(t, e, "cw@gom.example", "GOM", domain.RoleCaseworker)
		base := "/cases/" + c.Number

		// No consent: no form, and a forged post is refused.
		p := kin.get(t, base+"/refer")
		want(t, p, http.StatusConflict, "refer without consent")
		mustContain(t, p, "refer without consent", "Le consentement de la personne n’est pas enregistré")
		mustNotContain(t, p, "refer without consent", `action="`+base+`/refer"`)
		want(t, kin.postForm(t, base+"/refer", url.Values{"vig_ReferredAgency": {"GOM"}}), http.StatusConflict, "forged referral")
		if len(caseNow(t, db, c.Number).Referrals) != 0 {
			t.Fatal("a referral was stored without consent")
		}
		want(t, gom.get(t, base), http.StatusNotFound, "GOM before any referral")

		// Consent: the box must be ticked.
		want(t, kin.postForm(t, base+"/consent", url.Values{}), http.StatusUnprocessableEntity, "consent unticked")
		want(t, kin.post(t, base+"/consent", url.Values{"con_Consent": {"yes"}}), http.StatusForbidden, "consent without CSRF")
		want(t, kin.postForm(t, base+"/consent", url.Values{"con_Consent": {"yes"}}), http.StatusOK, "consent")

		form := kin.get(t, base+"/refer")
		want(t, form, http.StatusOK, "referral form")
		mustContain(t, form, "referral form", `<option value="GOM">`, `<label for="f-vig_ReferredAgency">`)
		want(t, kin.postForm(t, base+"/refer", url.Values{"vig_ReferredAgency": {"XYZ"}}), http.StatusUnprocessableEntity, "unknown agency")
		want(t, kin.postForm(t, base+"/refer", url.Values{"vig_ReferredAgency": {"GOM"}, "cas_ReasonForOutgoingReferral": {"AdditionalServicesRequired"}}), http.StatusOK, "referral")

		// GOM sees it waiting, on the home page and in its inbox.
		home := gom.get(t, "/")
		mustContain(t, home, "GOM home", "Référencements à traiter", `href="/cases/`+c.Number+`"`)
		inbox := gom.get(t, "/referrals")
		want(t, inbox, http.StatusOK, "inbox")
		id := find(t, acceptRe, inbox.body)
		// KIN may not answer its own referral to GOM.
		want(t, kin.postForm(t, base+"/referrals/"+id+"/accept", url.Values{}), http.StatusNotFound, "the sender accepting")
		p = gom.postForm(t, base+"/referrals/"+id+"/accept", url.Values{})
		want(t, p, http.StatusOK, "accept")
		if p.url != base {
			t.Fatalf("accepting leads to %s", p.url)
		}
		mustContain(t, p, "GOM reaches the case", "Esther")
		mustContain(t, gom.get(t, "/"), "GOM home after accepting", "Aucun référencement en attente.")
		mustContain(t, kin.get(t, base), "KIN's timeline", "Référencement accepté", "cw@gom.example")

		// A second referral, declined with a hostile reason.
		want(t, kin.postForm(t, base+"/refer", url.Values{"vig_ReferredAgency": {"GOM"}}), http.StatusOK, "second referral")
		id2 := find(t, acceptRe, gom.get(t, "/referrals").body)
		decline := base + "/referrals/" + id2 + "/decline"
		want(t, gom.get(t, decline), http.StatusOK, "decline form")
		p = gom.postForm(t, decline, url.Values{"reason": {""}})
		want(t, p, http.StatusUnprocessableEntity, "decline without reason")
		reason := "<img src=x onerror=alert(1)> Pas de place au foyer"
		p = gom.postForm(t, decline, url.Values{"reason": {reason}})
		want(t, p, http.StatusOK, "decline")
		if p.url != "/referrals" {
			t.Fatalf("declining leads to %s", p.url)
		}
		cp := kin.get(t, base)
		mustContain(t, cp, "KIN sees the answer", "Référencement refusé", "&lt;img src=x onerror=alert(1)&gt; Pas de place au foyer")
		mustNotContain(t, cp, "KIN sees the answer", "<img src=x")

		// The accepted referral still gives access; the declined one not.
		acc, _, err := db.CaseAccess(context.Background(), c.Number, "")
		if err != nil || len(acc.ReferredTo) != 1 {
			t.Fatalf("access after the decline: %+v, %v", acc, err)
		}
		answers := audited(t, db, c.Number, domain.AuditUpdate)
		seen := map[string]bool{}
		for _, a := range answers {
			if s, ok := a.Detail["answer"].(string); ok {
				seen[s] = true
			}
		}
		if !seen["accepted"] || !seen["declined"] {
			t.Fatalf("answers audited: %v", seen)
		}
		// The same pages in English, with no missing message.
		want(t, kin.get(t, "/lang/en?next=/"), http.StatusOK, "switch to English")
		for _, path := range []string{base, base + "/edit", base + "/refer", base + "/consent", base + "/closure", base + "/comments/new", base + "/support-plans/new", "/", "/referrals"} {
			p := kin.get(t, path)
			want(t, p, http.StatusOK, "English "+path)
			mustContain(t, p, "English "+path, `<html lang="en">`)
			// Every field labelled, every POST form with its token, and
			// light: the uncompressed page is already under the budget.
			for _, m := range fieldIDRe.FindAllStringSubmatch(p.body, -1) {
				mustContain(t, p, "English "+path, `<label for="`+m[1]+`"`)
			}
			if forms, tokens := strings.Count(p.body, `method="post"`), strings.Count(p.body, `name="csrf_token"`); tokens < forms {
				t.Fatalf("%s: %d POST forms, %d CSRF fields", path, forms, tokens)
			}
			if len(p.body) > 60<<10 {
				t.Fatalf("%s weighs %d bytes", path, len(p.body))
			}
		}
		if len(audited(t, db, c.Number, domain.AuditCreate)) < 4 {
			t.Fatal("the consent and the referrals must be audited as creations")
		}
	})
}

func TestDeclineEndsAccess(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e, c, kin, gom := referredToGOM(t, db)
		base := "/cases/" + c.Number
		id := find(t, acceptRe, gom.get(t, base).body)
		want(t, gom.postForm(t, base+"/referrals/"+id+"/decline", url.Values{"reason": {"Hors de notre zone"}}), http.StatusOK, "decline")
		want(t, gom.get(t, base), http.StatusNotFound, "GOM after declining")
		want(t, gom.postForm(t, base+"/referrals/"+id+"/accept", url.Values{}), http.StatusNotFound, "accepting after declining")
		mustContain(t, kin.get(t, base), "sender", "Hors de notre zone")

		// A consent withdrawn later (recorded through the API) stops new
		// referrals.
		e.clock.Advance(time.Second)
		ctx := domain.WithActor(context.Background(), &domain.Principal{Email: "api@kin.example", Agency: "KIN", Via: "token"})
		if err := db.AddPart(ctx, c.Number, domain.PartConsents, &domain.Consent{Consent: false}); err != nil {
			t.Fatal(err)
		}
		want(t, kin.get(t, base+"/refer"), http.StatusConflict, "refer after the consent was withdrawn")
		want(t, kin.postForm(t, base+"/refer", url.Values{"vig_ReferredAgency": {"GOM"}}), http.StatusConflict, "referral after withdrawal")
	})
}

func TestClosureNeedsOwnSupervisor(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		cw := staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		sup := staff(t, e, "sup@kin.example", "KIN", domain.RoleSupervisor)
		gomSup := staff(t, e, "sup@gom.example", "GOM", domain.RoleSupervisor)
		gomCw := staff(t, e, "cw@gom.example", "GOM", domain.RoleCaseworker)
		base := "/cases/" + c.Number

		want(t, cw.postForm(t, base+"/closure", url.Values{"reason": {""}}), http.StatusUnprocessableEntity, "closure without reason")
		want(t, cw.post(t, base+"/closure", url.Values{"reason": {"x"}}), http.StatusForbidden, "closure without CSRF")
		want(t, gomCw.postForm(t, base+"/closure", url.Values{"reason": {"x"}}), http.StatusNotFound, "another agency's closure request")
		p := cw.postForm(t, base+"/closure", url.Values{"reason": {"Réintégration familiale réussie"}})
		want(t, p, http.StatusOK, "closure request")
		mustContain(t, p, "case page after the request", "Clôture demandée par cw@kin.example")
		want(t, cw.postForm(t, base+"/closure", url.Values{"reason": {"encore"}}), http.StatusConflict, "a second request")
		id := find(t, closureRe, sup.get(t, "/").body)
		decision := base + "/closure/" + id

		// Refusals: the caseworker, another agency's supervisor (out of
		// reach, then reaching it through a referral yet not the owner).
		want(t, cw.get(t, decision), http.StatusForbidden, "caseworker opening the decision")
		want(t, cw.postForm(t, decision, url.Values{"decision": {"approved"}}), http.StatusForbidden, "caseworker approving")
		want(t, gomSup.postForm(t, decision, url.Values{"decision": {"approved"}}), http.StatusNotFound, "GOM supervisor, no referral")
		want(t, cw.postForm(t, base+"/consent", url.Values{"con_Consent": {"yes"}}), http.StatusOK, "consent")
		want(t, cw.postForm(t, base+"/refer", url.Values{"vig_ReferredAgency": {"GOM"}}), http.StatusOK, "referral")
		want(t, gomSup.get(t, base), http.StatusOK, "GOM supervisor reaches the referred case")
		want(t, gomSup.postForm(t, decision, url.Values{"decision": {"approved"}}), http.StatusForbidden, "GOM supervisor approving")
		// Nor does the referred agency ask for the owner's closure.
		want(t, gomSup.get(t, base+"/closure"), http.StatusForbidden, "GOM opening the closure request")
		want(t, gomSup.postForm(t, base+"/closure", url.Values{"reason": {"Transféré"}}), http.StatusForbidden, "GOM asking for the closure")
		if p := gomSup.get(t, base); strings.Contains(p.body, base+"/closure") {
			t.Fatal("the referred agency's case page offers the closure request")
		}
		if got := caseNow(t, db, c.Number); got.Status != "Active" {
			t.Fatalf("status %s after refused approvals", got.Status)
		}

		// The owning agency's supervisor approves.
		p = sup.get(t, decision)
		want(t, p, http.StatusOK, "decision form")
		mustContain(t, p, "decision form", "Réintégration familiale réussie", `<label for="f-decision">`)
		want(t, sup.postForm(t, decision, url.Values{"decision": {"maybe"}}), http.StatusUnprocessableEntity, "no decision")
		p = sup.postForm(t, decision, url.Values{"decision": {"approved"}, "note": {"<b>Vu</b>"}})
		want(t, p, http.StatusOK, "approval")
		mustContain(t, p, "case page after approval", "Clôture approuvée", "&lt;b&gt;Vu&lt;/b&gt;", "/reopen")
		got := caseNow(t, db, c.Number)
		if got.Status != "Closed" || got.ReasonForCaseClosure != "Réintégration familiale réussie" {
			t.Fatalf("after approval: %s %q", got.Status, got.ReasonForCaseClosure)
		}
		want(t, sup.postForm(t, decision, url.Values{"decision": {"rejected"}}), http.StatusConflict, "deciding twice")

		// Reopening: the owning agency's caseworker may; the referred
		// agency may not.
		want(t, gomCw.postForm(t, base+"/reopen", url.Values{}), http.StatusForbidden, "GOM reopening")
		want(t, cw.postForm(t, base+"/reopen", url.Values{}), http.StatusOK, "reopen")
		if got := caseNow(t, db, c.Number); got.Status != "Active" {
			t.Fatalf("status %s after reopening", got.Status)
		}
		want(t, cw.postForm(t, base+"/reopen", url.Values{}), http.StatusConflict, "reopening an open case")

		// A second request, rejected: the case stays open, the note shows.
		want(t, cw.postForm(t, base+"/closure", url.Values{"reason": {"Départ vers Kinshasa"}}), http.StatusOK, "second request")
		id2 := find(t, closureRe, sup.get(t, "/").body)
		p = sup.postForm(t, base+"/closure/"+id2, url.Values{"decision": {"rejected"}, "note": {"Suivi encore nécessaire"}})
		want(t, p, http.StatusOK, "rejection")
		mustContain(t, p, "case page after rejection", "Demande de clôture rejetée", "Suivi encore nécessaire", "/closure\"")
		if got := caseNow(t, db, c.Number); got.Status != "Active" {
			t.Fatalf("status %s after a rejection", got.Status)
		}

		var closure []string
		for _, a := range append(audited(t, db, c.Number, domain.AuditCreate), audited(t, db, c.Number, domain.AuditUpdate)...) {
			if s, ok := a.Detail["closure"].(string); ok {
				closure = append(closure, s)
			}
		}
		if len(closure) != 4 {
			t.Fatalf("closure audit entries: %v", closure)
		}
		all, err := db.AuditEntries(context.Background(), domain.AuditFilter{Action: domain.AuditDenied, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		var denied int
		for _, a := range all {
			if a.Detail["ref"] == c.Number && a.Resource == string(domain.ResCase) {
				denied++
			}
		}
		if denied < 3 {
			t.Fatalf("%d refusals audited, want at least 3", denied)
		}
	})
}

func TestCommentsPlansAndFollowUps(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		cw := staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		gom := staff(t, e, "cw@gom.example", "GOM", domain.RoleCaseworker)
		base := "/cases/" + c.Number

		want(t, gom.postForm(t, base+"/comments", url.Values{"cco_CaseComment": {"x"}}), http.StatusNotFound, "comment on another agency's case")
		want(t, cw.get(t, base+"/comments/new"), http.StatusOK, "comment form")
		p := cw.postForm(t, base+"/comments", url.Values{"cco_CaseComment": {strings.Repeat("a", 20001)}})
		want(t, p, http.StatusUnprocessableEntity, "comment too long")
		p = cw.postForm(t, base+"/comments", url.Values{"cco_CaseComment": {"<script>1</script> Visite à domicile"}})
		want(t, p, http.StatusOK, "comment")
		mustContain(t, p, "case page", "&lt;script&gt;1&lt;/script&gt; Visite à domicile")

		due := e.clock.Now().AddDate(0, 0, 3).Format("2006-01-02")
		want(t, cw.get(t, base+"/support-plans/new"), http.StatusOK, "plan form")
		want(t, cw.postForm(t, base+"/support-plans", url.Values{"spl_Type": {"Health"}, "spl_PlannedEndDate": {"demain"}}), http.StatusUnprocessableEntity, "plan with a bad date")
		want(t, cw.postForm(t, base+"/support-plans", url.Values{"spl_Type": {"Health"}, "spl_PlannedEndDate": {due}}), http.StatusOK, "plan")
		home := cw.get(t, "/")
		mustContain(t, home, "home", "Suivis à effectuer", `href="/cases/`+c.Number+`"`)
		mustNotContain(t, gom.get(t, "/"), "GOM home", c.Number)

		plan := caseNow(t, db, c.Number).SupportPlans[0]

		// Two people edit the plan at once: the second is refused and sees
		// which field the first changed, keeping what they typed.
		other := staff(t, e, "sup@kin.example", "KIN", domain.RoleSupervisor)
		editPlan := base + "/support-plans/" + plan.ID + "/edit"
		want(t, gom.get(t, editPlan), http.StatusNotFound, "GOM editing KIN's plan")
		want(t, cw.get(t, base+"/support-plans/"+c.ID+"/edit"), http.StatusNotFound, "a plan that does not exist")
		mine := formValues(cw.get(t, editPlan).body)
		theirs := formValues(other.get(t, editPlan).body)
		theirs.Set("spl_Objectives", "Suivi médical mensuel")
		want(t, other.post(t, editPlan, theirs), http.StatusOK, "first plan edit")
		mine.Set("spl_ActionPlan", "Rendez-vous au centre de santé")
		p = cw.post(t, editPlan, mine)
		want(t, p, http.StatusConflict, "stale plan edit")
		mustContain(t, p, "plan conflict", "<li>Objectifs</li>", "<strong>Suivi médical mensuel</strong>", "Rendez-vous au centre de santé</textarea>")
		want(t, cw.post(t, editPlan, formValues(p.body)), http.StatusOK, "re-applied plan edit")
		plan = caseNow(t, db, c.Number).SupportPlans[0]
		if plan.Objectives != "Suivi médical mensuel" || plan.ActionPlan != "Rendez-vous au centre de santé" || plan.Version != 3 {
			t.Fatalf("plan after both edits: %+v", plan)
		}
		end := base + "/support-plans/" + plan.ID + "/end"
		want(t, cw.postForm(t, end, url.Values{"version": {"99"}}), http.StatusConflict, "ending a plan on a stale version")
		want(t, cw.postForm(t, end, url.Values{"version": {"3"}}), http.StatusOK, "ending the plan")
		mustContain(t, cw.get(t, "/"), "home after the plan ended", "Aucun suivi à effectuer")
	})
}
