// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"bytes"
	"compress/gzip"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

var testNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

var codeItemRe = regexp.MustCompile(`<li><code>([^<]+)</code></li>`)

// enrol signs in through the forms as a user without an authenticator,
// sets it up from the enrolment page and returns the secret and the
// recovery codes.
func (b *browser) enrol(t *testing.T, email string) (string, []string) {
	t.Helper()
	p := b.post(t, "/sign-in", url.Values{"email": {email}, "password": {password}})
	want(t, p, http.StatusOK, "sign-in")
	if p.url != "/sign-in/enrol" {
		t.Fatalf("sign-in led to %s, want /sign-in/enrol", p.url)
	}
	secret := strings.ReplaceAll(find(t, secretRe, p.body), " ", "")
	qr := b.get(t, "/sign-in/enrol/qr.png")
	want(t, qr, http.StatusOK, "QR code")
	if _, err := png.Decode(strings.NewReader(qr.body)); err != nil {
		t.Fatalf("the QR code is not a PNG: %v", err)
	}
	// A reload shows the same secret: EnrolTOTP is called once.
	if again := b.get(t, "/sign-in/enrol"); strings.ReplaceAll(find(t, secretRe, again.body), " ", "") != secret {
		t.Fatal("reloading the enrolment page changed the secret")
	}
	code, err := totp.GenerateCode(secret, b.e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	want(t, b.post(t, "/sign-in/enrol", url.Values{"code": {code}}), http.StatusForbidden, "enrol without CSRF token")
	bad := string('0'+(code[0]-'0'+1)%10) + code[1:]
	p = b.post(t, "/sign-in/enrol", url.Values{"code": {bad}, "csrf_token": {find(t, csrfRe, p.body)}})
	want(t, p, http.StatusUnprocessableEntity, "a wrong first code")
	if !strings.Contains(p.body, "Code incorrect") || strings.ReplaceAll(find(t, secretRe, p.body), " ", "") != secret {
		t.Fatalf("a wrong first code must show the error and the same secret:\n%s", p.body)
	}
	p = b.post(t, "/sign-in/enrol", url.Values{"code": {code}, "csrf_token": {find(t, csrfRe, p.body)}})
	want(t, p, http.StatusOK, "confirming the code")
	var codes []string
	for _, m := range codeItemRe.FindAllStringSubmatch(p.body, -1) {
		codes = append(codes, m[1])
	}
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown, want 10:\n%s", len(codes), p.body)
	}
	return secret, codes
}

func TestSignInToCasePage(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		e.user(t, "cw@kin.example", "KIN", domain.RoleCaseworker)
		mine := e.newCase(t, "KIN", "<script>alert(1)</script>")
		theirs := e.newCase(t, "GOM", "Amani")
		b := e.browser(t)

		want(t, b.get(t, "/"), http.StatusOK, "home, signed out")
		if p := b.get(t, "/"); p.url != "/sign-in" {
			t.Fatalf("signed out, / led to %s", p.url)
		}

		// A wrong password: the e-mail stays, the password does not.
		wrong := "mauvais-mot-de-passe-42"
		p := b.post(t, "/sign-in", url.Values{"email": {"cw@kin.example"}, "password": {wrong}})
		want(t, p, http.StatusUnprocessableEntity, "wrong password")
		if !strings.Contains(p.body, `value="cw@kin.example"`) || strings.Contains(p.body, wrong) {
			t.Fatalf("the form must keep the e-mail and not the password:\n%s", p.body)
		}
		if !strings.Contains(p.body, "Adresse e-mail ou mot de passe incorrect.") {
			t.Fatalf("no localized error:\n%s", p.body)
		}

		secret, _ := b.enrol(t, "cw@kin.example")

		home := b.get(t, "/")
		want(t, home, http.StatusOK, "home")
		if !strings.Contains(home.body, `href="/cases/`+mine.Number+`"`) || strings.Contains(home.body, theirs.Number) {
			t.Fatalf("home must list %s and not %s:\n%s", mine.Number, theirs.Number, home.body)
		}

		cp := b.get(t, "/cases/"+mine.Number)
		want(t, cp, http.StatusOK, "case page")
		if !strings.Contains(cp.body, "&lt;script&gt;alert(1)&lt;/script&gt;") || strings.Contains(cp.body, "<script>") {
			t.Fatalf("the victim's name must show, escaped:\n%s", cp.body)
		}
		for _, s := range []string{"Kolwezi", "Premier entretien", "Exploitation", "Travail forcé", "Féminin"} {
			if !strings.Contains(cp.body, s) {
				t.Errorf("the case page lacks %q", s)
			}
		}
		// The read is audited like the API's.
		entries, err := db.AuditEntries(t.Context(), domain.AuditFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		read, denied := false, false
		for _, en := range entries {
			read = read || en.Action == domain.AuditRead && en.CaseNumber == mine.Number
		}

		// Another agency's case is the same 404 page as a missing one.
		missing := "KIN-2026-999999"
		other := b.get(t, "/cases/"+theirs.Number)
		none := b.get(t, "/cases/"+missing)
		want(t, other, http.StatusNotFound, "another agency's case")
		want(t, none, http.StatusNotFound, "a missing case")
		if strings.ReplaceAll(other.body, theirs.Number, "REF") != strings.ReplaceAll(none.body, missing, "REF") {
			t.Fatalf("out of scope and missing differ:\n%s\n----\n%s", other.body, none.body)
		}
		entries, err = db.AuditEntries(t.Context(), domain.AuditFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, en := range entries {
			denied = denied || en.Action == domain.AuditDenied && en.Detail["reason"] == "out_of_scope"
		}
		if !read || !denied {
			t.Errorf("audit: read recorded %v, out-of-scope refusal recorded %v", read, denied)
		}

		// Sign out needs the CSRF token; then a second sign-in asks for a
		// code, not an enrolment.
		want(t, b.post(t, "/sign-out", nil), http.StatusForbidden, "sign-out without CSRF token")
		p = b.post(t, "/sign-out", url.Values{"csrf_token": {find(t, csrfRe, home.body)}})
		if p.url != "/sign-in" {
			t.Fatalf("sign-out led to %s", p.url)
		}
		if p := b.get(t, "/cases"); p.url != "/sign-in" {
			t.Fatalf("after sign-out, /cases led to %s", p.url)
		}
		p = b.post(t, "/sign-in", url.Values{"email": {"cw@kin.example"}, "password": {password}})
		if p.url != "/sign-in/code" {
			t.Fatalf("second sign-in led to %s, want /sign-in/code", p.url)
		}
		e.clock.Advance(time.Minute) // a code is used once; take the next one
		code, err := totp.GenerateCode(secret, e.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		want(t, b.post(t, "/sign-in/code", url.Values{"code": {code}}), http.StatusForbidden, "code without CSRF token")
		p = b.post(t, "/sign-in/code", url.Values{"code": {code}, "csrf_token": {find(t, csrfRe, p.body)}})
		want(t, p, http.StatusOK, "code")
		if p.url != "/" {
			t.Fatalf("the code led to %s", p.url)
		}
	})
}

// signedIn returns a browser signed in as a new caseworker of KIN.
func signedIn(t *testing.T, e *env, email string) *browser {
	e.user(t, email, "KIN", domain.RoleCaseworker)
	b := e.browser(t)
	b.enrol(t, email)
	return b
}

func TestCaseList(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		mine := e.newCase(t, "KIN", "Esther")
		theirs := e.newCase(t, "GOM", "Amani")
		b := signedIn(t, e, "cw@kin.example")
		p := b.get(t, "/cases")
		want(t, p, http.StatusOK, "list")
		if !strings.Contains(p.body, mine.Number) || strings.Contains(p.body, theirs.Number) || !strings.Contains(p.body, "1 dossier au total") {
			t.Fatalf("the list must show %s only:\n%s", mine.Number, p.body)
		}
		p = b.get(t, "/cases?status=Closed&gender=&age_group=&exploitation=&citizenship=&year_from=&year_to=&sort=-updated")
		want(t, p, http.StatusOK, "filtered list")
		if strings.Contains(p.body, mine.Number) || !strings.Contains(p.body, "Aucun dossier ne correspond") {
			t.Fatalf("the Closed filter must hide %s:\n%s", mine.Number, p.body)
		}
		want(t, b.get(t, "/cases?year_from=deux-mille"), http.StatusBadRequest, "a year that is not a number")
		want(t, b.get(t, "/cases?status=Nope"), http.StatusBadRequest, "an unknown status")
		// The agency is never taken from the query.
		if p := b.get(t, "/cases?agency=GOM"); strings.Contains(p.body, theirs.Number) {
			t.Fatal("?agency=GOM listed another agency's case")
		}
	})
}

func TestLanguage(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		b := e.browser(t)
		p := b.get(t, "/sign-in")
		if find(t, langRe, p.body) != "fr" || !strings.Contains(p.body, "Se connecter") {
			t.Fatalf("default must be French:\n%s", p.body)
		}
		p = b.get(t, "/lang/en?next=/sign-in")
		if p.url != "/sign-in" || find(t, langRe, p.body) != "en" || !strings.Contains(p.body, "Sign in") {
			t.Fatalf("the switch must lead back in English (at %s):\n%s", p.url, p.body)
		}
		// The cookie holds: the next page is English too, and ?lang= switches back.
		if p := b.get(t, "/nowhere"); p.status != http.StatusNotFound || find(t, langRe, p.body) != "en" {
			t.Fatalf("the 404 page: status %d, lang %s", p.status, find(t, langRe, p.body))
		}
		if p := b.get(t, "/sign-in?lang=fr"); find(t, langRe, p.body) != "fr" {
			t.Fatal("?lang=fr did not switch back to French")
		}
		// Accept-Language speaks for a browser without the cookie.
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/sign-in", nil)
		req.Header.Set("Accept-Language", "en-GB,en;q=0.9,fr;q=0.5")
		if p := e.browser(t).do(t, req); find(t, langRe, p.body) != "en" {
			t.Fatal("Accept-Language: en was not honoured")
		}

		// No open redirect through next.
		noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for _, next := range []string{"//evil.example", "https://evil.example/", `/\evil.example`, "evil.example", "/%2F/evil.example"} {
			resp, err := noFollow.Get(e.srv.URL + "/lang/en?next=" + url.QueryEscape(next))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			loc := resp.Header.Get("Location")
			if resp.StatusCode != http.StatusSeeOther || (loc != "/" && !strings.HasPrefix(loc, "/%2F")) {
				t.Errorf("next=%s: %d to %q", next, resp.StatusCode, loc)
			}
		}
		// Nor through ?lang= on a path that reads as another site.
		resp, err := noFollow.Get(e.srv.URL + "//evil.example/?lang=en")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); strings.HasPrefix(loc, "//") || strings.Contains(loc, "://") {
			t.Errorf("?lang= on //evil.example redirected to %q", loc)
		}
	})
}

// TestSizeAndCSS fetches each page as a slow phone would, compressed,
// and counts the bytes received.
func TestSizeAndCSS(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		for range 60 {
			e.newCase(t, "KIN", "Grâce")
		}
		b := signedIn(t, e, "cw@kin.example")
		raw := &http.Client{Jar: b.c.Jar, Transport: &http.Transport{DisableCompression: true}}
		var css string
		for _, path := range []string{"/", "/cases", "/cases?status=Active&sort=number", "/cases/" + c.Number, "/cases/KIN-2026-999999", "/nowhere"} {
			req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			resp, err := raw.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if resp.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("%s: not compressed", path)
			}
			if len(body) > 60*1024 {
				t.Errorf("%s: %d bytes compressed, over 60 KB", path, len(body))
			}
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			html, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			e.pages["gzip "+path] = string(html)
			css = find(t, cssRe, string(html))
		}
		// 61 cases: the list has a next page, reached by its link.
		p := b.get(t, "/cases")
		next := find(t, regexp.MustCompile(`<a href="([^"]+)" rel="next">`), p.body)
		p = b.get(t, strings.ReplaceAll(next, "&amp;", "&"))
		want(t, p, http.StatusOK, "the next page")
		if !strings.Contains(p.body, "61 dossiers au total") || strings.Contains(p.body, `rel="next"`) || strings.Count(p.body, `<li><a href="/cases/`) != 11 {
			t.Fatalf("the second page:\n%s", p.body)
		}
		p = b.get(t, css)
		want(t, p, http.StatusOK, "the style sheet")
		if p.header.Get("Cache-Control") != "public, max-age=31536000, immutable" || !strings.HasPrefix(p.header.Get("Content-Type"), "text/css") {
			t.Fatalf("style sheet headers: %v", p.header)
		}
		if !regexp.MustCompile(`^/static/vigie\.[0-9a-f]{16}\.css$`).MatchString(css) {
			t.Fatalf("style sheet URL %s", css)
		}
		want(t, b.get(t, "/static/vigie.0123456789abcdef.css"), http.StatusNotFound, "a wrong hash")
		want(t, b.get(t, "/static/vigie.css"), http.StatusNotFound, "no hash")
	})
}
