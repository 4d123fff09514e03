// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"time"

	"vigie/internal/auth"
	"vigie/internal/domain"
)

// Cookie names are auth's, shared with the API: one sign-in serves both.
const (
	sessionCookie = auth.SessionCookie
	deviceCookie  = auth.DeviceCookie
)

func (s *site) cookieName(base string) string { return auth.CookieName(base, s.SecureCookies) }

// visitor is the signed-in (or half signed-in) user of a request.
type visitor struct {
	p       *domain.Principal
	user    *domain.User
	session *domain.Session
	// raw is the session token: the CSRF token is derived from it.
	raw     string
	pending bool // password passed, second factor not yet
}

type visitorKey struct{}

func visitorFrom(r *http.Request) *visitor {
	v, _ := r.Context().Value(visitorKey{}).(*visitor)
	return v
}

// visit resolves the session cookie through the gate, which enforces the
// time-outs; nil means signed out (or an expired session).
func (s *site) visit(r *http.Request) *visitor {
	ck, err := r.Cookie(s.cookieName(sessionCookie))
	if err != nil || ck.Value == "" {
		return nil
	}
	sess, u, ag, err := s.Gate.Resolve(r.Context(), ck.Value)
	if err != nil {
		return nil
	}
	p := &domain.Principal{UserID: u.ID, Email: u.Email, AgencyID: ag.ID, Agency: ag.Code, Roles: u.Roles, Via: "session", Addr: s.clientAddr(r)}
	return &visitor{p: p, user: u, session: sess, raw: ck.Value, pending: !sess.SecondFactor}
}

// with puts the visitor, and the principal for the audit log, in the
// request's context.
func with(r *http.Request, v *visitor) *http.Request {
	ctx := context.WithValue(domain.WithActor(r.Context(), v.p), visitorKey{}, v)
	return r.WithContext(ctx)
}

// signedIn lets through only a session that has passed the second factor;
// a half signed-in visitor is sent back to the step they are at.
func (s *site) signedIn(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := s.visit(r)
		switch {
		case v == nil:
			redirect(w, "/sign-in")
		case v.pending:
			redirect(w, stepPath(auth.SessionState(v.user, false)))
		default:
			h(w, with(s.userLang(w, r, v), v))
		}
	}
}

// pending lets through any live session, complete or not: the
// second-factor steps and sign-out.
func (s *site) pending(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := s.visit(r)
		if v == nil {
			redirect(w, "/sign-in")
			return
		}
		h(w, with(r, v))
	}
}

// csrf refuses a form that does not carry the token derived from the
// session: a page of another site cannot read the session cookie, so
// cannot compute it.
func (s *site) csrf(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := visitorFrom(r)
		if formTooLarge(r) {
			s.errorPage(w, r, http.StatusRequestEntityTooLarge)
			return
		}
		got := r.PostFormValue("csrf_token")
		if v == nil || subtle.ConstantTimeCompare([]byte(got), []byte(auth.CSRFToken(v.raw))) != 1 {
			s.errorPage(w, r, http.StatusForbidden)
			return
		}
		h(w, r)
	}
}

// stepPath is where a session in that state goes next.
func stepPath(state string) string {
	switch state {
	case "required":
		return "/sign-in/code"
	case "enrol":
		return "/sign-in/enrol"
	}
	return "/"
}

// clientAddr is the client's address (auth.ClientAddr, as the API).
func (s *site) clientAddr(r *http.Request) string { return auth.ClientAddr(r, s.TrustProxy) }

func (s *site) client(r *http.Request) auth.Client {
	return auth.ClientOf(r, s.TrustProxy, s.SecureCookies)
}

// started sets the cookies of a session the gate has just created, with
// the API's attributes: HttpOnly, SameSite=Strict, Secure over TLS.
func (s *site) started(w http.ResponseWriter, st *auth.Started) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(sessionCookie), Value: st.Token, Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode, Expires: st.Session.ExpiresAt})
	if st.Device != "" {
		http.SetCookie(w, &http.Cookie{Name: s.cookieName(deviceCookie), Value: st.Device, Path: "/", HttpOnly: true,
			Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode, MaxAge: int(180 * 24 * time.Hour / time.Second)})
	}
}

func (s *site) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(sessionCookie), Value: "", Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode, MaxAge: -1})
}

// redirect sends the browser on with 303 See Other (a form's answer is
// fetched with GET) and no body: http.Redirect's body is English text
// that no catalog translates, and bytes a slow connection pays for.
func redirect(w http.ResponseWriter, to string) {
	w.Header().Set("Location", to)
	w.WriteHeader(http.StatusSeeOther)
}
