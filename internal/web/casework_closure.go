// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

func closureForm(number string) *actionForm {
	return &actionForm{Number: number, Title: "casework.closure.title", Intro: "casework.closure.intro",
		Action: "/cases/" + number + "/closure", Submit: "casework.closure.submit", Fields: []formField{
			{Name: "reason", Label: "field.cas_ReasonForCaseClosure", Kind: "textarea", Required: true, Max: domain.MaxLongText}}}
}

// reachCaseFor checks that the visitor may do act on the case's own
// fields.
func (s *site) reachCaseFor(r *http.Request, act domain.Action) (domain.CaseAccess, string, error) {
	return s.checker().Case(r.Context(), visitorFrom(r).p, r.PathValue("ref"), domain.ResCase, act)
}

// closurePage is GET /cases/{ref}/closure: any role of the owning agency
// that may change the case may ask for its closure; only a supervisor
// decides.
func (s *site) closurePage(w http.ResponseWriter, r *http.Request) {
	if _, number, err := s.reachClosureRequest(r); err != nil {
		s.fail(w, r, err)
	} else {
		s.showForm(w, r, http.StatusOK, closureForm(number))
	}
}

// reachClosureRequest checks that the visitor may ask for the case's
// closure: ActUpdate, in the owning agency — an agency the case is
// referred to works on it, and could ask the owner's supervisors to close
// it (the request went to their home page as the owner's).
func (s *site) reachClosureRequest(r *http.Request) (domain.CaseAccess, string, error) {
	acc, number, err := s.reachCaseFor(r, domain.ActUpdate)
	if err == nil && acc.AgencyID != visitorFrom(r).p.AgencyID {
		s.checker().Denied(r.Context(), number, domain.ResCase, domain.ActClose, "not_owner", acc.AgencyID)
		err = domain.Errorf(domain.KindForbidden, "only the owning agency asks for a case's closure")
	}
	return acc, number, err
}

// requestClosure is POST /cases/{ref}/closure.
func (s *site) requestClosure(w http.ResponseWriter, r *http.Request) {
	acc, number, err := s.reachClosureRequest(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.work()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := closureForm(number)
	f.fill(r)
	_, err = st.RequestClosure(r.Context(), acc.CaseID, f.value("reason"))
	if domain.KindOf(err) == domain.KindConflict {
		f.Problem = "casework.closure.already"
		s.showForm(w, r, http.StatusConflict, f)
		return
	}
	s.answer(w, r, f, err, nil)
}

// reachDecision checks that the visitor may close the case: ActClose in
// the permission table (supervisors), and the owning agency's, since a
// closure ends the owner's case (a supervisor of an agency the case is
// referred to reaches it, yet does not decide for the owner).
func (s *site) reachDecision(r *http.Request) (domain.CaseAccess, string, error) {
	acc, number, err := s.reachCaseFor(r, domain.ActClose)
	if err == nil && acc.AgencyID != visitorFrom(r).p.AgencyID {
		s.checker().Denied(r.Context(), number, domain.ResCase, domain.ActClose, "not_owner", acc.AgencyID)
		err = domain.Errorf(domain.KindForbidden, "only the owning agency's supervisors close a case")
	}
	return acc, number, err
}

// pendingRequest finds the pending closure request id of a case.
func (s *site) pendingRequest(r *http.Request, caseID string) (*domain.ClosureRequest, error) {
	st, err := s.work()
	if err != nil {
		return nil, err
	}
	list, err := st.ClosureRequests(r.Context(), caseID)
	if err != nil {
		return nil, err
	}
	for _, c := range list {
		if c.ID == r.PathValue("id") && c.Status == domain.ClosurePending {
			return c, nil
		}
	}
	return nil, domain.Errorf(domain.KindNotFound, "no pending closure request %s", r.PathValue("id"))
}

func decisionForm(r *http.Request, number string, req *domain.ClosureRequest) *actionForm {
	l := i18n.For(langOf(r))
	return &actionForm{Number: number, Title: "casework.decision.title", Intro: "casework.decision.intro",
		Action: "/cases/" + number + "/closure/" + req.ID, Submit: "casework.decision.submit",
		Facts: []line{{l.T("field.cas_ReasonForCaseClosure"), req.Reason},
			{l.T("casework.closure.requested_by"), req.RequestedBy + " · " + l.Date(req.RequestedAt.UTC())}},
		Fields: []formField{
			{Name: "decision", Label: "casework.decision.label", Kind: "select", Required: true, Options: []option{
				{domain.ClosureApproved, l.T("casework.decision.approve")}, {domain.ClosureRejected, l.T("casework.decision.reject")}}},
			{Name: "note", Label: "casework.decision.note", Kind: "textarea", Max: domain.MaxLongText}}}
}

// decisionPage is GET /cases/{ref}/closure/{id}: the request's reason
// (personal data: the read is audited) and the decision form.
func (s *site) decisionPage(w http.ResponseWriter, r *http.Request) {
	acc, number, err := s.reachDecision(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.decidedBefore(w, r, acc.CaseID, number) {
		return
	}
	req, err := s.pendingRequest(r, acc.CaseID)
	if err == nil {
		err = s.auditCaseRead(r, acc, number, []domain.Resource{domain.ResCase})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showForm(w, r, http.StatusOK, decisionForm(r, number, req))
}

// decide is POST /cases/{ref}/closure/{id}: approve (the case closes with
// the request's reason) or reject.
func (s *site) decide(w http.ResponseWriter, r *http.Request) {
	acc, number, err := s.reachDecision(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.decidedBefore(w, r, acc.CaseID, number) {
		return
	}
	req, err := s.pendingRequest(r, acc.CaseID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.work()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := decisionForm(r, number, req)
	// The reason is shown (and its reading audited) by the GET page only;
	// a form sent back with an error does not repeat it.
	f.Facts = nil
	f.fill(r)
	d := f.value("decision")
	if d != domain.ClosureApproved && d != domain.ClosureRejected {
		f.Fields[0].Error = "validation.enum"
		s.showForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	s.answer(w, r, f, st.DecideClosure(r.Context(), acc.CaseID, req.ID, d == domain.ClosureApproved, f.value("note")), nil)
}

// reopenForm: reopening is a change of the case's status, which the
// permission table gives to every role that may update the case
// (caseworkers included): it resumes assistance and removes nothing, so
// a victim who comes back is not kept waiting for a supervisor. It stays
// within the owning agency, like the closure it undoes, and is audited.
func reopenForm(number string) *actionForm {
	return &actionForm{Number: number, Title: "casework.reopen.title", Intro: "casework.reopen.intro",
		Action: "/cases/" + number + "/reopen", Submit: "casework.reopen.submit"}
}

func (s *site) reachReopen(r *http.Request) (*domain.Case, string, error) {
	acc, number, err := s.reachCaseFor(r, domain.ActUpdate)
	if err == nil && acc.AgencyID != visitorFrom(r).p.AgencyID {
		s.checker().Denied(r.Context(), number, domain.ResCase, domain.ActUpdate, "not_owner", acc.AgencyID)
		err = domain.Errorf(domain.KindForbidden, "only the owning agency reopens a case")
	}
	if err != nil {
		return nil, "", err
	}
	c, err := s.Cases.Case(r.Context(), acc.CaseID)
	return c, number, err
}

// reopenPage is GET /cases/{ref}/reopen.
func (s *site) reopenPage(w http.ResponseWriter, r *http.Request) {
	c, number, err := s.reachReopen(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := reopenForm(number)
	if !domain.IsClosedStatus(c.Status) {
		f.Problem, f.Blocked = "casework.reopen.not_closed", true
	}
	s.showForm(w, r, http.StatusOK, f)
}

// reopen is POST /cases/{ref}/reopen: the case becomes Active again; the
// closure reason is cleared from the case (the approved request keeps it).
func (s *site) reopen(w http.ResponseWriter, r *http.Request) {
	c, number, err := s.reachReopen(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := reopenForm(number)
	if !domain.IsClosedStatus(c.Status) {
		f.Problem, f.Blocked = "casework.reopen.not_closed", true
		s.showForm(w, r, http.StatusConflict, f)
		return
	}
	c.Status, c.ReasonForCaseClosure = "Active", ""
	s.answer(w, r, f, s.Cases.UpdateCase(r.Context(), c), nil)
}
