// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"vigie/internal/domain"
)

type accountData struct {
	Email, Name, Agency string
	Roles               []domain.Role
	Error               *formError
	Field               string // the message ID of a refused field
	Changed             bool
}

func (s *site) account(r *http.Request) accountData {
	v := visitorFrom(r)
	return accountData{Email: v.user.Email, Name: v.user.Name, Agency: v.p.Agency, Roles: v.user.Roles}
}

// accountPage is GET /account: the user's own roles and agency, the
// password form and "sign out everywhere".
func (s *site) accountPage(w http.ResponseWriter, r *http.Request) {
	d := s.account(r)
	d.Changed = r.URL.Query().Get("changed") == "1"
	s.render(w, r, http.StatusOK, "admin_account", "nav.account", d)
}

// changePassword is POST /account/password, through the gate's
// ChangePassword: the current password is checked and throttled like a
// sign-in (a stolen session must not become a password oracle), the new
// one meets the policy, every session ends and this browser gets a new
// one.
func (s *site) changePassword(w http.ResponseWriter, r *http.Request) {
	v := visitorFrom(r)
	next := r.PostFormValue("new_password")
	if next != r.PostFormValue("confirm_password") {
		d := s.account(r)
		d.Field = "password.mismatch"
		s.render(w, r, http.StatusUnprocessableEntity, "admin_account", "nav.account", d)
		return
	}
	st, err := s.Gate.ChangePassword(r.Context(), v.session, v.user, r.PostFormValue("current_password"), next, s.client(r))
	if err != nil {
		d := s.account(r)
		if fe := domain.FieldErrors(err); fe != nil {
			d.Field = fe[0].Code
			s.render(w, r, http.StatusUnprocessableEntity, "admin_account", "nav.account", d)
			return
		}
		fe, status, ok := gateFailure(w, err, "password.mismatch")
		if !ok {
			s.fail(w, r, err)
			return
		}
		d.Error = fe
		s.render(w, r, status, "admin_account", "nav.account", d)
		return
	}
	s.started(w, st)
	redirect(w, "/account?changed=1")
}

// signOutEverywhere is POST /account/sign-out-everywhere: every session
// of the user ends, this one included (a lost phone, a shared computer).
func (s *site) signOutEverywhere(w http.ResponseWriter, r *http.Request) {
	if _, err := s.Gate.SignOutEverywhere(r.Context(), visitorFrom(r).user); err != nil {
		s.fail(w, r, err)
		return
	}
	s.clearSession(w)
	redirect(w, "/sign-in")
}
