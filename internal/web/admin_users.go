// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"vigie/internal/domain"
)

// The users' pages carry the API's and the CLI's rules over forms: the
// store validates and audits each change in its own transaction (and
// signs the user out everywhere when their rights change); the self-
// lockout rule and the password policy are the same calls.

type usersData struct {
	Users  []*domain.User
	Agency string // the agency listed, "" for all
}

// usersPage is GET /admin/users, optionally ?agency=CODE.
func (s *site) usersPage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResUser, domain.ActList) {
		return
	}
	d := usersData{Agency: r.URL.Query().Get("agency")}
	if !domain.ValidAgencyCode(d.Agency) {
		d.Agency = ""
	}
	list, err := s.Users.Users(r.Context(), d.Agency)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Users = list
	s.render(w, r, http.StatusOK, "admin_users", "users.title", d)
}

// userForm is the user's fields as typed, given back when refused.
type userForm struct {
	ID, Email, Name, Agency string
	Roles                   []domain.Role
	Disabled, TOTP          bool
	Version                 int64
	// Password is "typed" or "generate" on the creation form.
	Password string
}

func (f userForm) Has(r domain.Role) bool { return slices.Contains(f.Roles, r) }

type userData struct {
	Form     userForm
	Agencies []*domain.Agency
	Roles    []domain.Role
	Errors   map[string]string // field → message ID
	Done     string            // message ID of what was just done
	Self     bool              // the admin's own account
}

// parseUserForm reads the fields of the creation and edit forms.
func parseUserForm(r *http.Request) userForm {
	f := userForm{Email: strings.TrimSpace(r.PostFormValue("email")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Agency: strings.ToUpper(strings.TrimSpace(r.PostFormValue("agency"))), Password: r.PostFormValue("password_mode")}
	for _, v := range r.PostForm["roles"] {
		f.Roles = append(f.Roles, domain.Role(v))
	}
	return f
}

func formOf(u *domain.User) userForm {
	return userForm{ID: u.ID, Email: u.Email, Name: u.Name, Agency: u.Agency, Roles: u.Roles,
		Disabled: u.Disabled, TOTP: u.TOTPEnabled, Version: u.Version}
}

// renderUser renders the creation form (no ID) or a user's page.
func (s *site) renderUser(w http.ResponseWriter, r *http.Request, status int, d userData) {
	list, err := s.Agencies.Agencies(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Agencies, d.Roles = list, domain.Roles
	if d.Form.ID == "" {
		s.render(w, r, status, "admin_user", "users.new", d)
		return
	}
	d.Self = d.Form.ID == visitorFrom(r).p.UserID
	s.render(w, r, status, "admin_user", "admin.user.title", d)
}

func (s *site) newUserPage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResUser, domain.ActCreate) {
		return
	}
	s.renderUser(w, r, http.StatusOK, userData{Form: userForm{Agency: r.URL.Query().Get("agency"), Password: "generate"}})
}

// userDone are the messages a user's page may show after a change; the
// query names one of them, never free text.
var userDone = map[string]string{
	"created": "admin.user.done.created", "saved": "admin.user.done.saved", "disabled": "admin.user.done.disabled",
	"enabled": "admin.user.done.enabled", "second_factor": "admin.user.done.second_factor",
}

// userPage is GET /admin/users/{id}.
func (s *site) userPage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResUser, domain.ActRead) {
		return
	}
	u, err := s.Users.User(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderUser(w, r, http.StatusOK, userData{Form: formOf(u), Done: userDone[r.URL.Query().Get("done")]})
}

// updateUser is POST /admin/users/{id}: name, agency and roles, if the
// version is still the stored one.
func (s *site) updateUser(w http.ResponseWriter, r *http.Request) {
	s.changeUser(w, r, "saved", func(u *domain.User, f userForm) {
		u.Name, u.Agency, u.Roles = f.Name, f.Agency, f.Roles
	})
}

// setUserState is POST /admin/users/{id}/state: disable or enable.
func (s *site) setUserState(w http.ResponseWriter, r *http.Request) {
	disable := r.PostFormValue("disabled") == "1"
	done := "enabled"
	if disable {
		done = "disabled"
	}
	s.changeUser(w, r, done, func(u *domain.User, _ userForm) { u.Disabled = disable })
}

// changeUser applies change to the stored user at the version the form
// was made from; a stale form gets the conflict message and the current
// values, a refused one its field messages.
func (s *site) changeUser(w http.ResponseWriter, r *http.Request, done string, change func(*domain.User, userForm)) {
	if !s.allowed(w, r, domain.ResUser, domain.ActUpdate) {
		return
	}
	cur, err := s.Users.User(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := parseUserForm(r)
	u := *cur
	u.Roles = slices.Clone(cur.Roles)
	change(&u, f)
	u.Version = formVersion(r)
	err = domain.CheckRoleChange(visitorFrom(r).p.UserID, cur, &u)
	if err == nil {
		err = s.Users.UpdateUser(r.Context(), &u)
	}
	switch {
	case err == nil:
		redirect(w, "/admin/users/"+u.ID+"?done="+done)
	case domain.KindOf(err) == domain.KindConflict:
		s.renderUser(w, r, http.StatusConflict, userData{Form: formOf(cur), Errors: map[string]string{"": "error.conflict"}})
	case fieldMessages(err) != nil:
		bad := formOf(&u)
		bad.Version, bad.Disabled = cur.Version, cur.Disabled
		s.renderUser(w, r, http.StatusBadRequest, userData{Form: bad, Errors: fieldMessages(err)})
	default:
		s.fail(w, r, err)
	}
}

// formVersion is the version the form was made from (0, which no stored
// user has, when missing or garbled: the store then answers conflict).
func formVersion(r *http.Request) int64 {
	v, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil || v < 1 {
		return 0
	}
	return v
}
