// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
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
