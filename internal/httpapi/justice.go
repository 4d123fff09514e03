// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"context"
	"net/http"
	"reflect"

	"vigie/internal/domain"
)

// The criminal-justice chain: proceedings and their steps
// (/api/v1/proceedings), in full for the owning agency's justice users;
// the status summary of a case's proceedings for its workers
// (/api/v1/cases/{ref}/justice).
func init() {
	notFound := map[int]string{404: "Problem"}
	with := func(m map[int]string) map[int]string {
		for k, v := range notFound {
			m[k] = v
		}
		return m
	}
	addArea([]route{
		{"GET", "/api/v1/proceedings", signedIn, (*api).listProceedings},
		{"POST", "/api/v1/proceedings", signedIn, (*api).createProceeding},
		{"GET", "/api/v1/proceedings/{ref}", signedIn, (*api).getProceeding},
		{"PUT", "/api/v1/proceedings/{ref}", signedIn, (*api).updateProceeding},
		{"DELETE", "/api/v1/proceedings/{ref}", signedIn, (*api).deleteProceeding},
		{"POST", "/api/v1/proceedings/{ref}/{kind}", signedIn, (*api).addStep},
		{"PUT", "/api/v1/proceedings/{ref}/{kind}/{id}", signedIn, (*api).updateStep},
		{"DELETE", "/api/v1/proceedings/{ref}/{kind}/{id}", signedIn, (*api).deleteStep},
		{"GET", "/api/v1/cases/{ref}/justice", signedIn, (*api).caseJustice},
	}, map[string]operation{
		"GET /api/v1/proceedings":                      {"List your agency's criminal proceedings, newest first, by stage, situation, victim's case or suspect, with the total", "", map[int]string{200: "ProceedingPage", 403: "Problem", 422: "Problem"}, proceedingParams},
		"POST /api/v1/proceedings":                     {"Open a criminal proceeding of your agency from a complaint", "Proceeding", map[int]string{201: "Proceeding", 403: "Problem", 422: "Problem"}, nil},
		"GET /api/v1/proceedings/{ref}":                {"Read a proceeding in full (by ID or number), with its steps, stage, order warnings and timeline; audited", "", with(map[int]string{200: "Proceeding", 403: "Problem"}), nil},
		"PUT /api/v1/proceedings/{ref}":                {"Replace a proceeding's complaint, investigation, prosecution and closure; needs the edited version (body or If-Match)", "Proceeding", with(map[int]string{200: "Proceeding", 403: "Problem", 409: "Problem", 422: "Problem"}), nil},
		"DELETE /api/v1/proceedings/{ref}":             {"Delete a proceeding opened by mistake, with its steps; needs its version (?version= or If-Match)", "", with(map[int]string{204: "", 403: "Problem", 409: "Problem", 422: "Problem"}), []string{"version"}},
		"POST /api/v1/proceedings/{ref}/{kind}":        {"Record a step: defendants (suspect and arrest), charges (article, act, means, purpose, verdict), hearings, sentences, appeals, victims (witness, protection)", "JusticeStep", with(map[int]string{201: "JusticeStep", 403: "Problem", 409: "Problem", 422: "Problem"}), nil},
		"PUT /api/v1/proceedings/{ref}/{kind}/{id}":    {"Replace a step; needs the edited version (body or If-Match)", "JusticeStep", with(map[int]string{200: "JusticeStep", 403: "Problem", 409: "Problem", 422: "Problem"}), nil},
		"DELETE /api/v1/proceedings/{ref}/{kind}/{id}": {"Delete a step recorded by mistake; needs its version (?version= or If-Match)", "", with(map[int]string{204: "", 403: "Problem", 409: "Problem", 422: "Problem"}), []string{"version"}},
		"GET /api/v1/cases/{ref}/justice":              {"The status of the proceedings the case's victim takes part in (stage, dates, outcome counts, the victim's protection; no defendant); audited", "", with(map[int]string{200: "JusticeSummaryList", 403: "Problem"}), nil},
	})
	schemaTypes["Proceeding"] = reflect.TypeFor[proceedingView]()
	schemaTypes["ProceedingPage"] = reflect.TypeFor[proceedingPage]()
	schemaTypes["JusticeStep"] = reflect.TypeFor[justiceStepDoc]()
	schemaTypes["JusticeSummaryList"] = reflect.TypeFor[justiceSummaryList]()
}

var proceedingParams = []string{"status", "situation", "case", "suspect", "agency", "offset", "limit"}

// proceedingView is a proceeding with its timeline.
type proceedingView struct {
	domain.Proceeding
	Timeline []domain.TimelineEvent `json:"timeline,omitempty"`
}

type proceedingPage struct {
	Items []*domain.Proceeding `json:"items"`
	Total int                  `json:"total"`
}

type justiceSummaryList struct {
	Items []domain.JusticeSummary `json:"items"`
}

// justiceStepDoc documents the union of the step records (the body's
// fields follow the {kind} path segment: defendants → Defendant, charges
// → Charge, hearings → Hearing, sentences → Sentence, appeals → Appeal,
// victims → Participation in internal/domain/justice.go).
type justiceStepDoc struct {
	domain.Meta
	SuspectID     string        `json:"suspect_id,omitempty"`
	SuspectNumber string        `json:"suspect_number,omitempty"`
	ArrestedOn    domain.Date   `json:"arrested_on,omitzero"`
	ArrestPlace   string        `json:"arrest_place,omitempty"`
	Notes         string        `json:"notes,omitempty"`
	DefendantID   string        `json:"defendant_id,omitempty"`
	ArticleID     string        `json:"article_id,omitempty"`
	ArticleCode   string        `json:"article_code,omitempty"`
	ChargedOn     domain.Date   `json:"charged_on,omitzero"`
	Acts          []string      `json:"acts,omitempty"`
	Means         []string      `json:"means,omitempty"`
	Purposes      []string      `json:"purposes,omitempty"`
	Verdict       string        `json:"verdict,omitempty"`
	VerdictOn     domain.Date   `json:"verdict_on,omitzero"`
	Date          domain.Date   `json:"date,omitzero"`
	Court         string        `json:"court,omitempty"`
	Outcome       string        `json:"outcome,omitempty"`
	SentencedOn   domain.Date   `json:"sentenced_on,omitzero"`
	PrisonMonths  *int          `json:"prison_months,omitempty"`
	Suspended     bool          `json:"suspended,omitempty"`
	Fine          *domain.Money `json:"fine,omitempty"`
	Compensation  *domain.Money `json:"compensation,omitempty"`
	Confiscated   string        `json:"confiscated,omitempty"`
	LodgedOn      domain.Date   `json:"lodged_on,omitzero"`
	By            string        `json:"by,omitempty"`
	DecidedOn     domain.Date   `json:"decided_on,omitzero"`
	CaseNumber    string        `json:"case_number,omitempty"`
	CaseID        string        `json:"case_id,omitempty"`
	Witness       bool          `json:"witness,omitempty"`
	TestifiedOn   domain.Date   `json:"testified_on,omitzero"`
	Protection    []string      `json:"protection,omitempty"`
}

// justice is the store of the chain: the one that stores agencies
// (sqlstore.DB) implements it too.
func (a *api) justice() (domain.JusticeService, error) {
	if s, ok := a.Agencies.(domain.JusticeService); ok {
		return s, nil
	}
	return nil, domain.Errorf(domain.KindInternal, "no store for the justice chain")
}

// suspectAccessor reads who reaches a suspect (the registry's store).
type suspectAccessor interface {
	SuspectAccess(ctx context.Context, ref string) (domain.SuspectAccess, error)
}

func missingProceeding(ref string) error {
	return domain.Errorf(domain.KindNotFound, "proceeding %s does not exist", truncate(ref, 40))
}

// reachProceeding checks that the caller may do act on the proceeding in
// full. A role without the permission is refused (403); a proceeding of
// another agency answers as a missing one (404), so that numbers cannot
// be probed.
func (a *api) reachProceeding(r *http.Request, act domain.Action) (domain.JusticeAccess, domain.JusticeService, error) {
	if _, err := requireScope(r, domain.ResJustice, act); err != nil {
		return domain.JusticeAccess{}, nil, err
	}
	s, err := a.justice()
	if err != nil {
		return domain.JusticeAccess{}, nil, err
	}
	ref := r.PathValue("ref")
	acc, err := s.ProceedingAccess(r.Context(), ref)
	if domain.KindOf(err) == domain.KindNotFound || err == nil && !principal(r).CanProceeding(act, acc) {
		return acc, nil, missingProceeding(ref)
	}
	return acc, s, err
}

func (a *api) listProceedings(w http.ResponseWriter, r *http.Request) error {
	scope, err := requireScope(r, domain.ResJustice, domain.ActList)
	if err != nil {
		return err
	}
	qp := readQuery(r.URL.Query(), proceedingParams)
	f := domain.ProceedingFilter{Status: qp.str("status"), SituationID: qp.str("situation"), SuspectID: qp.str("suspect"),
		Agency: qp.str("agency"), Offset: qp.integer("offset"), Limit: qp.integer("limit")}
	caseRef := qp.str("case")
	if err := qp.p.Err(); err != nil {
		return err
	}
	if own := principal(r).Agency; scope == domain.ScopeAgency {
		if f.Agency != "" && f.Agency != own {
			return domain.Errorf(domain.KindForbidden, "votre rôle ne permet de voir que les procédures de votre agence / your role reaches your agency's proceedings only (%s)", own)
		}
		f.Agency = own
	}
	if caseRef != "" {
		acc, _, err := a.reachCase(r, caseRef, domain.ResCase, domain.ActRead)
		if err != nil {
			return err
		}
		f.CaseID = acc.CaseID
	}
	s, err := a.justice()
	if err != nil {
		return err
	}
	list, total, err := s.Proceedings(r.Context(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*domain.Proceeding{}
	}
	writeJSON(w, http.StatusOK, proceedingPage{Items: list, Total: total})
	return nil
}

func (a *api) createProceeding(w http.ResponseWriter, r *http.Request) error {
	scope, err := requireScope(r, domain.ResJustice, domain.ActCreate)
	if err != nil {
		return err
	}
	pr, err := decodeProceeding(w, r)
	if err != nil {
		return err
	}
	pr.Meta, pr.Number = domain.Meta{}, ""
	p := principal(r)
	if pr.Agency == "" {
		pr.Agency = p.Agency
	}
	if scope == domain.ScopeAgency && pr.Agency != p.Agency {
		return fieldError("agency", "validation.forbidden_agency", "you may open proceedings only for your agency ("+p.Agency+")")
	}
	if pr.SituationID != "" {
		if err := a.checkProceedingSituation(r, pr.SituationID, pr.Agency); err != nil {
			return err
		}
	}
	s, err := a.justice()
	if err != nil {
		return err
	}
	if err := s.CreateProceeding(r.Context(), pr); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/proceedings/"+pr.Number)
	w.Header().Set("ETag", etag(pr.Version))
	writeJSON(w, http.StatusCreated, pr)
	return nil
}

// checkProceedingSituation: a proceeding may name a situation of its
// own agency, or one of whose victims' cases the caller reaches (the
// police investigate a situation an NGO registered and referred). One
// out of reach answers like a missing one.
func (a *api) checkProceedingSituation(r *http.Request, id, agency string) error {
	if id == "" {
		return nil
	}
	bad := fieldError("situation_id", "validation.unknown_situation", "does not refer to a situation you reach")
	sit, err := a.Situations.Situation(r.Context(), id)
	if domain.KindOf(err) == domain.KindNotFound {
		return bad
	}
	if err != nil {
		return err
	}
	if sit.Agency == agency {
		return nil
	}
	p := principal(r)
	for _, n := range sit.CaseNumbers {
		acc, _, err := a.Access.CaseAccess(r.Context(), n, p.UserID)
		if err == nil && p.Can(domain.ResCase, domain.ActRead, acc) {
			return nil
		}
	}
	return bad
}

// decodeProceeding reads a proceeding's header. The body may be what GET
// answered, read-only parts included: the timeline, the stage and the
// warnings are ignored (the timeline was refused as an unknown field,
// though the document names it); steps are refused.
func decodeProceeding(w http.ResponseWriter, r *http.Request) (*domain.Proceeding, error) {
	var v proceedingView
	if err := decodeJSON(w, r, &v); err != nil {
		return nil, err
	}
	if err := readOnlyStepsAbsent(&v.Proceeding); err != nil {
		return nil, err
	}
	return &v.Proceeding, nil
}

// readOnlyStepsAbsent refuses steps sent inside a proceeding's body:
// they are recorded one by one, each with its own version.
func readOnlyStepsAbsent(pr *domain.Proceeding) error {
	var p domain.Problems
	for _, k := range []struct {
		field string
		n     int
	}{{"defendants", len(pr.Defendants)}, {"charges", len(pr.Charges)}, {"hearings", len(pr.Hearings)},
		{"sentences", len(pr.Sentences)}, {"appeals", len(pr.Appeals)}, {"victims", len(pr.Victims)}} {
		if k.n > 0 {
			p.Add(k.field, "validation.justice_read_only", "steps are recorded with POST /api/v1/proceedings/{ref}/%s, not in the proceeding", k.field)
		}
	}
	return p.Err()
}

func (a *api) getProceeding(w http.ResponseWriter, r *http.Request) error {
	acc, s, err := a.reachProceeding(r, domain.ActRead)
	if err != nil {
		return err
	}
	pr, err := s.Proceeding(r.Context(), acc.ProceedingID)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(pr.Version))
	writeJSON(w, http.StatusOK, proceedingView{Proceeding: *pr, Timeline: pr.Timeline()})
	return nil
}

func (a *api) updateProceeding(w http.ResponseWriter, r *http.Request) error {
	pr, err := decodeProceeding(w, r)
	if err != nil {
		return err
	}
	v, err := expectedVersion(r, pr.Version)
	if err != nil {
		return err
	}
	acc, s, err := a.reachProceeding(r, domain.ActUpdate)
	if err != nil {
		return err
	}
	if pr.Agency == "" {
		pr.Agency = principal(r).Agency
	}
	if pr.SituationID != "" {
		if err := a.checkProceedingSituation(r, pr.SituationID, pr.Agency); err != nil {
			return err
		}
	}
	pr.Meta = domain.Meta{ID: acc.ProceedingID, Version: v}
	if err := s.UpdateProceeding(r.Context(), pr); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(pr.Version))
	writeJSON(w, http.StatusOK, pr)
	return nil
}

func (a *api) deleteProceeding(w http.ResponseWriter, r *http.Request) error {
	v, err := deleteVersion(r)
	if err != nil {
		return err
	}
	acc, s, err := a.reachProceeding(r, domain.ActDelete)
	if err != nil {
		return err
	}
	if err := s.DeleteProceeding(r.Context(), acc.ProceedingID, v); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// decodeStep reads a step of the {kind} in the path.
func decodeStep(w http.ResponseWriter, r *http.Request) (domain.Step, error) {
	kind := domain.StepKind(r.PathValue("kind"))
	st := domain.NewStep(kind)
	if st == nil {
		return nil, domain.Errorf(domain.KindNotFound, "no kind of step %q; known: defendants, charges, hearings, sentences, appeals, victims", truncate(string(kind), 40))
	}
	return st, decodeJSON(w, r, st)
}

// checkStepRefs checks what a step names against the caller's reach: a
// suspect of the registry the caller reaches, a victim's case the caller
// reaches. One out of reach is answered like a missing one.
func (a *api) checkStepRefs(r *http.Request, st domain.Step) error {
	p := principal(r)
	switch v := st.(type) {
	case *domain.Defendant:
		sa, ok := a.Agencies.(suspectAccessor)
		if !ok {
			return domain.Errorf(domain.KindInternal, "no store for the registry")
		}
		acc, err := sa.SuspectAccess(r.Context(), v.SuspectID)
		if domain.KindOf(err) == domain.KindNotFound || err == nil && !p.CanSuspect(domain.ActRead, acc) {
			return fieldError("suspect_id", "validation.justice_unknown_suspect", "no suspect "+truncate(v.SuspectID, 40)+" in the registry")
		}
		return err
	case *domain.Participation:
		if v.CaseNumber == "" {
			return nil
		}
		_, _, err := a.reachCase(r, v.CaseNumber, domain.ResCase, domain.ActRead)
		if k := domain.KindOf(err); k == domain.KindNotFound || k == domain.KindForbidden {
			return fieldError("case_number", "validation.justice_unknown_case", "case "+truncate(v.CaseNumber, 40)+" does not exist")
		}
		return err
	}
	return nil
}

func (a *api) addStep(w http.ResponseWriter, r *http.Request) error {
	acc, s, err := a.reachProceeding(r, domain.ActUpdate)
	if err != nil {
		return err
	}
	st, err := decodeStep(w, r)
	if err != nil {
		return err
	}
	*st.StepMeta() = domain.Meta{}
	if err := a.checkStepRefs(r, st); err != nil {
		return err
	}
	if err := s.AddStep(r.Context(), acc.ProceedingID, st); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(st.StepMeta().Version))
	writeJSON(w, http.StatusCreated, st)
	return nil
}

func (a *api) updateStep(w http.ResponseWriter, r *http.Request) error {
	acc, s, err := a.reachProceeding(r, domain.ActUpdate)
	if err != nil {
		return err
	}
	st, err := decodeStep(w, r)
	if err != nil {
		return err
	}
	v, err := expectedVersion(r, st.StepMeta().Version)
	if err != nil {
		return err
	}
	*st.StepMeta() = domain.Meta{ID: r.PathValue("id"), Version: v}
	if err := a.checkStepRefs(r, st); err != nil {
		return err
	}
	if err := s.UpdateStep(r.Context(), acc.ProceedingID, st); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(st.StepMeta().Version))
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (a *api) deleteStep(w http.ResponseWriter, r *http.Request) error {
	v, err := deleteVersion(r)
	if err != nil {
		return err
	}
	acc, s, err := a.reachProceeding(r, domain.ActUpdate)
	if err != nil {
		return err
	}
	if err := s.DeleteStep(r.Context(), acc.ProceedingID, domain.StepKind(r.PathValue("kind")), r.PathValue("id"), v); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// caseJustice is the status summary of a case's proceedings, for the
// workers who reach the case.
func (a *api) caseJustice(w http.ResponseWriter, r *http.Request) error {
	acc, _, err := a.reachCase(r, r.PathValue("ref"), domain.ResJusticeSummary, domain.ActRead)
	if err != nil {
		return err
	}
	s, err := a.justice()
	if err != nil {
		return err
	}
	list, err := s.CaseJustice(r.Context(), acc.CaseID)
	if err != nil {
		return err
	}
	if list == nil {
		list = []domain.JusticeSummary{}
	}
	writeJSON(w, http.StatusOK, justiceSummaryList{Items: list})
	return nil
}
