// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strconv"

	"vigie/internal/domain"
)

// reachPart checks that the visitor may act on a kind of part of the
// case in the URL (the same rules and audit of refusals as the API).
func (s *site) reachPart(r *http.Request, k domain.PartKind, act domain.Action) (domain.CaseAccess, string, error) {
	return s.checker().Case(r.Context(), visitorFrom(r).p, r.PathValue("ref"), domain.PartResource(k), act)
}

// author is how a part names who wrote it: the user's name, else e-mail.
func author(r *http.Request) string {
	v := visitorFrom(r)
	if v.user != nil && v.user.Name != "" {
		return v.user.Name
	}
	return v.p.Email
}

func commentForm(number string) *actionForm {
	return &actionForm{Number: number, Title: "casework.comment.title", Action: "/cases/" + number + "/comments",
		Submit: "common.add", Once: true, Fields: []formField{
			{Name: "cco_CaseComment", Label: "field.cco_CaseComment", Kind: "textarea", Required: true, Max: domain.MaxLongText}}}
}

// actionPage shows a form f after checking that the visitor may act on
// the part kind k of the case.
func (s *site) actionPage(k domain.PartKind, act domain.Action, form func(number string) *actionForm) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, number, err := s.reachPart(r, k, act)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.showForm(w, r, http.StatusOK, form(number))
	}
}

// consentPage is GET /cases/{ref}/consent: the form, for those who may
// record a consent given (not an agency the case is referred to: its
// consent reopened referrals the victim had stopped; the form was shown
// and its answer refused).
func (s *site) consentPage(w http.ResponseWriter, r *http.Request) {
	_, number, err := s.reachConsent(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showForm(w, r, http.StatusOK, consentForm(number))
}

// reachConsent reaches the case to record a consent given, which the
// page's form does: refused to an agency the case is referred to.
func (s *site) reachConsent(r *http.Request) (domain.CaseAccess, string, error) {
	acc, number, err := s.reachPart(r, domain.PartConsents, domain.ActCreate)
	if err == nil && !visitorFrom(r).p.MayRecordConsent(acc, true) {
		err = domain.Errorf(domain.KindForbidden, "only the case's own agency records a consent")
	}
	return acc, number, err
}

// addComment is POST /cases/{ref}/comments.
func (s *site) addComment(w http.ResponseWriter, r *http.Request) {
	acc, number, err := s.reachPart(r, domain.PartComments, domain.ActCreate)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := commentForm(number)
	f.fill(r)
	c := &domain.Comment{Text: f.value("cco_CaseComment"), Author: author(r)}
	s.addOnce(w, r, f, acc.CaseID, domain.PartComments, c)
}

func planForm(r *http.Request) func(string) *actionForm {
	return func(number string) *actionForm {
		return &actionForm{Number: number, Title: "casework.plan.title", Action: "/cases/" + number + "/support-plans",
			Submit: "common.add", Once: true, Fields: []formField{
				{Name: "spl_Type", Label: "field.spl_Type", Kind: "select", Options: enumOptions(r, domain.SupportPlanType), Required: true},
				{Name: "spl_Objectives", Label: "field.spl_Objectives", Kind: "textarea", Max: domain.MaxLongText},
				{Name: "spl_PlannedEndDate", Label: "field.spl_PlannedEndDate", Kind: "date", Help: "casework.plan.due_help"}}}
	}
}

// addPlan is POST /cases/{ref}/support-plans.
func (s *site) addPlan(w http.ResponseWriter, r *http.Request) {
	acc, number, err := s.reachPart(r, domain.PartSupportPlans, domain.ActCreate)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := planForm(r)(number)
	f.fill(r)
	var p domain.Problems
	plan := &domain.SupportPlan{Type: f.value("spl_Type"), Objectives: f.value("spl_Objectives"),
		PlannedEndDate: parseDay(&p, "spl_PlannedEndDate", f.value("spl_PlannedEndDate"))}
	if err := p.Err(); err != nil {
		s.answer(w, r, f, err, nil)
		return
	}
	s.addOnce(w, r, f, acc.CaseID, domain.PartSupportPlans, plan)
}

// endPlan is POST /cases/{ref}/support-plans/{id}/end: the plan ended
// today. The form carries the plan's version: a plan changed meanwhile is
// a conflict, shown on the case page's terms (reload and try again).
func (s *site) endPlan(w http.ResponseWriter, r *http.Request) {
	acc, number, err := s.reachPart(r, domain.PartSupportPlans, domain.ActUpdate)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.Cases.Case(r.Context(), acc.CaseID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var plan *domain.SupportPlan
	for _, p := range c.SupportPlans {
		if p.ID == r.PathValue("id") {
			plan = p
		}
	}
	if plan == nil {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	plan.Version = version
	plan.ActualEndDate = domain.DateOf(s.Now().UTC())
	f := &actionForm{Number: number, Title: "casework.plan.end", Blocked: true}
	s.answer(w, r, f, s.Cases.UpdatePart(r.Context(), acc.CaseID, domain.PartSupportPlans, plan), nil)
}

func consentForm(number string) *actionForm {
	return &actionForm{Number: number, Title: "casework.consent.title", Intro: "casework.consent.intro",
		Action: "/cases/" + number + "/consent", Submit: "casework.consent.submit", Once: true, Fields: []formField{
			{Name: "con_Consent", Label: "casework.consent.given", Kind: "checkbox", Required: true},
			{Name: "vig_ConsentDate", Label: "field.vig_ConsentDate", Kind: "date", Help: "casework.consent.date_help"}}}
}

// addConsent is POST /cases/{ref}/consent: the victim's informed consent
// (con_Consent), which a referral needs.
func (s *site) addConsent(w http.ResponseWriter, r *http.Request) {
	acc, number, err := s.reachConsent(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := consentForm(number)
	f.fill(r)
	var p domain.Problems
	if f.value("con_Consent") != "yes" {
		p.Add("con_Consent", "casework.consent.required", "the victim's consent must be ticked")
	}
	date := parseDay(&p, "vig_ConsentDate", f.value("vig_ConsentDate"))
	if date.IsZero() {
		date = domain.DateOf(s.Now().UTC())
	}
	if err := p.Err(); err != nil {
		s.answer(w, r, f, err, nil)
		return
	}
	s.addOnce(w, r, f, acc.CaseID, domain.PartConsents, &domain.Consent{Consent: true, Date: date, RecordedBy: author(r)})
}
