// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"vigie/internal/domain"
)

// caseworkRoutes registers the pages of case editing, referrals with
// consent, closure and reopening.
// Every change is a plain form (POST, CSRF token, then 303 back to the
// case page); every GET here is a form page of its own.
func (s *site) caseworkRoutes(mux *http.ServeMux) {
	get := func(p string, h http.HandlerFunc) { mux.HandleFunc("GET "+p, s.signedIn(h)) }
	post := func(p string, h http.HandlerFunc) { mux.HandleFunc("POST "+p, s.signedIn(s.csrf(h))) }

	get("/cases/{ref}/edit", s.editCasePage)
	post("/cases/{ref}/edit", s.editCase)

	get("/cases/{ref}/comments/new", s.actionPage(domain.PartComments, domain.ActCreate, commentForm))
	post("/cases/{ref}/comments", s.addComment)
	get("/cases/{ref}/support-plans/new", func(w http.ResponseWriter, r *http.Request) {
		s.actionPage(domain.PartSupportPlans, domain.ActCreate, planForm(r))(w, r)
	})
	post("/cases/{ref}/support-plans", s.addPlan)
	get("/cases/{ref}/support-plans/{id}/edit", s.editPlanPage)
	post("/cases/{ref}/support-plans/{id}/edit", s.editPlan)
	post("/cases/{ref}/support-plans/{id}/end", s.endPlan)
	get("/cases/{ref}/consent", s.consentPage)
	post("/cases/{ref}/consent", s.addConsent)

	get("/cases/{ref}/refer", s.referPage)
	post("/cases/{ref}/refer", s.refer)
	get("/referrals", s.inbox)
	post("/cases/{ref}/referrals/{id}/accept", s.answerReferral(domain.ReferralAccepted))
	get("/cases/{ref}/referrals/{id}/decline", s.declinePage)
	post("/cases/{ref}/referrals/{id}/decline", s.answerReferral(domain.ReferralDeclined))

	get("/cases/{ref}/closure", s.closurePage)
	post("/cases/{ref}/closure", s.requestClosure)
	get("/cases/{ref}/closure/{id}", s.decisionPage)
	post("/cases/{ref}/closure/{id}", s.decide)
	get("/cases/{ref}/reopen", s.reopenPage)
	post("/cases/{ref}/reopen", s.reopen)
}
