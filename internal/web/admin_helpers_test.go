// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"vigie/internal/domain"
)

// signedIn creates a user with these roles and returns a browser signed
// in as them (through the enrolment of the second factor when the roles
// need one).
func (e *env) signedIn(t *testing.T, email, agency string, roles ...domain.Role) (*browser, *domain.User) {
	t.Helper()
	u := e.user(t, email, agency, roles...)
	b := e.browser(t)
	if domain.NeedsSecondFactor(roles) {
		b.enrol(t, email)
	} else {
		p := b.post(t, "/sign-in", url.Values{"email": {email}, "password": {password}})
		want(t, p, http.StatusOK, "sign-in of "+email)
	}
	return b, u
}

// csrf returns the browser's current CSRF token, read from a page.
func (b *browser) csrf(t *testing.T) string {
	t.Helper()
	return find(t, csrfRe, b.get(t, "/account").body)
}

// form posts a form with the browser's CSRF token.
func (b *browser) form(t *testing.T, path string, form url.Values) page {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf_token", b.csrf(t))
	return b.post(t, path, form)
}

// entries returns the whole audit log, newest first.
func (e *env) entries(t *testing.T) []*domain.AuditEntry {
	t.Helper()
	list, err := e.db.AuditEntries(context.Background(), domain.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// countEntries counts the entries with this action that match.
func (e *env) countEntries(t *testing.T, action string, match func(*domain.AuditEntry) bool) int {
	t.Helper()
	n := 0
	for _, en := range e.entries(t) {
		if en.Action == action && (match == nil || match(en)) {
			n++
		}
	}
	return n
}

// detail is an entry's detail value as text ("" when absent).
func detail(en *domain.AuditEntry, key string) string {
	if en.Detail == nil || en.Detail[key] == nil {
		return ""
	}
	return fmt.Sprint(en.Detail[key])
}

var (
	postFormRe = regexp.MustCompile(`(?s)<form method="post"[^>]*>(.*?)</form>`)
	fieldRe    = regexp.MustCompile(`<(input|select|textarea)\b([^>]*)>`)
	idRe       = regexp.MustCompile(`\bid="([^"]+)"`)
	typeRe     = regexp.MustCompile(`\btype="([^"]+)"`)
)

// checkPage holds a page to the rules every page follows: each POST form
// carries the CSRF token, each visible field has a <label for>, and the
// page stays well under the 60 KB budget (uncompressed here, so the
// compressed page is smaller still).
func checkPage(t *testing.T, path, body string) {
	t.Helper()
	if len(body) > 60<<10 {
		t.Errorf("%s weighs %d bytes", path, len(body))
	}
	for _, f := range postFormRe.FindAllStringSubmatch(body, -1) {
		if !strings.Contains(f[1], `name="csrf_token"`) {
			t.Errorf("%s: a POST form without the CSRF token: %s", path, f[0])
		}
	}
	for _, m := range fieldRe.FindAllStringSubmatch(body, -1) {
		if ty := typeRe.FindStringSubmatch(m[2]); ty != nil && ty[1] == "hidden" {
			continue
		}
		id := idRe.FindStringSubmatch(m[2])
		if id == nil || !strings.Contains(body, `<label for="`+id[1]+`"`) {
			t.Errorf("%s: a field without a label: %s", path, m[0])
		}
	}
}
