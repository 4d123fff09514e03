// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// auditPage is how many entries a page of a trail shows.
const auditPage = 50

// grantWindow is how far back the agency's trail lists break-the-glass
// grants on its cases.
const grantWindow = 90 * 24 * time.Hour

type auditData struct {
	Number  string // the case, on a case's trail
	Rows    []auditRow
	Grants  []grantRow
	Next    string // the next (older) page's URL
	Q       url.Values
	Actions []string
	Error   string // a message ID
	// First links back to the newest entries on a later page.
	First string
	// CaseLink: the visitor may open the case itself (an admin may read
	// its trail, not the case: the link would answer 404).
	CaseLink bool
}

// caseAuditPage is GET /cases/{ref}/audit: who did what to a case and
// which field groups they were shown. The API's rule: supervisors of the
// owning agency (audit scope "agency") and admins (scope "all"); for
// anyone else the case is missing, exactly like a case that does not
// exist, and the refusal is in the owning agency's trail.
func (s *site) caseAuditPage(w http.ResponseWriter, r *http.Request) {
	p := visitorFrom(r).p
	ref := r.PathValue("ref")
	acc, number, err := s.Access.CaseAccess(r.Context(), ref, p.UserID)
	switch {
	case domain.KindOf(err) == domain.KindNotFound:
		s.checker().Denied(r.Context(), ref, domain.ResAudit, domain.ActRead, "not_found", "")
		s.errorPage(w, r, http.StatusNotFound)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	case !canAuditCase(p, acc):
		s.checker().Denied(r.Context(), ref, domain.ResAudit, domain.ActRead, "out_of_scope", acc.AgencyID)
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	d := auditData{Number: number, Q: r.URL.Query(), CaseLink: p.Can(domain.ResCase, domain.ActRead, acc)}
	f := domain.AuditFilter{CaseID: acc.CaseID, Limit: auditPage}
	if f.Before, err = cursor(d.Q); err != nil {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	// The grants' reasons are for the owning agency's people who may read
	// the case: a reason may say more about it than an admin should see.
	if acc.AgencyID == p.AgencyID && p.Can(domain.ResCase, domain.ActRead, acc) {
		if d.Grants, err = s.grants(r, acc.AgencyID, acc.CaseID, time.Time{}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.renderTrail(w, r, "/cases/"+number+"/audit", f, d)
}

// canAuditCase is the permission table's audit scope applied to a case:
// "agency" reaches the cases the visitor's agency owns (not those referred
// to it, nor opened by breaking the glass), "all" every case.
func canAuditCase(p *domain.Principal, acc domain.CaseAccess) bool {
	switch p.Allowed(domain.ResAudit, domain.ActRead) {
	case domain.ScopeAll:
		return true
	case domain.ScopeAgency:
		return acc.AgencyID == p.AgencyID
	}
	return false
}

// agencyAuditPage is GET /audit: the trail of the records the visitor's
// agency owns (every entry for admins), filtered by user, action and
// dates, newest first, page by page.
func (s *site) agencyAuditPage(w http.ResponseWriter, r *http.Request) {
	p := visitorFrom(r).p
	scope := p.Allowed(domain.ResAudit, domain.ActList)
	if scope == domain.ScopeNone {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	d := auditData{Q: r.URL.Query(), Actions: auditActions}
	f, problem := s.auditFilter(r, d.Q)
	if scope == domain.ScopeAgency {
		f.AgencyID = p.AgencyID
	}
	if problem != "" {
		d.Error = problem
		s.render(w, r, http.StatusBadRequest, "admin_audit", "audit.title", d)
		return
	}
	if scope == domain.ScopeAgency && d.Q.Get("before") == "" {
		var err error
		if d.Grants, err = s.grants(r, p.AgencyID, "", s.Now().Add(-grantWindow)); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.renderTrail(w, r, "/audit", f, d)
}

// auditActions are the actions the filter offers (domain.Audit…).
var auditActions = []string{domain.AuditRead, domain.AuditCreate, domain.AuditUpdate, domain.AuditDelete,
	domain.AuditExport, domain.AuditImport, domain.AuditSearch, domain.AuditDenied, domain.AuditBreakGlass,
	domain.AuditPermission, domain.AuditSignIn, domain.AuditSignInFailed, domain.AuditSignOut,
	domain.AuditTokenCreate, domain.AuditTokenRevoke, domain.AuditKeysRotate}

// auditFilter reads the filter form; the problem is a message ID. A user
// filter names an account by e-mail: an unknown one filters on an ID
// that matches nothing, so the page says the same for an account that
// does not exist and for one with no entry here.
func (s *site) auditFilter(r *http.Request, q url.Values) (domain.AuditFilter, string) {
	f := domain.AuditFilter{Limit: auditPage, Action: q.Get("action")}
	var err error
	if f.Before, err = cursor(q); err != nil {
		return f, "admin.audit.bad_cursor"
	}
	if f.Action != "" && !slices.Contains(auditActions, f.Action) {
		return f, "validation.enum"
	}
	if email := q.Get("user"); email != "" {
		f.ActorID = "-"
		if u, err := s.Users.User(r.Context(), domain.NormalizeEmail(email)); err == nil {
			f.ActorID = u.ID
		} else if domain.KindOf(err) != domain.KindNotFound && domain.KindOf(err) != domain.KindInvalid {
			return f, "error.internal"
		}
	}
	from, okFrom := day(q.Get("from"))
	to, okTo := day(q.Get("to"))
	if !okFrom || !okTo {
		return f, "validation.date"
	}
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1) // the form's "to" day is included
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return f, "validation.range"
	}
	f.From, f.To = from, to
	return f, ""
}

// day parses a form date (YYYY-MM-DD, what <input type="date"> sends); ""
// is no bound.
func day(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.Parse("2006-01-02", s)
	return t, err == nil
}

// cursor is the "before" entry number of a later page.
func cursor(q url.Values) (int64, error) {
	s := q.Get("before")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return 0, strconv.ErrSyntax
	}
	return n, nil
}

// renderTrail reads a page of entries and renders it, with the link to
// the next page carrying the same filter.
func (s *site) renderTrail(w http.ResponseWriter, r *http.Request, path string, f domain.AuditFilter, d auditData) {
	list, err := s.Audit.AuditEntries(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := i18n.For(langOf(r))
	for _, e := range list {
		d.Rows = append(d.Rows, newAuditRow(l, e))
	}
	if n := len(list); n == f.Limit && list[n-1].Seq > 1 {
		next := url.Values{}
		for k, vs := range d.Q {
			if k != "before" && len(vs) > 0 && vs[0] != "" {
				next.Set(k, vs[0])
			}
		}
		next.Set("before", strconv.FormatInt(list[n-1].Seq, 10))
		d.Next = path + "?" + next.Encode()
	}
	if f.Before > 0 {
		first := url.Values{}
		for k, vs := range d.Q {
			if k != "before" && len(vs) > 0 && vs[0] != "" {
				first.Set(k, vs[0])
			}
		}
		d.First = path
		if len(first) > 0 {
			d.First += "?" + first.Encode()
		}
	}
	title := "audit.title"
	if d.Number != "" {
		title = "admin.audit.case_title"
	}
	s.render(w, r, http.StatusOK, "admin_audit", title, d)
}
