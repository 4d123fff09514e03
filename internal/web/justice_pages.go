// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"vigie/internal/domain"
)

type proceedingsData struct {
	Items     []*domain.Proceeding
	Total     int
	Stage     string
	Stages    []string
	CanCreate bool
	Invalid   bool
}

// proceedingsPage is GET /justice: the agency's proceedings, newest
// first, by stage.
func (s *site) proceedingsPage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResJustice, domain.ActList) {
		return
	}
	st, err := s.justice()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := visitorFrom(r).p
	d := proceedingsData{Stage: r.URL.Query().Get("stage"), Stages: domain.Stages,
		CanCreate: p.Allowed(domain.ResJustice, domain.ActCreate) != domain.ScopeNone}
	f := domain.ProceedingFilter{Status: d.Stage, Limit: domain.MaxPageSize}
	if p.Allowed(domain.ResJustice, domain.ActList) == domain.ScopeAgency {
		f.Agency = p.Agency
	}
	status := http.StatusOK
	if f.Validate() != nil {
		d.Invalid, d.Stage, f.Status, status = true, "", "", http.StatusUnprocessableEntity
	}
	if d.Items, d.Total, err = st.Proceedings(r.Context(), f); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "justice_list", "justice.title", d)
}

// headerForm is the proceeding's header as typed.
type headerForm struct {
	Action  string
	Version int64
	Values  map[string]string
	Errors  map[string]string
	Sources []option
	// Conflict: someone saved a newer version meanwhile.
	Conflict bool
}

// headerFields are the header's form fields, named as the domain's
// fields so that an error lands on its field.
var headerFields = []string{"complaint.date", "complaint.source", "complaint.received_by", "investigation.unit", "investigation.opened",
	"investigation.closed", "prosecution.court", "prosecution.docket", "prosecution.filed", "closed_on", "situation_id", "notes"}

func headerValues(pr *domain.Proceeding) map[string]string {
	return map[string]string{"complaint.date": pr.Complaint.Date.String(), "complaint.source": pr.Complaint.Source,
		"complaint.received_by": pr.Complaint.ReceivedBy, "investigation.unit": pr.Investigation.Unit,
		"investigation.opened": pr.Investigation.Opened.String(), "investigation.closed": pr.Investigation.Closed.String(),
		"prosecution.court": pr.Prosecution.Court, "prosecution.docket": pr.Prosecution.Docket, "prosecution.filed": pr.Prosecution.Filed.String(),
		"closed_on": pr.ClosedOn.String(), "situation_id": pr.SituationID, "notes": pr.Notes}
}

// parseHeader reads the header form.
func parseHeader(v url.Values) (*domain.Proceeding, map[string]string, domain.Problems) {
	var p domain.Problems
	typed := map[string]string{}
	for _, f := range headerFields {
		typed[f] = strings.TrimSpace(v.Get(f))
	}
	day := func(f string) domain.Date { return parseDay(&p, f, typed[f]) }
	pr := &domain.Proceeding{SituationID: typed["situation_id"], Notes: typed["notes"],
		Complaint:     domain.Complaint{Date: day("complaint.date"), Source: typed["complaint.source"], ReceivedBy: typed["complaint.received_by"]},
		Investigation: domain.Investigation{Unit: typed["investigation.unit"], Opened: day("investigation.opened"), Closed: day("investigation.closed")},
		Prosecution:   domain.Prosecution{Court: typed["prosecution.court"], Docket: typed["prosecution.docket"], Filed: day("prosecution.filed")},
		ClosedOn:      day("closed_on")}
	if n, err := strconv.ParseInt(v.Get("version"), 10, 64); err == nil {
		pr.Version = n
	}
	return pr, typed, p
}

func (s *site) newProceedingPage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResJustice, domain.ActCreate) {
		return
	}
	s.render(w, r, http.StatusOK, "justice_new", "justice.new", &proceedingData{Header: &headerForm{Action: "/justice", Values: map[string]string{}, Sources: enumOptions(r, domain.ComplaintSource)}})
}

// createProceeding is POST /justice: a proceeding of the visitor's agency.
func (s *site) createProceeding(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResJustice, domain.ActCreate) {
		return
	}
	st, err := s.justice()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pr, typed, p := parseHeader(r.PostForm)
	pr.Agency = visitorFrom(r).p.Agency
	err = p.Err()
	if err == nil {
		err = s.checkProceedingSituation(r, pr.SituationID, pr.Agency)
	}
	if err == nil {
		err = st.CreateProceeding(r.Context(), pr)
	}
	if err == nil {
		redirect(w, "/justice/"+pr.Number+"?saved=1")
		return
	}
	if domain.KindOf(err) != domain.KindInvalid {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, "justice_new", "justice.new",
		&proceedingData{Header: &headerForm{Action: "/justice", Values: typed, Errors: fieldMessages(err), Sources: enumOptions(r, domain.ComplaintSource)}})
}

// reachProceeding loads the proceeding of the path for act, in full: a
// proceeding of another agency is "not found", like a missing one.
func (s *site) reachProceeding(r *http.Request, act domain.Action) (domain.JusticeAccess, domain.JusticeService, error) {
	p := visitorFrom(r).p
	if p.Allowed(domain.ResJustice, act) == domain.ScopeNone {
		return domain.JusticeAccess{}, nil, domain.Errorf(domain.KindForbidden, "your role may not %s proceedings", act)
	}
	st, err := s.justice()
	if err != nil {
		return domain.JusticeAccess{}, nil, err
	}
	acc, err := st.ProceedingAccess(r.Context(), r.PathValue("ref"))
	if err == nil && !p.CanProceeding(act, acc) {
		err = domain.Errorf(domain.KindNotFound, "proceeding does not exist")
	}
	return acc, st, err
}

// editProceeding is POST /justice/{ref}/edit: the header at the version
// shown.
func (s *site) editProceeding(w http.ResponseWriter, r *http.Request) {
	acc, st, err := s.reachProceeding(r, domain.ActUpdate)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pr, typed, p := parseHeader(r.PostForm)
	pr.ID, pr.Agency = acc.ProceedingID, visitorFrom(r).p.Agency
	err = p.Err()
	if err == nil {
		err = s.checkProceedingSituation(r, pr.SituationID, pr.Agency)
	}
	if err == nil {
		err = st.UpdateProceeding(r.Context(), pr)
	}
	if err == nil {
		redirect(w, "/justice/"+acc.Number+"?saved=1")
		return
	}
	s.proceedingAgain(w, r, acc, err, func(d *proceedingData) {
		d.Header.Values, d.Header.Version = typed, pr.Version
		d.Header.Errors, d.Header.Conflict = fieldMessages(err), domain.KindOf(err) == domain.KindConflict
	})
}

// deleteProceeding is POST /justice/{ref}/delete at the version shown.
func (s *site) deleteProceeding(w http.ResponseWriter, r *http.Request) {
	acc, st, err := s.reachProceeding(r, domain.ActDelete)
	if err == nil {
		v, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
		err = st.DeleteProceeding(r.Context(), acc.ProceedingID, v)
	}
	if err != nil {
		s.justiceFailChange(w, r, err)
		return
	}
	redirect(w, "/justice?saved=1")
}

// checkProceedingSituation: a proceeding names a situation of its own
// agency, or one of whose victims' cases the visitor reaches (as the
// API); one out of reach answers like a missing one.
func (s *site) checkProceedingSituation(r *http.Request, id, agency string) error {
	if id == "" {
		return nil
	}
	bad := &domain.Error{Kind: domain.KindInvalid, Message: "invalid data", Fields: []domain.FieldError{{Field: "situation_id", Code: "validation.unknown_situation"}}}
	st, err := s.situations()
	if err != nil {
		return err
	}
	sit, err := st.Situation(r.Context(), id)
	if domain.KindOf(err) == domain.KindNotFound {
		return bad
	}
	if err != nil {
		return err
	}
	if sit.Agency == agency {
		return nil
	}
	p := visitorFrom(r).p
	for _, n := range sit.CaseNumbers {
		acc, _, err := s.Access.CaseAccess(r.Context(), n, p.UserID)
		if err == nil && p.Can(domain.ResCase, domain.ActRead, acc) {
			return nil
		}
	}
	return bad
}

// justiceFailChange is fail for a change that may meet a newer version.
func (s *site) justiceFailChange(w http.ResponseWriter, r *http.Request, err error) {
	if domain.KindOf(err) == domain.KindConflict {
		s.render(w, r, http.StatusConflict, "error", "error.title", map[string]any{"Message": "justice.conflict", "Status": http.StatusConflict})
		return
	}
	s.fail(w, r, err)
}
