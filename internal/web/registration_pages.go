// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/google/uuid"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// regData is what the registration template shows.
type regData struct {
	Step     string
	DraftID  string
	Steps    []regStepLink
	Fields   []regFieldView
	Problems []regProblemView
	Dupes    []string
	Suggest  string
	Review   []regReviewSection
	Home     *regHome
	CanAdd   bool
	// Saved is true once the draft exists: it can be discarded.
	Saved bool
	JS    string
}

type regStepLink struct {
	Name, Href string
	Current    bool
}

type regProblemView struct{ Href, Label, Code string }

// regRegistrar lets through the roles that may register a case with its
// victim's identity (the permission table: caseworkers and supervisors);
// the others get 403, and the refusal is audited.
func (s *site) regRegistrar(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := visitorFrom(r).p
		if p.Allowed(domain.ResCase, domain.ActCreate) == domain.ScopeNone || p.Allowed(domain.ResIdentity, domain.ActCreate) == domain.ScopeNone {
			s.checker().Denied(r.Context(), "", domain.ResCase, domain.ActCreate, "forbidden", "")
			s.errorPage(w, r, http.StatusForbidden)
			return
		}
		h(w, r)
	}
}

// regNewScreening is GET /registration/new: an empty screening whose draft
// ID is drawn now, so that every later submission of it, repeated or not,
// names the same draft.
func (s *site) regNewScreening(w http.ResponseWriter, r *http.Request) {
	id := uuid.Must(uuid.NewV7()).String()
	s.regRenderStep(w, r, http.StatusOK, &domain.Draft{ID: id, Values: map[string][]string{}}, stepScreening, nil, false)
}

// regStepPage is GET /registration/{id}/{step}: a step of a saved draft.
func (s *site) regStepPage(w http.ResponseWriter, r *http.Request) {
	step := r.PathValue("step")
	if !slices.Contains(regSteps, step) {
		s.notFoundPage(w, r)
		return
	}
	d, ok := s.regOwnDraft(w, r)
	if !ok {
		return
	}
	var probs []domain.FieldError
	if step == stepReview {
		_, probs = regToCase(d.Values, visitorFrom(r).p, domain.Clock(s.Now).Today())
		probs = regStepRequired(step, d.Values, probs)
	}
	s.regRenderStep(w, r, http.StatusOK, d, step, probs, true)
}

// regOwnDraft reads the visitor's draft {id}; another user's draft is "not
// found", like a missing one. A registered draft sends to its case.
func (s *site) regOwnDraft(w http.ResponseWriter, r *http.Request) (*domain.Draft, bool) {
	d, err := s.Drafts.Draft(r.Context(), r.PathValue("id"), visitorFrom(r).p.UserID)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	if d.Registered() {
		redirect(w, "/cases/"+d.CaseNumber)
		return nil, false
	}
	if d.Values == nil {
		d.Values = map[string][]string{}
	}
	return d, true
}

// regSaveStep is POST /registration/{id}/{step}: whatever was typed is saved
// first, valid or not; then the step is checked and the wizard moves on,
// or the step is shown again with its problems and every typed value.
func (s *site) regSaveStep(w http.ResponseWriter, r *http.Request) {
	step, p := r.PathValue("step"), visitorFrom(r).p
	if !slices.Contains(regSteps, step) || step == stepReview {
		s.notFoundPage(w, r)
		return
	}
	d, err := s.Drafts.Draft(r.Context(), r.PathValue("id"), p.UserID)
	switch {
	case domain.KindOf(err) == domain.KindNotFound && step == stepScreening:
		// The first save of a new screening creates the draft.
		d = &domain.Draft{ID: r.PathValue("id"), Values: map[string][]string{}}
	case err != nil:
		s.fail(w, r, err)
		return
	case d.Registered():
		redirect(w, "/cases/"+d.CaseNumber)
		return
	}
	if d.Values == nil {
		d.Values = map[string][]string{}
	}
	regPostedValues(step, r.PostForm, d.Values)
	action := r.PostFormValue("go")
	if action == "add" && step == stepPerpetrators {
		d.Values["per_count"] = []string{strconv.Itoa(min(regPerpetratorSlots(d.Values)+1, regMaxPerpetrators))}
	}
	if step == stepVictim {
		if dupes, err := s.regDuplicates(r, regFullName(d.Values)); err != nil {
			s.fail(w, r, err)
			return
		} else if len(dupes) > 0 {
			d.Values["_dupes"] = dupes
		} else {
			delete(d.Values, "_dupes")
		}
	}
	d.OwnerID, d.Agency, d.Step = p.UserID, p.Agency, step
	if err := s.Drafts.SaveDraft(r.Context(), d); err != nil {
		if domain.KindOf(err) == domain.KindConflict && d.CaseNumber != "" {
			redirect(w, "/cases/"+d.CaseNumber)
			return
		}
		s.fail(w, r, err)
		return
	}
	base := "/registration/" + d.ID + "/"
	switch action {
	case "back":
		redirect(w, base+regSteps[max(0, slices.Index(regSteps, step)-1)])
		return
	case "save":
		redirect(w, "/registration")
		return
	case "add":
		redirect(w, base+step)
		return
	}
	c, probs := regToCase(d.Values, p, domain.Clock(s.Now).Today())
	if probs = regProblemsOf(step, regStepRequired(step, d.Values, probs)); len(probs) > 0 {
		s.regRenderStep(w, r, http.StatusUnprocessableEntity, d, step, probs, true)
		return
	}
	if step == stepScreening && c.Victim.TraffickingStatus == "NotAVictimOfTrafficking" {
		// Not a victim: the screening is recorded now, without identity.
		s.regRegisterCase(w, r, d, c)
		return
	}
	redirect(w, base+regSteps[slices.Index(regSteps, step)+1])
}

// regRegister is POST /registration/{id}/register. A second submission of
// the same draft (double click, back button, retry after a dropped
// connection) leads to the case the first one created.
func (s *site) regRegister(w http.ResponseWriter, r *http.Request) {
	d, ok := s.regOwnDraft(w, r)
	if !ok {
		return
	}
	c, probs := regToCase(d.Values, visitorFrom(r).p, domain.Clock(s.Now).Today())
	if c.Victim.TraffickingStatus != "NotAVictimOfTrafficking" {
		probs = regStepRequired(stepReview, d.Values, probs)
	}
	if len(probs) > 0 {
		s.regRenderStep(w, r, http.StatusUnprocessableEntity, d, stepReview, probs, true)
		return
	}
	s.regRegisterCase(w, r, d, c)
}

func (s *site) regRegisterCase(w http.ResponseWriter, r *http.Request, d *domain.Draft, c *domain.Case) {
	number, _, err := s.Drafts.RegisterDraft(r.Context(), d.ID, visitorFrom(r).p.UserID, c)
	if domain.KindOf(err) == domain.KindInvalid {
		s.regRenderStep(w, r, http.StatusUnprocessableEntity, d, stepReview, domain.FieldErrors(err), true)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, "/cases/"+number)
}

// regDiscard is POST /registration/{id}/discard: the draft and what was
// typed in it are deleted.
func (s *site) regDiscard(w http.ResponseWriter, r *http.Request) {
	d, ok := s.regOwnDraft(w, r)
	if !ok {
		return
	}
	if err := s.Drafts.DeleteDraft(r.Context(), d.ID, visitorFrom(r).p.UserID); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, "/registration")
}

// regDraftsPage is GET /registration: the visitor's open drafts.
func (s *site) regDraftsPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.Drafts.Drafts(r.Context(), visitorFrom(r).p.UserID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "registration", "registration.drafts.title", regData{Step: "drafts", Home: &regHome{Drafts: list}})
}

// regRenderStep shows a step of the draft d with the problems found.
func (s *site) regRenderStep(w http.ResponseWriter, r *http.Request, status int, d *domain.Draft, step string, probs []domain.FieldError, saved bool) {
	data := regData{Step: step, DraftID: d.ID, Saved: saved, Dupes: d.Values["_dupes"], JS: regJSPath,
		CanAdd: step == stepPerpetrators && regPerpetratorSlots(d.Values) < regMaxPerpetrators}
	for _, st := range regSteps {
		link := regStepLink{Name: st, Current: st == step}
		if saved && !link.Current {
			link.Href = "/registration/" + d.ID + "/" + st
		}
		data.Steps = append(data.Steps, link)
	}
	if step == stepReview {
		data.Review = regReviewSections(i18n.For(langOf(r)), d.Values)
	} else {
		data.Fields = regFieldViews(step, d.Values, probs)
	}
	for _, f := range probs {
		pv := regProblemView{Label: "field." + regBaseName(f.Field), Code: f.Code}
		if regStepOf(f.Field) == stepReview {
			// A rule on the case itself, not on a field of the forms.
			pv.Label = "registration.problem.case"
		}
		if st := regStepOf(f.Field); st == step {
			pv.Href = "#f-" + regFieldID(f.Field)
		} else if saved && st != stepReview {
			pv.Href = "/registration/" + d.ID + "/" + st + "#f-" + regFieldID(f.Field)
		}
		data.Problems = append(data.Problems, pv)
	}
	if step == stepScreening && len(d.Values) > 0 {
		sc := domain.Screening{Majority: regFirst(d.Values, "vig_MajorityStatus"), Acts: d.Values["vic_MethodOfRecruitment"],
			Means: d.Values["vic_MethodsOfControl"], Purposes: d.Values["vic_TypeOfExploitation"]}
		data.Suggest = sc.Suggest()
	}
	s.render(w, r, status, "registration", "registration.title."+step, data)
}
