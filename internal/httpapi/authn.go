// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"vigie/internal/auth"
	"vigie/internal/domain"
)

// access says who may call a route at all; what they may do there is the
// permission table's business (domain.Allowed).
type access int

const (
	// public routes answer anyone: health, the API description, sign-in.
	public access = iota
	// partial routes accept a session that has passed the password but
	// not yet the second factor: enrolment and the second-factor step.
	partial
	// signedIn routes need a fully authenticated user.
	signedIn
)

// Cookie names are auth's, shared with the pages.
const (
	sessionCookie = auth.SessionCookie
	deviceCookie  = auth.DeviceCookie
	csrfHeader    = "X-CSRF-Token"
)

func (a *api) cookieName(base string) string { return auth.CookieName(base, a.SecureCookies) }

// caller is who sent a request.
type caller struct {
	p       *domain.Principal
	user    *domain.User
	session *domain.Session
	// rawSession is the session token from the cookie: the CSRF token is
	// derived from it.
	rawSession string
	pending    bool // password passed, second factor not yet
}

type callerKey struct{}

func callerFrom(ctx context.Context) *caller {
	c, _ := ctx.Value(callerKey{}).(*caller)
	return c
}

// principal returns the request's principal (never nil on signedIn routes).
func principal(r *http.Request) *domain.Principal {
	if c := callerFrom(r.Context()); c != nil {
		return c.p
	}
	return nil
}

// clientAddr is the address of the client (auth.ClientAddr).
func (a *api) clientAddr(r *http.Request) string { return auth.ClientAddr(r, a.TrustProxy) }

// authenticate finds the caller from a bearer token or a session cookie.
// It returns nil, nil when the request carries no credentials at all.
func (a *api) authenticate(r *http.Request) (*caller, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		// The scheme is case-insensitive (RFC 9110 §11.1): "bearer" too.
		scheme, tok, ok := strings.Cut(h, " ")
		ok = ok && strings.EqualFold(scheme, "Bearer")
		tok = strings.TrimLeft(tok, " ")
		if !ok || tok == "" {
			return nil, domain.Errorf(domain.KindUnauthorized, "use Authorization: Bearer TOKEN (create one with: vigie token create EMAIL)")
		}
		t, u, ag, err := a.gate.Bearer(r.Context(), tok)
		if err != nil {
			return nil, err
		}
		c := a.callerFor(r, u, ag, "token")
		c.p.ReadOnly = t.ReadOnly
		return c, nil
	}
	ck, err := r.Cookie(a.cookieName(sessionCookie))
	if err != nil || ck.Value == "" {
		return nil, nil
	}
	s, u, ag, err := a.gate.Resolve(r.Context(), ck.Value)
	if err != nil {
		return nil, err
	}
	c := a.callerFor(r, u, ag, "session")
	c.session, c.rawSession, c.pending = s, ck.Value, !s.SecondFactor
	return c, nil
}

func (a *api) callerFor(r *http.Request, u *domain.User, ag *domain.Agency, via string) *caller {
	p := &domain.Principal{UserID: u.ID, Email: u.Email, AgencyID: ag.ID, Agency: ag.Code, Roles: u.Roles, Via: via, Addr: a.clientAddr(r)}
	return &caller{p: p, user: u}
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// guard authenticates the request and enforces the route's access level
// and, for cookie sessions, the CSRF token on unsafe methods.
func (a *api) guard(rt route, r *http.Request) (*http.Request, error) {
	c, err := a.authenticate(r)
	if err != nil && rt.access != public {
		return r, err
	}
	if rt.access == public {
		if c != nil {
			r = r.WithContext(context.WithValue(domain.WithActor(r.Context(), c.p), callerKey{}, c))
		}
		return r, nil
	}
	if c == nil {
		return r, domain.Errorf(domain.KindUnauthorized, "sign in first (POST /api/v1/auth/sign-in), or send Authorization: Bearer TOKEN")
	}
	if c.pending && rt.access == signedIn {
		return r, domain.Errorf(domain.KindUnauthorized, "finish signing in with your second factor (POST /api/v1/auth/second-factor, or enrol with POST /api/v1/auth/totp/enrol)")
	}
	// A read-only token changes nothing, not even its own account.
	if c.p.ReadOnly && !safeMethod(r.Method) {
		return r, domain.Errorf(domain.KindForbidden, "ce jeton est en lecture seule / this token is read-only")
	}
	if c.session != nil && !safeMethod(r.Method) {
		got := r.Header.Get(csrfHeader)
		if got == "" {
			got = r.FormValue("csrf_token")
		}
		if subtle.ConstantTimeCompare([]byte(got), []byte(auth.CSRFToken(c.rawSession))) != 1 {
			return r, domain.Errorf(domain.KindForbidden, "missing or wrong CSRF token: send the csrf_token from GET /api/v1/auth/session in the %s header", csrfHeader)
		}
	}
	return r.WithContext(context.WithValue(domain.WithActor(r.Context(), c.p), callerKey{}, c)), nil
}

// setSessionCookie gives the browser a session token: HttpOnly (scripts
// cannot read it), SameSite=Strict (not sent from other sites' pages),
// Secure when served over TLS.
func (a *api) setSessionCookie(w http.ResponseWriter, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{Name: a.cookieName(sessionCookie), Value: token, Path: "/", HttpOnly: true,
		Secure: a.SecureCookies, SameSite: http.SameSiteStrictMode, Expires: expires})
}

func (a *api) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: a.cookieName(sessionCookie), Value: "", Path: "/", HttpOnly: true,
		Secure: a.SecureCookies, SameSite: http.SameSiteStrictMode, MaxAge: -1})
}
