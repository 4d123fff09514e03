// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"cmp"
	"net/http"
	"strings"

	"vigie/internal/domain"
)

// referForm offers the other agencies of Vigie as destinations.
func (s *site) referForm(r *http.Request, number string) (*actionForm, error) {
	st, err := s.work()
	if err != nil {
		return nil, err
	}
	agencies, err := st.Agencies(r.Context())
	if err != nil {
		return nil, err
	}
	var opts []option
	for _, a := range agencies {
		if a.Code != visitorFrom(r).p.Agency {
			opts = append(opts, option{a.Code, a.Code + " — " + a.Name})
		}
	}
	return &actionForm{Number: number, Title: "casework.refer.title", Intro: "casework.refer.intro",
		Action: "/cases/" + number + "/refer", Submit: "casework.refer.submit", Fields: []formField{
			{Name: "vig_ReferredAgency", Label: "field.vig_ReferredAgency", Kind: "select", Options: opts, Required: true},
			{Name: "cas_ReasonForOutgoingReferral", Label: "field.cas_ReasonForOutgoingReferral", Kind: "select",
				Options: enumOptions(r, domain.ReasonForOutgoingReferral)},
			{Name: "cas_OutgoingReferralDetails", Label: "field.cas_OutgoingReferralDetails", Kind: "textarea", Max: domain.MaxLongText}}}, nil
}

// referral loads the case for a referral form and refuses one without
// the victim's consent on record: the form is not even offered.
func (s *site) referral(w http.ResponseWriter, r *http.Request) (*domain.Case, *actionForm, bool) {
	acc, number, err := s.reachPart(r, domain.PartReferrals, domain.ActCreate)
	if err == nil && !visitorFrom(r).p.Can(domain.PartResource(domain.PartConsents), domain.ActRead, acc) {
		err = domain.Errorf(domain.KindForbidden, "a referral needs the consents to be readable")
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	c, err := s.Cases.Case(r.Context(), acc.CaseID)
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	f, err := s.referForm(r, number)
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	if !c.ConsentOnRecord() {
		f.Problem, f.Blocked = "casework.refer.no_consent", true
	}
	return c, f, true
}

// referPage is GET /cases/{ref}/refer.
func (s *site) referPage(w http.ResponseWriter, r *http.Request) {
	if _, f, ok := s.referral(w, r); ok {
		status := http.StatusOK
		if f.Blocked {
			status = http.StatusConflict
		}
		s.showForm(w, r, status, f)
	}
}

// refer is POST /cases/{ref}/refer: an outgoing referral to a Vigie
// agency, whose users then reach the case while it is active.
func (s *site) refer(w http.ResponseWriter, r *http.Request) {
	c, f, ok := s.referral(w, r)
	if !ok {
		return
	}
	if f.Blocked {
		s.showForm(w, r, http.StatusConflict, f)
		return
	}
	f.fill(r)
	to := f.value("vig_ReferredAgency")
	var name string
	for _, o := range f.Fields[0].Options {
		if o.Value == to {
			// cas_ReferredOrganisation is the agency's name (the option
			// shows the code before it), or its code when it has none.
			name = cmp.Or(strings.TrimPrefix(o.Label, to+" — "), to)
		}
	}
	if name == "" {
		f.Fields[0].Error = "validation.unknown_agency"
		s.showForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if s.repeatReferral(w, r, c, f, to) {
		return
	}
	ref := &domain.Referral{Direction: domain.ReferralOutgoing, ReferredAgency: to, ReferredOrganisation: name,
		ReasonForOutgoingReferral: f.value("cas_ReasonForOutgoingReferral"), OutgoingReferralDetails: f.value("cas_OutgoingReferralDetails"),
		OutgoingReferralDate: domain.DateOf(s.Now().UTC()), ReferralStatus: domain.ReferralActive}
	s.answer(w, r, f, s.Cases.AddPart(r.Context(), c.ID, domain.PartReferrals, ref), nil)
}

type inboxData struct {
	Items []domain.InboxReferral
}

// inbox is GET /referrals: the cases referred to the visitor's agency,
// those waiting for an answer first. It shows case numbers and agencies
// only, no personal data.
func (s *site) inbox(w http.ResponseWriter, r *http.Request) {
	p := visitorFrom(r).p
	if p.Allowed(domain.PartResource(domain.PartReferrals), domain.ActUpdate) == domain.ScopeNone {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	st, err := s.work()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items, err := st.ReferralInbox(r.Context(), p.AgencyID, 200)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "casework_inbox", "casework.inbox.title", inboxData{Items: items})
}

func declineForm(number, id string) *actionForm {
	return &actionForm{Number: number, Title: "casework.decline.title", Intro: "casework.decline.intro",
		Action: "/cases/" + number + "/referrals/" + id + "/decline", Submit: "casework.decline.submit", Fields: []formField{
			{Name: "reason", Label: "casework.decline.reason", Kind: "textarea", Required: true, Max: domain.MaxLongText}}}
}

// declinePage is GET /cases/{ref}/referrals/{id}/decline.
func (s *site) declinePage(w http.ResponseWriter, r *http.Request) {
	acc, number, err := s.reachReferralAnswer(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.answeredBefore(w, r, acc.CaseID, declineForm(number, r.PathValue("id"))) {
		return
	}
	s.showForm(w, r, http.StatusOK, declineForm(number, r.PathValue("id")))
}

// answerReferral answers POST /cases/{ref}/referrals/{id}/accept and
// …/decline. The store lets only the agency the referral is addressed to
// answer; for any other the referral does not exist (404).
func (s *site) answerReferral(answer string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		acc, number, err := s.reachReferralAnswer(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		st, err := s.work()
		if err != nil {
			s.fail(w, r, err)
			return
		}
		f := declineForm(number, r.PathValue("id"))
		f.fill(r)
		reason := ""
		if answer == domain.ReferralDeclined {
			reason = f.value("reason")
		}
		err = st.AnswerReferral(r.Context(), acc.CaseID, r.PathValue("id"), visitorFrom(r).p.Agency, answer, reason)
		switch {
		case err == nil && answer == domain.ReferralDeclined:
			// The case is out of reach now: back to the inbox.
			redirect(w, "/referrals")
		case answer == domain.ReferralAccepted && domain.KindOf(err) == domain.KindInvalid:
			s.fail(w, r, err)
		case domain.KindOf(err) == domain.KindConflict:
			s.referralAnswered(w, r, f)
		default:
			s.answer(w, r, f, err, nil)
		}
	}
}

// reachReferralAnswer checks that the visitor may answer a referral of
// the case: the case must be within reach (else 404, as for a missing
// case) and the visitor's roles must let them answer referrals. Answering
// is not changing the referral (domain.Principal.Can keeps that to the
// sending agency); the store checks that the referral is addressed to the
// visitor's agency.
func (s *site) reachReferralAnswer(r *http.Request) (domain.CaseAccess, string, error) {
	acc, number, err := s.reachPart(r, domain.PartReferrals, domain.ActRead)
	if err != nil {
		return acc, number, err
	}
	if !visitorFrom(r).p.MayAnswerReferrals() {
		return acc, number, domain.Errorf(domain.KindForbidden, "answering referrals is not allowed")
	}
	return acc, number, nil
}
