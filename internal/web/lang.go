// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"vigie/internal/i18n"
)

// langCookie keeps the language a user chose; it is not a secret, and
// one year long, so that a shared phone keeps speaking its user's language.
const langCookie = "vigie_lang"

type langKey struct{}

// langOf is the language of the request's pages.
func langOf(r *http.Request) i18n.Lang {
	if l, ok := r.Context().Value(langKey{}).(i18n.Lang); ok {
		return l
	}
	return i18n.FR
}

// lang picks the language of each request: the cookie a user set, else
// the browser's Accept-Language, else French. A "?lang=" on a GET sets
// the cookie and redirects to the same page without it, so that links
// stay clean and bookmarks do not pin a language.
func (s *site) lang(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if q := r.URL.Query(); r.Method == http.MethodGet && q.Has("lang") {
			if l, ok := i18n.Parse(q.Get("lang")); ok {
				s.setLang(w, l)
			}
			q.Del("lang")
			u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
			// The path comes before the mux cleans it: "//evil.example"
			// must not become a redirect to another site.
			redirect(w, localPath(u.String()))
			return
		}
		l := i18n.FromAcceptLanguage(r.Header.Get("Accept-Language"))
		if ck, err := r.Cookie(langCookie); err == nil {
			if cl, ok := i18n.Parse(ck.Value); ok {
				l = cl
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), langKey{}, l)))
	})
}

func (s *site) setLang(w http.ResponseWriter, l i18n.Lang) {
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
		Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// switchLang is the language link of every page: GET /lang/en?next=/cases.
func (s *site) switchLang(w http.ResponseWriter, r *http.Request) {
	l, ok := i18n.Parse(r.PathValue("lang"))
	if !ok {
		s.notFoundPage(w, r)
		return
	}
	s.setLang(w, l)
	// Signed in, the choice is the user's, not only this device's: it
	// follows them to the next phone or laptop they sign in on.
	if v := s.visit(r); v != nil && !v.pending && v.user.Lang != string(l) {
		if err := s.Users.SetUserLang(r.Context(), v.user.ID, string(l)); err != nil {
			s.Log.Warn("saving the language", "err", err)
		}
	}
	redirect(w, localPath(r.URL.Query().Get("next")))
}

// userLang makes a signed-in request speak the language its user chose,
// whatever this device's cookie says, and puts the cookie right for the
// pages that come before the session is read (sign-in, errors).
func (s *site) userLang(w http.ResponseWriter, r *http.Request, v *visitor) *http.Request {
	l, ok := i18n.Parse(v.user.Lang)
	if !ok || l == langOf(r) {
		return r
	}
	s.setLang(w, l)
	return r.WithContext(context.WithValue(r.Context(), langKey{}, l))
}

// localPath returns next if it is a path on this site, else "/": a
// "next" that named another site ("//evil.example", "https://…",
// "/\evil.example", which browsers read as "//") would turn the language
// link into an open redirect.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}

// switchHref is the language link of the current page.
func switchHref(r *http.Request, to i18n.Lang) string {
	next := r.URL.Path
	// After a form, the query is dropped with the method: going back to
	// the form's URL by GET never resends the form.
	if r.Method == http.MethodGet && r.URL.RawQuery != "" {
		next += "?" + r.URL.RawQuery
	}
	return "/lang/" + string(to) + "?next=" + url.QueryEscape(next)
}
