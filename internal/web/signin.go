// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"vigie/internal/auth"
	"vigie/internal/domain"
)

// The sign-in rules are auth.Gate's, shared with the API; these handlers
// only carry them over HTML forms.

// formError is the message of a refused form, and its status.
type formError struct {
	ID      string
	Seconds int
}

// gateFailure turns a gate error into a form message: a throttled attempt
// says how long to wait (429 with Retry-After), anything the user typed
// wrong gets the message of that step. Other errors are the server's.
func gateFailure(w http.ResponseWriter, err error, wrong string) (*formError, int, bool) {
	var t *auth.Throttled
	if errors.As(err, &t) {
		secs := int(t.After / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		return &formError{ID: "signin.error.too_many", Seconds: secs}, http.StatusTooManyRequests, true
	}
	switch domain.KindOf(err) {
	case domain.KindUnauthorized, domain.KindInvalid:
		return &formError{ID: wrong}, http.StatusUnprocessableEntity, true
	}
	return nil, 0, false
}

type signInForm struct {
	Email string
	Error *formError
}

func (s *site) signInPage(w http.ResponseWriter, r *http.Request) {
	if v := s.visit(r); v != nil {
		redirect(w, stepPath(auth.SessionState(v.user, !v.pending)))
		return
	}
	s.render(w, r, http.StatusOK, "signin", "signin.title", signInForm{})
}

// signIn has no CSRF token (there is no session yet to derive it from):
// the server's cross-origin protection refuses forms posted from other
// sites, and the session cookie is SameSite=Strict.
func (s *site) signIn(w http.ResponseWriter, r *http.Request) {
	email := r.PostFormValue("email")
	st, err := s.Gate.SignIn(r.Context(), email, r.PostFormValue("password"), s.client(r))
	if err != nil {
		fe, status, ok := gateFailure(w, err, "signin.error.credentials")
		if !ok {
			s.fail(w, r, err)
			return
		}
		// The e-mail is kept so the user retypes only the password; the
		// password is never written back into the page.
		s.render(w, r, status, "signin", "signin.title", signInForm{Email: email, Error: fe})
		return
	}
	s.started(w, st)
	redirect(w, stepPath(st.State))
}

type codeForm struct {
	Error *formError
}

func (s *site) codePage(w http.ResponseWriter, r *http.Request) {
	v := visitorFrom(r)
	if state := auth.SessionState(v.user, !v.pending); state != "required" {
		redirect(w, stepPath(state))
		return
	}
	s.render(w, r, http.StatusOK, "code", "signin.second_factor", codeForm{})
}

// code checks a TOTP code or, when that field is used, a recovery code.
func (s *site) code(w http.ResponseWriter, r *http.Request) {
	v := visitorFrom(r)
	if state := auth.SessionState(v.user, !v.pending); state != "required" {
		redirect(w, stepPath(state))
		return
	}
	st, err := s.Gate.SecondFactor(r.Context(), v.session, v.user, r.PostFormValue("code"), r.PostFormValue("recovery_code"), s.client(r))
	if err != nil {
		fe, status, ok := gateFailure(w, err, "signin.error.code")
		if !ok {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, status, "code", "signin.second_factor", codeForm{Error: fe})
		return
	}
	s.started(w, st)
	redirect(w, "/")
}

func (s *site) signOut(w http.ResponseWriter, r *http.Request) {
	if err := s.Gate.SignOut(r.Context(), visitorFrom(r).session); err != nil {
		s.fail(w, r, err)
		return
	}
	s.clearSession(w)
	redirect(w, "/sign-in")
}
