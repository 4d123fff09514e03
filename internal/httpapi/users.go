// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"vigie/internal/auth"
	"vigie/internal/domain"
)

type newUser struct {
	Email    string        `json:"email"`
	Name     string        `json:"name"`
	Agency   string        `json:"agency"`
	Roles    []domain.Role `json:"roles"`
	Password string        `json:"password"`
}

func (a *api) listUsers(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResUser, domain.ActList); err != nil {
		return err
	}
	if err := readQuery(r.URL.Query(), []string{"agency"}).p.Err(); err != nil {
		return err
	}
	list, err := a.Users.Users(r.Context(), r.URL.Query().Get("agency"))
	if err != nil {
		return err
	}
	if list == nil {
		list = []*domain.User{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
	return nil
}

func (a *api) createUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResUser, domain.ActCreate); err != nil {
		return err
	}
	var req newUser
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	u := &domain.User{Email: req.Email, Name: req.Name, Agency: req.Agency, Roles: req.Roles}
	if err := u.Validate(); err != nil {
		return err
	}
	if err := domain.CheckRoleChange(principal(r).UserID, nil, u); err != nil {
		return err
	}
	if err := auth.CheckPassword(req.Password, u.Email, u.Name); err != nil {
		return err
	}
	h, err := auth.HashPassword(req.Password, auth.DefaultParams)
	if err != nil {
		return domain.Wrap(domain.KindInternal, err, "hashing the password")
	}
	if err := a.Users.CreateUser(r.Context(), u, h); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/users/"+u.ID)
	writeJSON(w, http.StatusCreated, u)
	return nil
}

func (a *api) getUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResUser, domain.ActRead); err != nil {
		return err
	}
	u, err := a.Users.User(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

// updateUser changes roles, agency, name or the disabled flag. The store
// signs the user out everywhere, so a removed right is gone at once.
func (a *api) updateUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResUser, domain.ActUpdate); err != nil {
		return err
	}
	var u domain.User
	if err := decodeJSON(w, r, &u); err != nil {
		return err
	}
	cur, err := a.Users.User(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	v, err := expectedVersion(r, u.Version)
	if err != nil {
		return err
	}
	if u.Email != "" && domain.NormalizeEmail(u.Email) != cur.Email {
		return fieldError("email", "validation.immutable", "cannot be changed; create a new account")
	}
	u.ID, u.Email, u.Version, u.TOTPEnabled = cur.ID, cur.Email, v, cur.TOTPEnabled
	if err := domain.CheckRoleChange(principal(r).UserID, cur, &u); err != nil {
		return err
	}
	if err := a.Users.UpdateUser(r.Context(), &u); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, &u)
	return nil
}

type newToken struct {
	Name     string `json:"name"`
	ReadOnly bool   `json:"read_only"`
	Days     int    `json:"expires_in_days"`
}

// createToken issues an API token for the signed-in user. Tokens cannot
// mint tokens: a leaked token must not be able to outlive its expiry.
func (a *api) createToken(w http.ResponseWriter, r *http.Request) error {
	c := callerFrom(r.Context())
	if c.session == nil {
		return domain.Errorf(domain.KindForbidden, "create API tokens from a signed-in session (or with: vigie token create EMAIL)")
	}
	var req newToken
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Days == 0 {
		req.Days = int(domain.DefaultTokenLifetime / (24 * time.Hour))
	}
	if req.Days < 1 || req.Days > 366 {
		return fieldError("expires_in_days", "validation.range", "must be between 1 and 366")
	}
	if req.Name == "" || len(req.Name) > 100 {
		return fieldError("name", "validation.required", "give the token a name of at most 100 characters (what it is for)")
	}
	t := &domain.APIToken{UserID: c.user.ID, Name: req.Name, ReadOnly: req.ReadOnly, ExpiresAt: a.Now().Add(time.Duration(req.Days) * 24 * time.Hour)}
	tok, hash, err := auth.NewToken("vgt_")
	if err != nil {
		return domain.Wrap(domain.KindInternal, err, "drawing a token")
	}
	if err := a.Users.CreateToken(r.Context(), t, hash); err != nil {
		return err
	}
	e := domain.NewAuditEntry(r.Context(), domain.AuditTokenCreate)
	e.Resource, e.RecordID, e.Detail = "token", t.ID, map[string]any{"read_only": t.ReadOnly, "days": req.Days}
	if err := a.Audit.Audit(r.Context(), e); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": tok, "info": t})
	return nil
}

func (a *api) listTokens(w http.ResponseWriter, r *http.Request) error {
	list, err := a.Users.Tokens(r.Context(), principal(r).UserID)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*domain.APIToken{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
	return nil
}

func (a *api) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if err := a.Users.RevokeToken(r.Context(), principal(r).UserID, id); err != nil {
		return err
	}
	e := domain.NewAuditEntry(r.Context(), domain.AuditTokenRevoke)
	e.Resource, e.RecordID = "token", id
	_ = a.Audit.Audit(r.Context(), e)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type breakGlassRequest struct {
	Reason string `json:"reason"`
	Hours  *int   `json:"hours"` // absent: the default; 0 is out of range
}

// Validate checks the reason and the hours together, so that one answer
// names both when both are wrong.
func (b *breakGlassRequest) Validate() error {
	var p domain.Problems
	switch n := len([]rune(strings.TrimSpace(b.Reason))); {
	case b.Reason == "": // absent; spaces alone are a reason too short
		p.Add("reason", "validation.required", "donnez la raison (10 à 500 caractères) / give the reason (10 to 500 characters)")
	case n < 10 || n > 500 || strings.ContainsFunc(b.Reason, func(r rune) bool { return unicode.IsControl(r) || domain.IsBidiControl(r) }):
		p.Add("reason", "validation.reason", "donnez la raison (10 à 500 caractères) / give the reason (10 to 500 characters)")
	}
	// "hours":0 was taken as the default 3 hours: a value out of the
	// range is refused, as 25 is.
	if b.Hours != nil && (*b.Hours < 1 || *b.Hours > 24) {
		p.Add("hours", "validation.range", "must be between 1 and 24")
	}
	return p.Err()
}

// breakGlass opens a case of another agency for a limited time. The
// grant and its reason are in the audit log, which the owning agency's
// supervisors read.
func (a *api) breakGlass(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if p.Allowed(domain.ResCase, domain.ActBreakGlass) == domain.ScopeNone {
		return domain.Errorf(domain.KindForbidden, "seul un superviseur peut briser la glace / only a supervisor may break the glass")
	}
	var req breakGlassRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := req.Validate(); err != nil {
		return err
	}
	hours := int(domain.BreakGlassDuration / time.Hour)
	if req.Hours != nil {
		hours = *req.Hours
	}
	ref := r.PathValue("ref")
	acc, number, err := a.Access.CaseAccess(r.Context(), ref, p.UserID)
	if err != nil {
		return missingCase(ref)
	}
	if p.Can(domain.ResCase, domain.ActRead, acc) {
		return domain.Errorf(domain.KindConflict, "vous avez déjà accès à ce dossier / you already reach this case")
	}
	g := &domain.BreakGlass{UserID: p.UserID, CaseID: acc.CaseID, Reason: req.Reason, ExpiresAt: a.Now().Add(time.Duration(hours) * time.Hour)}
	e := domain.NewAuditEntry(r.Context(), domain.AuditBreakGlass)
	e.Resource, e.RecordID, e.CaseID, e.CaseNumber, e.AgencyID = string(domain.ResCase), acc.CaseID, acc.CaseID, number, acc.AgencyID
	// The reason is the supervisor's own words about why, which the
	// owning agency must be able to read; it is kept in the grant, and
	// the entry holds its length only.
	e.Detail = map[string]any{"hours": hours, "reason_length": len([]rune(req.Reason))}
	if err := a.Access.BreakGlass(r.Context(), g, e); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, g)
	return nil
}

// auditTrail lists audit entries: of one case (supervisors of its agency),
// of an agency, or all (admins).
func (a *api) caseAudit(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	scope := p.Allowed(domain.ResAudit, domain.ActRead)
	ref := r.PathValue("ref")
	acc, _, err := a.Access.CaseAccess(r.Context(), ref, p.UserID)
	if err != nil || scope == domain.ScopeNone || (scope == domain.ScopeAgency && acc.AgencyID != p.AgencyID) {
		return missingCase(ref)
	}
	f, err := auditFilter(r)
	if err != nil {
		return err
	}
	f.CaseID = acc.CaseID
	return a.writeAudit(w, r, f)
}

func (a *api) listAudit(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	scope, err := requireScope(r, domain.ResAudit, domain.ActRead)
	if err != nil {
		return err
	}
	f, err := auditFilter(r)
	if err != nil {
		return err
	}
	if scope == domain.ScopeAgency {
		f.AgencyID = p.AgencyID
	}
	return a.writeAudit(w, r, f)
}

func auditFilter(r *http.Request) (domain.AuditFilter, error) {
	var f domain.AuditFilter
	q := r.URL.Query()
	if err := readQuery(q, []string{"before", "limit"}).p.Err(); err != nil {
		return f, err
	}
	for name, dst := range map[string]*int64{"before": &f.Before} {
		if s := q.Get(name); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 0 {
				return f, fieldError(name, "validation.integer", "must be a positive whole number")
			}
			*dst = n
		}
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return f, fieldError("limit", "validation.range", "must be between 1 and 1000")
		}
		f.Limit = n
	}
	return f, nil
}

func (a *api) writeAudit(w http.ResponseWriter, r *http.Request, f domain.AuditFilter) error {
	list, err := a.Audit.AuditEntries(r.Context(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*domain.AuditEntry{}
	}
	out := map[string]any{"items": list}
	if n := len(list); n > 0 && list[n-1].Seq > 1 {
		out["next_before"] = list[n-1].Seq
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
