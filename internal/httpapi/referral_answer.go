// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"context"
	"net/http"

	"vigie/internal/domain"
)

// referralAnswers is what answering a referral needs of the case store
// beyond domain.CaseService (the SQL store has it; the pages use it too).
type referralAnswers interface {
	AnswerReferral(ctx context.Context, caseRef, id, agency, answer, reason string) error
	ReferralAnswers(ctx context.Context, caseRef string) (map[string]*domain.ReferralAnswer, error)
}

func (a *api) answers() (referralAnswers, error) {
	s, ok := a.Cases.(referralAnswers)
	if !ok {
		return nil, domain.Errorf(domain.KindInternal, "the case store cannot answer referrals")
	}
	return s, nil
}

// answerBody is the body of POST …/referrals/{id}/answer.
type answerBody struct {
	Answer string `json:"answer"`
	Reason string `json:"reason,omitempty"`
}

// Validate checks the answer (decodeJSON runs it too, to list every
// mistake of a body in one answer).
func (b *answerBody) Validate() error { return domain.ValidateReferralAnswer(b.Answer, b.Reason) }

// answerReferral is POST /api/v1/cases/{ref}/referrals/{id}/answer: the
// agency a case is referred to accepts it or declines it with a reason,
// as on the pages (« Dossiers reçus »). Only that agency may answer, once;
// for any other the referral does not exist (404). Declining closes the
// referral, which ends the agency's access to the case.
func (a *api) answerReferral(w http.ResponseWriter, r *http.Request) error {
	var body answerBody
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	if err := body.Validate(); err != nil {
		return err
	}
	st, acc, number, err := a.reachReferrals(r)
	if err != nil {
		return err
	}
	p := principal(r)
	if !p.MayAnswerReferrals() {
		return domain.Errorf(domain.KindForbidden, "votre rôle ne permet pas de répondre aux orientations / your role may not answer referrals")
	}
	id := r.PathValue("id")
	if err := st.AnswerReferral(r.Context(), acc.CaseID, id, p.Agency, body.Answer, body.Reason); err != nil {
		return err
	}
	return a.writeAnswer(w, r, st, acc, number, id, http.StatusCreated)
}

// getReferralAnswer is GET /api/v1/cases/{ref}/referrals/{id}/answer: the
// answer given to a referral, for the agency that sent it and the one
// that received it (404 while none was given).
func (a *api) getReferralAnswer(w http.ResponseWriter, r *http.Request) error {
	st, acc, number, err := a.reachReferrals(r)
	if err != nil {
		return err
	}
	return a.writeAnswer(w, r, st, acc, number, r.PathValue("id"), http.StatusOK)
}

// reachReferrals is the store that answers referrals and the case of the
// request, when the caller may read its referrals.
func (a *api) reachReferrals(r *http.Request) (referralAnswers, domain.CaseAccess, string, error) {
	st, err := a.answers()
	if err != nil {
		return nil, domain.CaseAccess{}, "", err
	}
	acc, number, err := a.reachCase(r, r.PathValue("ref"), domain.PartResource(domain.PartReferrals), domain.ActRead)
	return st, acc, number, err
}

func (a *api) writeAnswer(w http.ResponseWriter, r *http.Request, st referralAnswers, acc domain.CaseAccess, number, id string, status int) error {
	all, err := st.ReferralAnswers(r.Context(), acc.CaseID)
	if err != nil {
		return err
	}
	ans, ok := all[id]
	if !ok {
		return domain.Errorf(domain.KindNotFound, "l'orientation %[1]s du dossier %[2]s n'a pas de réponse / referral %[1]s of case %[2]s has no answer", id, number)
	}
	// A decline's reason is the receiving agency's note on the victim's
	// case: read like the case's referrals, and audited so.
	res := domain.PartResource(domain.PartReferrals)
	if err := a.auditCaseRead(r, acc, number, res, []domain.Resource{res}); err != nil {
		return err
	}
	writeJSON(w, status, ans)
	return nil
}
