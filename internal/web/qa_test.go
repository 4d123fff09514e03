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

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// The regressions found by trying the pages as a new user of each role.

var (
	qaNavRe  = regexp.MustCompile(`(?s)<nav aria-label="[^"]*">(.*?)</nav>`)
	qaHrefRe = regexp.MustCompile(`href="(/[^"#]*)"`)
)

// qaLinks returns the site's own links of a page, less the language
// switch and the assets.
func qaLinks(body string) []string {
	var out []string
	for _, m := range qaHrefRe.FindAllStringSubmatch(body, -1) {
		h := strings.ReplaceAll(m[1], "&amp;", "&")
		if !strings.HasPrefix(h, "/lang/") && !strings.HasPrefix(h, "/static/") {
			out = append(out, h)
		}
	}
	return out
}

// TestQALinksLeadSomewhere: for every role, each link of the menu, and
// each link of the pages the menu leads to, opens a page (an admin's menu
// offered "Cases", which answered 403).
func TestQALinksLeadSomewhere(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		e.newCase(t, "KIN", "Esther")
		for _, tc := range []struct {
			role    domain.Role
			missing []string // links the menu must not offer
		}{
			{domain.RoleAdmin, []string{`href="/cases"`}},
			{domain.RoleCoordinator, []string{`href="/admin/users"`}},
			{domain.RoleJustice, []string{`href="/admin/users"`}},
			{domain.RoleSupervisor, []string{`href="/admin/users"`}},
			{domain.RoleCaseworker, []string{`href="/audit"`, `href="/admin/users"`}},
		} {
			t.Run(string(tc.role), func(t *testing.T) {
				b, _ := e.signedIn(t, string(tc.role)+"@kin.example", "KIN", tc.role)
				home := b.get(t, "/")
				want(t, home, http.StatusOK, "home")
				nav := find(t, qaNavRe, home.body)
				mustNotContain(t, page{body: nav}, "the menu of "+string(tc.role), tc.missing...)
				seen := map[string]bool{}
				for _, first := range qaLinks(nav) {
					p := b.get(t, first)
					want(t, p, http.StatusOK, string(tc.role)+" following the menu to "+first)
					for _, link := range append([]string{first}, qaLinks(p.body)...) {
						if seen[link] {
							continue
						}
						seen[link] = true
						want(t, b.get(t, link), http.StatusOK, string(tc.role)+" following "+link+" from "+first)
					}
				}
			})
		}
	})
}

// TestQACaseTrailLinksBack: a case's audit trail links back to the case
// only for those who may open it; an admin reads the trail of any case
// but no case, and the link led to "not found".
func TestQACaseTrailLinksBack(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		back := `href="/cases/` + c.Number + `"`
		for _, tc := range []struct {
			role domain.Role
			link bool
		}{
			{domain.RoleAdmin, false},
			{domain.RoleSupervisor, true},
		} {
			b, _ := e.signedIn(t, string(tc.role)+"@kin.example", "KIN", tc.role)
			p := b.get(t, "/cases/"+c.Number+"/audit")
			want(t, p, http.StatusOK, string(tc.role)+"'s view of the trail")
			if got := strings.Contains(p.body, back); got != tc.link {
				t.Errorf("%s: link back to the case %v, want %v", tc.role, got, tc.link)
			}
			if tc.link {
				want(t, b.get(t, "/cases/"+c.Number), http.StatusOK, string(tc.role)+" following the link back")
			} else {
				want(t, b.get(t, "/cases/"+c.Number), http.StatusNotFound, string(tc.role)+" opening the case")
			}
		}
	})
}

// TestQARepeatedReferral: the referral form sent twice (double click,
// back button, replay) leaves one pending referral in the receiving
// inbox; once answered, the case may be referred there again.
func TestQARepeatedReferral(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		if _, err := e.db.EnsureAgency(t.Context(), "BUK", "Foyer de Bukavu"); err != nil {
			t.Fatal(err)
		}
		c := e.newCase(t, "KIN", "Esther")
		kin := staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		gom := staff(t, e, "cw@gom.example", "GOM", domain.RoleCaseworker)
		base := "/cases/" + c.Number
		want(t, kin.postForm(t, base+"/consent", url.Values{"con_Consent": {"yes"}}), http.StatusOK, "consent")

		toGOM := url.Values{"vig_ReferredAgency": {"GOM"}, "cas_OutgoingReferralDetails": {"<script>alert(1)</script>"}}
		want(t, kin.postForm(t, base+"/refer", toGOM), http.StatusOK, "referral")
		for _, tc := range []struct {
			name   string
			lang   string
			status int
			says   string
		}{
			{"replayed", "fr", http.StatusConflict, "Ce dossier est déjà référé à cet organisme et attend sa réponse"},
			{"replayed in English", "en", http.StatusConflict, "This case is already referred to this agency and waits for its answer"},
		} {
			want(t, kin.get(t, "/lang/"+tc.lang+"?next=/"), http.StatusOK, "language")
			p := kin.postForm(t, base+"/refer", url.Values{"vig_ReferredAgency": {"GOM"}, "cas_OutgoingReferralDetails": {"<script>alert(1)</script>"}})
			want(t, p, tc.status, tc.name)
			mustContain(t, p, tc.name, tc.says, "&lt;script&gt;alert(1)&lt;/script&gt;")
			mustNotContain(t, p, tc.name, "<script>alert(1)")
		}
		if n := len(caseNow(t, db, c.Number).Referrals); n != 1 {
			t.Fatalf("%d referrals stored, want 1", n)
		}
		inbox := gom.get(t, "/referrals")
		if n := len(acceptRe.FindAllString(inbox.body, -1)); n != 1 {
			t.Fatalf("GOM's inbox offers %d referrals to accept, want 1", n)
		}
		// Another agency is another referral.
		want(t, kin.postForm(t, base+"/refer", url.Values{"vig_ReferredAgency": {"BUK"}}), http.StatusOK, "referral to BUK")
		// Answered, the referral no longer blocks a new one.
		id := find(t, acceptRe, inbox.body)
		want(t, gom.postForm(t, base+"/referrals/"+id+"/accept", url.Values{}), http.StatusOK, "accept")
		want(t, kin.postForm(t, base+"/refer", url.Values{"vig_ReferredAgency": {"GOM"}}), http.StatusOK, "referral after the answer")
		if n := len(caseNow(t, db, c.Number).Referrals); n != 3 {
			t.Fatalf("%d referrals stored, want 3", n)
		}
	})
}

// TestQAUnreadableDateSaysWhy: a decision date typed in a wrong format is
// reported once, as a format problem; it was said to be both malformed
// and missing ("2 answers to correct" for one field).
func TestQAUnreadableDateSaysWhy(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		b := staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		action := regexp.MustCompile(`action="(/registration/[^"]+/screening)"`)
		for _, tc := range []struct {
			date      string
			says, not []string
		}{
			{"2026-13-45", []string{"1 réponse est à corriger", "AAAA-MM-JJ", `value="2026-13-45"`}, []string{"Ce champ est obligatoire"}},
			{"demain", []string{"1 réponse est à corriger", "AAAA-MM-JJ", `value="demain"`}, []string{"Ce champ est obligatoire"}},
			{"<script>alert(1)</script>", []string{"1 réponse est à corriger", "&lt;script&gt;"}, []string{"Ce champ est obligatoire", "<script>alert"}},
			{"", []string{"1 réponse est à corriger", "Ce champ est obligatoire"}, []string{"AAAA-MM-JJ (par exemple"}},
		} {
			path := find(t, action, b.get(t, "/registration/new").body)
			p := b.postForm(t, path, url.Values{"vig_MajorityStatus": {"Adult"}, "vic_MethodOfRecruitment": {"AtWork"},
				"vic_MethodsOfControl": {"DebtBondage"}, "vic_TypeOfExploitation": {"ForcedLabour"},
				"vic_TraffickingStatus": {"PossibleVictimOfTrafficking"}, "vic_TraffickingStatusDecisionMakingOrg": {"NGO"},
				"vig_TraffickingStatusDate": {tc.date}, "go": {"next"}})
			want(t, p, http.StatusUnprocessableEntity, "decision date "+tc.date)
			mustContain(t, p, "decision date "+tc.date, tc.says...)
			mustNotContain(t, p, "decision date "+tc.date, tc.not...)
		}
	})
}

// TestQALongWordsWrap: a 10,000-character word (a pasted identifier, a
// held-down key) wraps inside the page instead of widening it: on a
// phone the whole case page scrolled sideways.
func TestQALongWordsWrap(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		b := staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		long := strings.Repeat("A", 10000)
		want(t, b.postForm(t, "/cases/"+c.Number+"/comments", url.Values{"cco_CaseComment": {long}}), http.StatusOK, "a long comment")
		p := b.get(t, "/cases/"+c.Number)
		want(t, p, http.StatusOK, "case page")
		mustContain(t, p, "case page", "<main", long)
		css := b.get(t, find(t, cssRe, p.body))
		want(t, css, http.StatusOK, "stylesheet")
		if !regexp.MustCompile(`(?m)^main\{[^}]*overflow-wrap:anywhere`).MatchString(css.body) {
			t.Fatalf("the stylesheet does not wrap long words in main:\n%s", css.body)
		}
		// The menu wraps too: a supervisor's five links did not fit a
		// 390-pixel phone, and "My account" was cut off.
		if !regexp.MustCompile(`(?m)^header nav\{[^}]*flex-wrap:wrap`).MatchString(css.body) {
			t.Fatalf("the stylesheet does not wrap the menu:\n%s", css.body)
		}
	})
}

// TestQAReferralAnsweredTwice: Accept clicked twice, or the decline page
// opened after accepting, says that the referral was answered; it told
// the user to reload and try again, which could never work.
func TestQAReferralAnsweredTwice(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		_, c, kin, gom := referredToGOM(t, db)
		base := "/cases/" + c.Number
		id := find(t, acceptRe, gom.get(t, "/referrals").body)
		ref := base + "/referrals/" + id
		want(t, gom.postForm(t, ref+"/accept", url.Values{}), http.StatusOK, "accept")
		for _, tc := range []struct {
			name   string
			lang   string
			answer func() page
			says   string
		}{
			{"accept again", "fr", func() page { return gom.postForm(t, ref+"/accept", url.Values{}) }, "Ce référencement a déjà reçu une réponse"},
			{"decline after accepting", "fr", func() page {
				return gom.postForm(t, ref+"/decline", url.Values{"reason": {"<b>plus de place</b>"}})
			}, "Ce référencement a déjà reçu une réponse"},
			{"decline page after accepting", "fr", func() page { return gom.get(t, ref+"/decline") }, "Ce référencement a déjà reçu une réponse"},
			{"decline page in English", "en", func() page { return gom.get(t, ref+"/decline") }, "This referral has already been answered"},
		} {
			want(t, gom.get(t, "/lang/"+tc.lang+"?next=/"), http.StatusOK, "language")
			p := tc.answer()
			want(t, p, http.StatusConflict, tc.name)
			mustContain(t, p, tc.name, tc.says, `href="`+base+`"`)
			mustNotContain(t, p, tc.name, "rechargez le dossier", "reload the case", `action="`+ref+`/decline"`, "<b>plus")
		}
		// Not yet answered, the decline page is the form.
		want(t, kin.postForm(t, base+"/refer", url.Values{"vig_ReferredAgency": {"GOM"}}), http.StatusOK, "second referral")
		id2 := find(t, acceptRe, gom.get(t, "/referrals").body)
		p := gom.get(t, base+"/referrals/"+id2+"/decline")
		want(t, p, http.StatusOK, "decline page of a waiting referral")
		mustContain(t, p, "decline page of a waiting referral", `action="`+base+`/referrals/`+id2+`/decline"`)
	})
}

// TestQAClosureDecidedTwice: a closure decision sent twice (double click,
// back button, a second supervisor) says the request was decided; the
// page answered "not found", as if the case had vanished.
func TestQAClosureDecidedTwice(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		cw := staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		sup := staff(t, e, "sup@kin.example", "KIN", domain.RoleSupervisor)
		sup2 := staff(t, e, "sup2@kin.example", "KIN", domain.RoleSupervisor)
		base := "/cases/" + c.Number
		want(t, cw.postForm(t, base+"/closure", url.Values{"reason": {"Retour en famille"}}), http.StatusOK, "closure request")
		decision := base + "/closure/" + find(t, closureRe, sup.get(t, "/").body)
		want(t, sup.postForm(t, decision, url.Values{"decision": {"approved"}}), http.StatusOK, "approval")
		for _, tc := range []struct {
			name   string
			b      *browser
			lang   string
			status int
			answer func(b *browser) page
			says   string
		}{
			{"caseworker still refused", cw, "fr", http.StatusForbidden, func(b *browser) page { return b.get(t, decision) }, ""},
			{"approved twice", sup, "fr", http.StatusConflict, func(b *browser) page {
				return b.postForm(t, decision, url.Values{"decision": {"approved"}})
			}, "Cette demande de clôture a déjà été tranchée"},
			{"rejected by a second supervisor", sup2, "fr", http.StatusConflict, func(b *browser) page {
				return b.postForm(t, decision, url.Values{"decision": {"rejected"}, "note": {"<i>trop tôt</i>"}})
			}, "Cette demande de clôture a déjà été tranchée"},
			{"decision page afterwards", sup2, "en", http.StatusConflict, func(b *browser) page { return b.get(t, decision) },
				"This closure request has already been decided"},
		} {
			want(t, tc.b.get(t, "/lang/"+tc.lang+"?next=/"), http.StatusOK, "language")
			p := tc.answer(tc.b)
			want(t, p, tc.status, tc.name)
			if tc.says != "" {
				mustContain(t, p, tc.name, tc.says, `href="`+base+`"`)
				mustNotContain(t, p, tc.name, `action="`+decision+`"`, "Retour en famille", "<i>trop")
			}
		}
		if got := caseNow(t, db, c.Number); got.Status != "Closed" {
			t.Fatalf("status %s after the replays, want Closed", got.Status)
		}
	})
}

// TestQAFormTooLarge: a form past the size bound says it is too large;
// it said "your role does not allow this" (its CSRF token unread). The
// longest text the domain accepts in French fits.
func TestQAFormTooLarge(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		b := staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		french := strings.Repeat("L’enfant a été recrutée à Kolwezi par « un oncle » ; elle travaillait à la mine.\r\n", 240) // 19,680 characters
		for _, tc := range []struct {
			name    string
			comment string
			status  int
			says    string
			not     string
		}{
			{"20,000-character comment in Cyrillic", strings.Repeat("Ребёнок ", 2500), http.StatusRequestEntityTooLarge,
				"Le fichier ou le formulaire est trop volumineux", "Votre rôle ne vous permet pas"},
			{"long comment in French", french, http.StatusOK, "Kolwezi", "trop volumineux"},
		} {
			p := b.postForm(t, "/cases/"+c.Number+"/comments", url.Values{"cco_CaseComment": {tc.comment}})
			want(t, p, tc.status, tc.name)
			mustContain(t, p, tc.name, tc.says)
			mustNotContain(t, p, tc.name, tc.not)
		}
	})
}

// qaLangRe reads the language link of a page.
var qaLangRe = regexp.MustCompile(`<a class="lang" href="([^"]+)"`)

// TestQALanguageLinkAfterForm: on a form shown again with its errors (an
// answer to a POST), the language link leads to a page that exists; for
// a comment, a support plan, the password or the registration it led to
// the POST-only URL, and so to "not found".
func TestQALanguageLinkAfterForm(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		b := staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		base := "/cases/" + c.Number
		draft := find(t, regexp.MustCompile(`action="(/registration/[^"]+)/screening"`), b.get(t, "/registration/new").body)
		want(t, b.postForm(t, draft+"/screening", url.Values{"vig_MajorityStatus": {"Minor"}, "go": {"save"}}), http.StatusOK, "draft")
		for _, tc := range []struct {
			name   string
			post   string
			form   url.Values
			status int
			next   string // where the link leads
		}{
			{"comment without text", base + "/comments", url.Values{"cco_CaseComment": {""}}, http.StatusUnprocessableEntity, base},
			{"plan without type", base + "/support-plans", url.Values{"spl_Type": {""}}, http.StatusUnprocessableEntity, base},
			{"wrong current password", "/account/password", url.Values{"current_password": {"non"}, "new_password": {"x"}, "confirm_password": {"x"}}, http.StatusUnprocessableEntity, "/account"},
			{"registering an unfinished draft", draft + "/register", url.Values{}, http.StatusUnprocessableEntity, "/registration"},
			{"consent unticked", base + "/consent", url.Values{}, http.StatusUnprocessableEntity, base + "/consent"},
			{"a draft's step", draft + "/victim", url.Values{"prs_Birthdate": {"hier"}, "go": {"next"}}, http.StatusUnprocessableEntity, draft + "/victim"},
		} {
			p := b.postForm(t, tc.post, tc.form)
			want(t, p, tc.status, tc.name)
			link := html.UnescapeString(find(t, qaLangRe, p.body))
			if wantLink := "/lang/en?next=" + url.QueryEscape(tc.next); link != wantLink {
				t.Errorf("%s: language link %s, want %s", tc.name, link, wantLink)
			}
			en := b.get(t, link)
			want(t, en, http.StatusOK, tc.name+": following the language link")
			mustContain(t, en, tc.name, `<html lang="en">`)
			want(t, b.get(t, "/lang/fr?next=/"), http.StatusOK, "back to French")
		}
	})
}

// TestQANoEmptyCaseWork: a role that only reads a case (justice) gets no
// "Case work" heading over an empty list of actions.
func TestQANoEmptyCaseWork(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		for _, tc := range []struct {
			role  domain.Role
			block bool
		}{
			{domain.RoleJustice, false},
			{domain.RoleCaseworker, true},
			{domain.RoleSupervisor, true},
		} {
			b := staff(t, e, string(tc.role)+"@kin.example", "KIN", tc.role)
			p := b.get(t, "/cases/"+c.Number)
			want(t, p, http.StatusOK, string(tc.role)+" on the case page")
			mustNotContain(t, p, string(tc.role), "<ul class=\"actions\">\n</ul>")
			if got := strings.Contains(p.body, `aria-labelledby="work-h"`); got != tc.block {
				t.Errorf("%s: case work block shown %v, want %v", tc.role, got, tc.block)
			}
		}
	})
}

// TestQAPerpetratorReadBack: what registration asks of a perpetrator (the
// gender, the details of the role) is shown on the case page; it was
// saved, then never shown again.
func TestQAPerpetratorReadBack(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		ctx := domain.WithActor(context.Background(), &domain.Principal{Email: "setup@test", Agency: "KIN", Via: "cli"})
		c := &domain.Case{Agency: "KIN", Person: domain.Person{FirstName: "Esther"},
			Victim: domain.Victim{TraffickingStatus: "PossibleVictimOfTrafficking"},
			Perpetrators: []*domain.Perpetrator{{Person: domain.Person{FirstName: "Oncle", Gender: "Masculine"},
				RoleInProcess: []string{"RecruiterOrIntermediary"}, RoleDetails: "<script>alert(1)</script> l’a fait venir de Kolwezi"}}}
		if err := db.CreateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
		b := staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		for _, tc := range []struct {
			lang string
			says []string
		}{
			{"fr", []string{"<dt>Genre</dt><dd>Masculin</dd>", "<dt>Précisions sur le rôle</dt><dd>&lt;script&gt;alert(1)&lt;/script&gt; l’a fait venir de Kolwezi</dd>"}},
			{"en", []string{"Masculine", "&lt;script&gt;alert(1)&lt;/script&gt; l’a fait venir de Kolwezi"}},
		} {
			want(t, b.get(t, "/lang/"+tc.lang+"?next=/"), http.StatusOK, "language")
			p := b.get(t, "/cases/"+c.Number)
			want(t, p, http.StatusOK, "case page in "+tc.lang)
			mustContain(t, p, "case page in "+tc.lang, tc.says...)
			mustNotContain(t, p, "case page in "+tc.lang, "<script>alert(1)")
		}
	})
}
