// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

var (
	regActionRe = regexp.MustCompile(`action="/registration/([0-9a-f-]{36})/screening"`)
	regCaseRe   = regexp.MustCompile(`^/cases/([A-Z0-9]+-\d{4}-\d{6})$`)
)

// regBrowser is a signed-in browser that posts the wizard's forms with
// the session's CSRF token.
type regBrowser struct {
	*browser
	csrf string
}

// regSignIn signs in a new user of agency with roles (enrolling a second
// factor when the roles need one).
func regSignIn(t *testing.T, e *env, email, agency string, roles ...domain.Role) *regBrowser {
	t.Helper()
	e.user(t, email, agency, roles...)
	b := e.browser(t)
	if domain.NeedsSecondFactor(roles) {
		b.enrol(t, email)
	} else {
		want(t, b.post(t, "/sign-in", url.Values{"email": {email}, "password": {password}}), http.StatusOK, "sign-in")
	}
	return &regBrowser{browser: b, csrf: find(t, csrfRe, b.get(t, "/").body)}
}

func (b *regBrowser) submit(t *testing.T, path string, form url.Values) page {
	t.Helper()
	f := url.Values{"csrf_token": {b.csrf}}
	for k, v := range form {
		f[k] = v
	}
	return b.post(t, path, f)
}

// newDraft opens a new screening and returns the draft ID its form names.
func (b *regBrowser) newDraft(t *testing.T) string {
	t.Helper()
	p := b.get(t, "/registration/new")
	want(t, p, http.StatusOK, "new screening")
	return find(t, regActionRe, p.body)
}

var regControlRe = regexp.MustCompile(`<(?:input|select|textarea) id="([^"]+)"`)

// labelled checks that every control of a wizard page has its label and
// that the page stays far under the 60 KB budget even uncompressed.
func regLabelled(t *testing.T, p page, what string) {
	t.Helper()
	for _, m := range regControlRe.FindAllStringSubmatch(p.body, -1) {
		if !strings.Contains(p.body, `<label for="`+m[1]+`"`) && !strings.Contains(p.body, `for="`+m[1]+`">`) {
			t.Errorf("%s: the control %s has no label", what, m[1])
		}
	}
	if len(p.body) > 60<<10 {
		t.Errorf("%s weighs %d bytes", what, len(p.body))
	}
}

func regMustContain(t *testing.T, p page, what string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(p.body, w) {
			t.Fatalf("%s: the page lacks %q:\n%s", what, w, p.body)
		}
	}
}

func regMustNotContain(t *testing.T, p page, what string, nots ...string) {
	t.Helper()
	for _, n := range nots {
		if strings.Contains(p.body, n) {
			t.Fatalf("%s: the page holds %q:\n%s", what, n, p.body)
		}
	}
}

func regScreeningForm(decision string) url.Values {
	return url.Values{"vig_MajorityStatus": {"Adult"}, "vic_MethodOfRecruitment": {"AtWork"},
		"vic_MethodsOfControl": {"DebtBondage", "WithholdsDocuments"}, "vic_TypeOfExploitation": {"ForcedLabour"},
		"vic_TraffickingStatus": {decision}, "vic_TraffickingStatusDecisionMakingOrg": {"NGO"},
		"vig_TraffickingStatusDate": {testNow.Format("2006-01-02")}, "go": {"next"}}
}

func TestRegistrationWizard(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		known := e.newCase(t, "KIN", "Amani")  // same agency: a possible duplicate
		hidden := e.newCase(t, "GOM", "Amani") // another agency: never named
		b := regSignIn(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		id := b.newDraft(t)
		base := "/registration/" + id + "/"

		// Screening without a decision: every ticked box stays ticked.
		f := regScreeningForm("")
		p := b.submit(t, base+"screening", f)
		want(t, p, http.StatusUnprocessableEntity, "screening without decision")
		regLabelled(t, p, "screening")
		regMustContain(t, p, "screening without decision", `value="DebtBondage" checked`, `value="WithholdsDocuments" checked`,
			"Ce champ est obligatoire", `aria-describedby="f-vic_TraffickingStatus-err"`)
		p = b.submit(t, base+"screening", regScreeningForm("PossibleVictimOfTrafficking"))
		want(t, p, http.StatusOK, "screening")
		if p.url != base+"victim" {
			t.Fatalf("the screening led to %s", p.url)
		}

		// Hostile and broken values: refused, each next to its field,
		// every one kept as typed and escaped.
		long := strings.Repeat("é", 10_000)
		bad := url.Values{"prs_FirstName": {"<script>alert(1)</script>"}, "prs_MiddleName": {"Ka\x1bbila"},
			"prs_IdentityNumber": {long}, "prs_Birthdate": {"2026-13-45"}, "prs_Gender": {"Nope"}, "go": {"next"}}
		p = b.submit(t, base+"victim", bad)
		want(t, p, http.StatusUnprocessableEntity, "hostile victim step")
		regLabelled(t, p, "victim step")
		regMustContain(t, p, "hostile victim step", "&lt;script&gt;alert(1)&lt;/script&gt;", long, "2026-13-45",
			"invisible", "trop long", "AAAA-MM-JJ", "Choisissez une des valeurs proposées")
		regMustNotContain(t, p, "hostile victim step", "<script>alert(1)")

		p = b.submit(t, base+"victim", url.Values{"prs_FirstName": {"Amani"}, "prs_SecondName": {"Mukendi"},
			"prs_Gender": {"Feminine"}, "prs_Citizenship": {"cd"}, "go": {"next"}})
		want(t, p, http.StatusOK, "victim step")
		if p.url != base+"situation" {
			t.Fatalf("the victim step led to %s:\n%s", p.url, p.body)
		}
		regMustContain(t, p, "duplicate warning", "Correspondance possible", known.Number)
		regMustNotContain(t, p, "duplicate warning", hidden.Number)

		p = b.submit(t, base+"situation", url.Values{"vic_AgeWhenTrafficked": {"dix-sept"}, "hte_Country": {"CD"}, "hte_City": {"Kolwezi"}, "go": {"next"}})
		want(t, p, http.StatusUnprocessableEntity, "age in words")
		regLabelled(t, p, "situation step")
		regMustContain(t, p, "age in words", `value="dix-sept"`, `value="Kolwezi"`)
		p = b.submit(t, base+"situation", url.Values{"vic_AgeWhenTrafficked": {"17"}, "hte_Country": {"CD"}, "hte_City": {"Kolwezi"}, "go": {"next"}})
		if p.url != base+"perpetrators" {
			t.Fatalf("the situation step led to %s:\n%s", p.url, p.body)
		}
		p = b.submit(t, base+"perpetrators", url.Values{"per1.prs_FirstName": {"Kabeya"}, "go": {"add"}})
		regLabelled(t, p, "perpetrators step")
		regMustContain(t, p, "a second perpetrator", `name="per2.prs_FirstName"`, `value="Kabeya"`)
		p = b.submit(t, base+"perpetrators", url.Values{"per1.prs_FirstName": {"Kabeya"}, "per1.per_RoleInProcess": {"RecruiterOrIntermediary"}, "go": {"next"}})
		if p.url != base+"consent" {
			t.Fatalf("the perpetrators step led to %s", p.url)
		}
		p = b.submit(t, base+"consent", url.Values{"go": {"next"}})
		want(t, p, http.StatusUnprocessableEntity, "consent unanswered")
		regLabelled(t, p, "consent step")
		// Back saves what was typed without checking it.
		if p := b.submit(t, base+"consent", url.Values{"vig_RecordedBy": {"Esther"}, "go": {"back"}}); p.url != base+"perpetrators" {
			t.Fatalf("back led to %s", p.url)
		}
		regMustContain(t, b.get(t, base+"consent"), "consent kept", `value="Esther"`)
		p = b.submit(t, base+"consent", url.Values{"con_Consent": {"yes"}, "vig_ConsentDate": {testNow.Format("2006-01-02")}, "go": {"next"}})
		if p.url != base+"review" {
			t.Fatalf("the consent step led to %s", p.url)
		}
		regMustContain(t, p, "review", "Amani", "Kabeya", "Servitude pour dettes", "Kolwezi")

		// The same pages in English.
		b.get(t, "/lang/en?next=/")
		regMustContain(t, b.get(t, base+"review"), "review in English", "Registration: review before registering", "Debt bondage", "Possible match")
		regMustContain(t, b.get(t, base+"screening"), "screening in English", "The act: how was the person recruited?")
		b.get(t, "/lang/fr?next=/")

		// Register, twice: one case; the second submission finds it.
		first := b.submit(t, base+"register", nil)
		want(t, first, http.StatusOK, "register")
		m := regCaseRe.FindStringSubmatch(first.url)
		if m == nil {
			t.Fatalf("registering led to %s:\n%s", first.url, first.body)
		}
		regMustContain(t, first, "the new case", "Amani", "Kabeya", "Statut décidé par", "ONG", "Date de la décision")
		again := b.submit(t, base+"register", nil)
		if again.url != first.url {
			t.Fatalf("the second submission led to %s, want %s", again.url, first.url)
		}
		if p := b.submit(t, base+"victim", url.Values{"prs_FirstName": {"Autre"}}); p.url != first.url {
			t.Fatalf("a step posted after registration led to %s", p.url)
		}
		page, err := db.FindCases(t.Context(), domain.CaseFilter{Agency: "KIN"})
		if err != nil || page.Total != 2 {
			t.Fatalf("KIN has %v cases, want 2 (%v)", page, err)
		}
		c, err := db.Case(t.Context(), m[1])
		if err != nil {
			t.Fatal(err)
		}
		if c.Victim.TraffickingStatusDecisionOrg != "NGO" || len(c.Perpetrators) != 1 || len(c.Consents) != 1 || !c.Consents[0].Consent ||
			c.Person.Citizenship[0] != "CD" || *c.Victim.AgeWhenTrafficked != 17 || c.CaseOwner != "cw@kin.example" {
			t.Fatalf("registered case: %+v", c)
		}
		entries, err := db.AuditEntries(t.Context(), domain.AuditFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		created, searched := 0, false
		for _, en := range entries {
			if en.Action == domain.AuditCreate && en.CaseNumber == c.Number {
				created++
			}
			searched = searched || en.Action == domain.AuditSearch && en.Detail["mode"] == "duplicate"
		}
		if created != 1 || !searched {
			t.Fatalf("audit: %d creations of %s, duplicate search recorded %v", created, c.Number, searched)
		}
	})
}

func TestRegistrationRefusals(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		known := e.newCase(t, "KIN", "Amani")
		hidden := e.newCase(t, "GOM", "Amani")
		a := regSignIn(t, e, "a@kin.example", "KIN", domain.RoleCaseworker)
		id := a.newDraft(t)
		base := "/registration/" + id + "/"
		const secret = "Zawadi-Kapinga-7731"
		want(t, a.submit(t, base+"screening", regScreeningForm("ActualVictimOfTrafficking")), http.StatusOK, "screening")
		want(t, a.submit(t, base+"victim", url.Values{"prs_FirstName": {secret}, "go": {"save"}}), http.StatusOK, "save and leave")

		t.Run("ErrForbiddenRoles", func(t *testing.T) {
			for _, role := range []domain.Role{domain.RoleCoordinator, domain.RoleJustice, domain.RoleAdmin} {
				b := regSignIn(t, e, string(role)+"@kin.example", "KIN", role)
				want(t, b.get(t, "/registration/new"), http.StatusForbidden, string(role)+" opening a screening")
				regMustNotContain(t, b.get(t, "/"), string(role)+"'s home", "/registration/")
				want(t, b.get(t, "/registration"), http.StatusForbidden, string(role)+" listing drafts")
				want(t, b.submit(t, base+"screening", regScreeningForm("ActualVictimOfTrafficking")), http.StatusForbidden, string(role)+" posting")
			}
		})
		t.Run("ErrNoCSRF", func(t *testing.T) {
			want(t, a.post(t, base+"victim", url.Values{"prs_FirstName": {"x"}}), http.StatusForbidden, "no CSRF token")
			want(t, a.post(t, base+"register", nil), http.StatusForbidden, "register without CSRF token")
		})
		t.Run("ErrNotFoundForAnotherUser", func(t *testing.T) {
			b := regSignIn(t, e, "b@kin.example", "KIN", domain.RoleCaseworker)
			missing := "/registration/01900000-0000-7000-8000-000000000000/"
			for _, path := range []string{base, missing} {
				want(t, b.get(t, path+"victim"), http.StatusNotFound, "another's draft")
				want(t, b.submit(t, path+"victim", url.Values{"prs_FirstName": {"x"}}), http.StatusNotFound, "posting to another's draft")
				want(t, b.submit(t, path+"register", nil), http.StatusNotFound, "registering another's draft")
				want(t, b.submit(t, path+"discard", nil), http.StatusNotFound, "discarding another's draft")
			}
			// Even the first step: taking over a draft ID is refused.
			want(t, b.submit(t, base+"screening", regScreeningForm("ActualVictimOfTrafficking")), http.StatusNotFound, "screening over another's draft")
			if p := b.get(t, "/registration"); strings.Contains(p.body, id) {
				t.Fatal("b's drafts list a's draft")
			}
			want(t, b.get(t, "/registration/not-a-uuid/victim"), http.StatusNotFound, "a malformed draft ID")
			want(t, b.get(t, base+"nowhere"), http.StatusNotFound, "an unknown step")
		})
		t.Run("DraftKeptAndSealed", func(t *testing.T) {
			for _, path := range []string{"/registration", "/"} {
				p := a.get(t, path)
				regMustContain(t, p, "drafts at "+path, "/registration/"+id+"/victim", `href="/registration/new"`)
				regMustNotContain(t, p, "drafts at "+path, secret) // a list shows no personal data
			}
			regMustContain(t, a.get(t, base+"victim"), "resume", `value="`+secret+`"`)
			if path, ok := strings.CutPrefix(db.Location, "sqlite:"); ok {
				var all []byte
				for _, f := range []string{path, path + "-wal"} {
					b, _ := os.ReadFile(f)
					all = append(all, b...)
				}
				if len(all) == 0 || bytes.Contains(all, []byte(secret)) {
					t.Fatalf("the draft's values are in clear in the database files (read %d bytes)", len(all))
				}
			}
		})
		t.Run("DuplicatesJSON", func(t *testing.T) {
			want(t, a.post(t, "/registration/duplicates", url.Values{"name": {"amani mukendi"}}), http.StatusForbidden, "a check without the CSRF token")
			p := a.submit(t, "/registration/duplicates", url.Values{"name": {"amani mukendi"}})
			want(t, p, http.StatusOK, "duplicates")
			var got struct{ Cases []string }
			if err := json.Unmarshal([]byte(p.body), &got); err != nil || len(got.Cases) != 1 || got.Cases[0] != known.Number {
				t.Fatalf("duplicates: %s (%v)", p.body, err)
			}
			regMustNotContain(t, p, "duplicates", hidden.Number)
		})
		t.Run("ErrTooManyChecks", func(t *testing.T) {
			b := regSignIn(t, e, "fast@kin.example", "KIN", domain.RoleCaseworker)
			var p page
			for range 31 {
				p = b.submit(t, "/registration/duplicates", url.Values{"name": {"amani"}})
			}
			want(t, p, http.StatusTooManyRequests, "the 31st check in a minute")
			e.clock.Advance(61 * 1e9)
			want(t, b.submit(t, "/registration/duplicates", url.Values{"name": {"amani"}}), http.StatusOK, "a check a minute later")
		})
		t.Run("Asset", func(t *testing.T) {
			js := regexp.MustCompile(`<script src="(/static/registration\.[0-9a-f]{16}\.js)" defer>`)
			p := a.get(t, find(t, js, a.get(t, base+"victim").body))
			want(t, p, http.StatusOK, "the wizard's script")
			if p.header.Get("Cache-Control") != "public, max-age=31536000, immutable" || !strings.Contains(p.body, "/registration/duplicates") {
				t.Fatalf("script served with %v", p.header)
			}
		})
		t.Run("NotAVictim", func(t *testing.T) {
			id := a.newDraft(t)
			p := a.submit(t, "/registration/"+id+"/screening", regScreeningForm("NotAVictimOfTrafficking"))
			m := regCaseRe.FindStringSubmatch(p.url)
			if m == nil {
				t.Fatalf("a 'not a victim' screening led to %s:\n%s", p.url, p.body)
			}
			if again := a.submit(t, "/registration/"+id+"/screening", regScreeningForm("NotAVictimOfTrafficking")); again.url != p.url {
				t.Fatalf("the screening resubmitted led to %s, want %s", again.url, p.url)
			}
			c, err := db.Case(t.Context(), m[1])
			if err != nil || c.Victim.TraffickingStatus != "NotAVictimOfTrafficking" || c.Person.FirstName != "" || !c.Victim.TraffickingStatusDate.Time().Equal(testNow.Truncate(24*3600e9)) {
				t.Fatalf("not-a-victim case: %+v %v", c, err)
			}
		})
		t.Run("ConcurrentRegister", func(t *testing.T) {
			id := a.newDraft(t)
			base := "/registration/" + id + "/"
			a.submit(t, base+"screening", regScreeningForm("PossibleVictimOfTrafficking"))
			a.submit(t, base+"consent", url.Values{"con_Consent": {"no"}, "go": {"save"}})
			before, _ := db.FindCases(t.Context(), domain.CaseFilter{Agency: "KIN"})
			// Five clicks at once, as an impatient user on a slow line.
			urls := make(chan string, 5)
			for range 5 {
				go func() {
					resp, err := a.c.PostForm(e.srv.URL+base+"register", url.Values{"csrf_token": {a.csrf}})
					if err != nil {
						urls <- err.Error()
						return
					}
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						urls <- resp.Request.URL.Path + " " + resp.Status + " " + string(body)
						return
					}
					urls <- resp.Request.URL.Path
				}()
			}
			first := <-urls
			for range 4 {
				if u := <-urls; u != first || regCaseRe.FindString(u) == "" {
					t.Fatalf("concurrent submissions led to %s and %s", first, u)
				}
			}
			after, _ := db.FindCases(t.Context(), domain.CaseFilter{Agency: "KIN"})
			if after.Total != before.Total+1 {
				t.Fatalf("five submissions made %d cases", after.Total-before.Total)
			}
		})
		t.Run("Discard", func(t *testing.T) {
			id := a.newDraft(t)
			want(t, a.submit(t, "/registration/"+id+"/screening", url.Values{"go": {"save"}}), http.StatusOK, "empty screening saved")
			p := a.submit(t, "/registration/"+id+"/discard", nil)
			if p.url != "/registration" {
				t.Fatalf("discard led to %s", p.url)
			}
			want(t, a.get(t, "/registration/"+id+"/screening"), http.StatusNotFound, "a discarded draft")
		})
	})
}
