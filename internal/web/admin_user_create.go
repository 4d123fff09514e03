// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"crypto/rand"
	"net/http"
	"strings"

	"vigie/internal/auth"
	"vigie/internal/domain"
)

type createdData struct {
	User     *domain.User
	Password string // generated: shown on this page only, never stored
}

// createUser is POST /admin/users: the API's checks (User.Validate, the
// password policy with the user's own data) and the store's audited
// CreateUser. A generated password is shown once, on the answer itself:
// it is kept nowhere, so there is nothing to redirect to.
func (s *site) createUser(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResUser, domain.ActCreate) {
		return
	}
	f := parseUserForm(r)
	u := &domain.User{Email: f.Email, Name: f.Name, Agency: f.Agency, Roles: f.Roles}
	pw, generated := r.PostFormValue("password"), f.Password != "typed"
	if generated {
		pw = newPassword(u)
	}
	err := u.Validate()
	if err == nil {
		err = domain.CheckRoleChange(visitorFrom(r).p.UserID, nil, u)
	}
	if err == nil && !generated {
		err = auth.CheckPassword(pw, u.Email, u.Name)
	}
	var h string
	if err == nil {
		if h, err = auth.HashPassword(pw, auth.DefaultParams); err != nil {
			err = domain.Wrap(domain.KindInternal, err, "hashing the password")
		}
	}
	if err == nil {
		err = s.Users.CreateUser(r.Context(), u, h)
	}
	switch {
	case err == nil && generated:
		s.render(w, r, http.StatusOK, "admin_user_created", "admin.user.created_title", createdData{User: u, Password: pw})
	case err == nil:
		redirect(w, "/admin/users/"+u.ID+"?done=created")
	case domain.KindOf(err) == domain.KindConflict:
		s.renderUser(w, r, http.StatusBadRequest, userData{Form: f, Errors: map[string]string{"email": "admin.user.email_used"}})
	case fieldMessages(err) != nil:
		// The password typed is never written back into the page.
		s.renderUser(w, r, http.StatusBadRequest, userData{Form: f, Errors: fieldMessages(err)})
	default:
		s.fail(w, r, err)
	}
}

// passwordAlphabet leaves out letters and digits that are easily
// confused when read aloud or copied from a screen (0/o, 1/l/i).
const passwordAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// newPassword draws four groups of five characters (about 99 bits), which
// the user replaces on the account page; it is drawn again in the
// unlikely case that the policy refuses it.
func newPassword(u *domain.User) string {
	for {
		var b strings.Builder
		for i := range 4 {
			if i > 0 {
				b.WriteByte('-')
			}
			for range 5 {
				b.WriteByte(passwordAlphabet[randIndex(len(passwordAlphabet))])
			}
		}
		if auth.CheckPassword(b.String(), u.Email, u.Name) == nil {
			return b.String()
		}
	}
}

// randIndex draws uniformly in [0, n) for n < 256, rejecting the bytes
// that would bias the draw.
func randIndex(n int) int {
	var b [1]byte
	for {
		if _, err := rand.Read(b[:]); err != nil {
			panic(err) // crypto/rand never fails on supported systems
		}
		if int(b[0]) < 256-256%n {
			return int(b[0]) % n
		}
	}
}

// resetSecondFactor is POST /admin/users/{id}/second-factor: what
// `vigie user reset-2fa` does (domain.ResetSecondFactor).
func (s *site) resetSecondFactor(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResUser, domain.ActUpdate) {
		return
	}
	ctx := r.Context()
	u, err := s.Users.User(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := domain.ResetSecondFactor(ctx, s.Users, s.Audit, u); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, "/admin/users/"+u.ID+"?done=second_factor")
}
