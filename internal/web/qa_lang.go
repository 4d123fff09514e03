// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"net/url"
	"path"
	"strings"

	"vigie/internal/i18n"
)

// langLink is the language link of a page. After a form (a POST answered
// with the form again, its errors shown) the link cannot resend the form:
// it leads by GET to the form's own page when the same route answers GET
// (/cases/X/refer), else to the nearest parent page that does. A comment
// posts to /cases/X/comments, which only POST answers: the link led to
// "not found"; it now leads to the case.
func (s *site) langLink(r *http.Request, to i18n.Lang) string {
	if r.Method == http.MethodGet || r.Method == http.MethodHead || s.routes == nil {
		return switchHref(r, to)
	}
	return "/lang/" + string(to) + "?next=" + url.QueryEscape(s.pageAfterForm(r))
}

// pageAfterForm is the page a GET of which shows again what a form posted
// to r's path was about.
func (s *site) pageAfterForm(r *http.Request) string {
	_, posted, _ := strings.Cut(r.Pattern, " ")
	for p := r.URL.Path; p != "/" && p != "." && p != ""; p = path.Dir(p) {
		_, pattern := s.routes.Handler(&http.Request{Method: http.MethodGet, Host: r.Host, URL: &url.URL{Path: p}})
		_, got, _ := strings.Cut(pattern, " ")
		switch {
		case got == "" || got == "/":
			// Only the catch-all (not found) answers this path by GET.
		case p != r.URL.Path || got == posted:
			return p
		}
	}
	return "/"
}
