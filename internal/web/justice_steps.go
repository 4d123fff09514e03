// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strconv"

	"vigie/internal/domain"
)

// deleteJusticeStep is POST /justice/{ref}/steps/{kind}/{id}/delete at
// the version shown.
func (s *site) deleteJusticeStep(w http.ResponseWriter, r *http.Request) {
	acc, st, err := s.reachProceeding(r, domain.ActUpdate)
	if err == nil {
		v, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
		err = st.DeleteStep(r.Context(), acc.ProceedingID, domain.StepKind(r.PathValue("kind")), r.PathValue("id"), v)
	}
	if err != nil {
		s.justiceFailChange(w, r, err)
		return
	}
	redirect(w, "/justice/"+acc.Number+"?saved=1")
}

// chargeVerdict is POST /justice/{ref}/charges/{id}/verdict: the verdict
// on one charge, at the version shown.
func (s *site) chargeVerdict(w http.ResponseWriter, r *http.Request) {
	acc, st, err := s.reachProceeding(r, domain.ActUpdate)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pr, err := st.Proceeding(r.Context(), acc.ProceedingID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var c *domain.Charge
	for _, x := range pr.Charges {
		if x.ID == r.PathValue("id") {
			c = x
		}
	}
	if c == nil {
		s.notFoundPage(w, r)
		return
	}
	var p domain.Problems
	c.Verdict = r.PostForm.Get("verdict")
	c.VerdictOn = parseDay(&p, "verdict_on", r.PostForm.Get("verdict_on"))
	c.Version, _ = strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	err = p.Err()
	if err == nil {
		err = st.UpdateStep(r.Context(), acc.ProceedingID, c)
	}
	if err == nil {
		redirect(w, "/justice/"+acc.Number+"?saved=1#charges")
		return
	}
	s.proceedingAgain(w, r, acc, err, func(d *proceedingData) {
		d.StepKind = "verdict-" + c.ID
		for f, code := range fieldMessages(err) {
			d.StepErrors["verdict-"+c.ID+"-"+f] = code
		}
		d.Conflict = domain.KindOf(err) == domain.KindConflict
	})
}

type caseJusticeData struct {
	Number    string
	Summaries []domain.JusticeSummary
}

// caseJusticePage is GET /cases/{ref}/justice: the status of the
// proceedings the case's victim takes part in, for whoever reads the
// case (no defendant, no charge).
func (s *site) caseJusticePage(w http.ResponseWriter, r *http.Request) {
	acc, number, err := s.checker().Case(r.Context(), visitorFrom(r).p, r.PathValue("ref"), domain.ResJusticeSummary, domain.ActRead)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.justice()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := st.CaseJustice(r.Context(), acc.CaseID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "justice_summary", "justice.summary.title", caseJusticeData{Number: number, Summaries: list})
}

type lawData struct {
	Items   []*domain.LawArticle
	CanEdit bool
	Form    domain.LawArticle
	Errors  map[string]string
	Saved   bool
}

// lawPage is GET /law: the list of offences; coordinators keep it.
func (s *site) lawPage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResLaw, domain.ActList) {
		return
	}
	s.renderLaw(w, r, http.StatusOK, lawData{Saved: r.URL.Query().Get("saved") != ""})
}

func (s *site) renderLaw(w http.ResponseWriter, r *http.Request, status int, d lawData) {
	st, err := s.justice()
	if err == nil {
		d.Items, err = st.LawArticles(r.Context(), false)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.CanEdit = visitorFrom(r).p.Allowed(domain.ResLaw, domain.ActCreate) != domain.ScopeNone
	s.render(w, r, status, "justice_law", "justice.law.title", d)
}

// addLawArticle is POST /law (coordinators).
func (s *site) addLawArticle(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResLaw, domain.ActCreate) {
		return
	}
	st, err := s.justice()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := r.PostForm
	a := domain.LawArticle{Code: v.Get("code"), Law: v.Get("law"), Article: v.Get("article"), TitleFR: v.Get("title_fr"), TitleEN: v.Get("title_en"), Active: true}
	err = st.CreateLawArticle(r.Context(), &a)
	if err == nil {
		redirect(w, "/law?saved=1")
		return
	}
	msgs := fieldMessages(err)
	if domain.KindOf(err) == domain.KindConflict {
		msgs = map[string]string{"code": "validation.duplicate_value"}
	}
	if msgs == nil {
		s.fail(w, r, err)
		return
	}
	s.renderLaw(w, r, http.StatusUnprocessableEntity, lawData{Form: a, Errors: msgs})
}

// toggleLawArticle is POST /law/{id}/active: retire or restore an
// article at the version shown.
func (s *site) toggleLawArticle(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResLaw, domain.ActUpdate) {
		return
	}
	st, err := s.justice()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := st.LawArticles(r.Context(), false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, a := range list {
		if a.ID == r.PathValue("id") {
			a.Active = r.PostForm.Get("active") == "1"
			a.Version, _ = strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
			if err := st.UpdateLawArticle(r.Context(), a); err != nil {
				s.justiceFailChange(w, r, err)
				return
			}
			redirect(w, "/law?saved=1")
			return
		}
	}
	s.notFoundPage(w, r)
}
