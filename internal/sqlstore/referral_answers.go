// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"

	"vigie/internal/domain"
)

func answerAAD(referralID string) string { return "referral_answer/" + referralID + "/reason" }

// AnswerReferral records agency's answer to the active referral id of a
// case. Only the agency the referral sends the case to may answer, once;
// for anyone else the referral does not exist. Declining closes the
// referral in the same transaction, which ends the agency's access
// (changePart rewrites case_access from the referrals).
func (db *DB) AnswerReferral(ctx context.Context, caseRef, id, agency, answer, reason string) error {
	if err := domain.ValidateReferralAnswer(answer, reason); err != nil {
		return err
	}
	return db.changePart(ctx, caseRef, domain.PartReferrals, func(t *tx, c *domain.Case, e *domain.AuditEntry) error {
		p, err := findPart(c, domain.PartReferrals, id)
		if err != nil {
			return err
		}
		r := p.(*domain.Referral)
		if !r.GivesAccess() || r.ReferredAgency != agency {
			return domain.Errorf(domain.KindNotFound, "case %s has no active referral %s to %s", c.Number, id, agency)
		}
		var n int
		if err := t.queryRow(ctx, `SELECT count(*) FROM referral_answers WHERE referral_id = ?`, id).Scan(&n); err != nil {
			return classify(err, "reading referral answers")
		}
		if n > 0 {
			return domain.Errorf(domain.KindConflict, "referral %s of case %s was already answered", id, c.Number)
		}
		aid, err := agencyID(ctx, t, agency)
		if err != nil {
			return err
		}
		dek := t.keyOf(c.ID).dek
		e.Action, e.RecordID = domain.AuditUpdate, id
		e.Detail = map[string]any{"answer": answer}
		if answer == domain.ReferralDeclined {
			before := r.Version
			r.ReferralStatus = domain.ReferralClosed
			data, err := encodePart(dek, domain.PartReferrals, r)
			if err != nil {
				return err
			}
			r.Version, r.UpdatedAt = before+1, t.now
			res, err := t.exec(ctx, `UPDATE referrals SET data = ?, version = ?, updated_at = ? WHERE id = ? AND case_id = ? AND version = ?`,
				data, r.Version, t.d.ts(t.now), id, c.ID, before)
			if err != nil {
				return classify(err, "closing referral")
			}
			if k, _ := res.RowsAffected(); k != 1 {
				return staleVersion("referrals "+id, before, -1)
			}
			e.Detail["fields"], e.Detail["version"] = []string{"vig_ReferralStatus"}, r.Version
		}
		var sealed []byte
		if reason != "" {
			if sealed, err = sealBytes(dek, []byte(reason), answerAAD(id)); err != nil {
				return err
			}
		}
		_, err = t.exec(ctx, `INSERT INTO referral_answers (referral_id, case_id, agency_id, answer, reason, answered_by, answered_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, c.ID, aid, answer, sealed, actorEmail(ctx), t.d.ts(t.now))
		return classify(err, "recording referral answer")
	})
}

// ReferralAnswers returns the answers given to a case's referrals, by
// referral ID, reasons opened.
func (db *DB) ReferralAnswers(ctx context.Context, caseRef string) (map[string]*domain.ReferralAnswer, error) {
	out := map[string]*domain.ReferralAnswer{}
	err := db.read(ctx, func(t *tx) error {
		c, err := loadCase(ctx, t, caseRef, false)
		if err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT r.referral_id, a.code, r.answer, r.reason, r.answered_by, r.answered_at
			FROM referral_answers r JOIN agencies a ON a.id = r.agency_id WHERE r.case_id = ?`, c.ID)
		if err != nil {
			return classify(err, "reading referral answers")
		}
		defer rows.Close()
		for rows.Next() {
			var a domain.ReferralAnswer
			var reason []byte
			var at dbTime
			if err := rows.Scan(&a.ReferralID, &a.Agency, &a.Answer, &reason, &a.AnsweredBy, &at); err != nil {
				return classify(err, "reading referral answers")
			}
			a.AnsweredAt = at.t
			if a.Reason, err = openText(t.keyOf(c.ID).dek, reason, answerAAD(a.ReferralID)); err != nil {
				return err
			}
			out[a.ReferralID] = &a
		}
		return classify(rows.Err(), "reading referral answers")
	})
	return out, err
}

// ReferralInbox lists the cases actively referred to an agency with the
// answer given so far: waiting ones first, then newest first.
func (db *DB) ReferralInbox(ctx context.Context, agencyID string, limit int) ([]domain.InboxReferral, error) {
	var out []domain.InboxReferral
	err := db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT c.number, a.code, x.referral_id, p.created_at, COALESCE(r.answer, '')
			FROM case_access x JOIN cases c ON c.id = x.case_id JOIN agencies a ON a.id = c.agency_id
			JOIN referrals p ON p.id = x.referral_id
			LEFT JOIN referral_answers r ON r.referral_id = x.referral_id
			WHERE x.agency_id = ?
			ORDER BY CASE WHEN r.answer IS NULL THEN 0 ELSE 1 END, p.created_at DESC, c.number LIMIT ?`, agencyID, limit)
		if err != nil {
			return classify(err, "listing referrals")
		}
		defer rows.Close()
		for rows.Next() {
			var r domain.InboxReferral
			var at dbTime
			if err := rows.Scan(&r.CaseNumber, &r.From, &r.ReferralID, &at, &r.Answer); err != nil {
				return classify(err, "listing referrals")
			}
			r.SentAt = at.t
			out = append(out, r)
		}
		return classify(rows.Err(), "listing referrals")
	})
	return out, err
}
