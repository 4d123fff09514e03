// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"

	"vigie/internal/domain"
)

// syncFollowUps rewrites the follow_ups rows of a case from its support
// plans: one per plan with a planned end date and no actual end date.
// Called wherever support plans are written, in the same transaction.
func (t *tx) syncFollowUps(ctx context.Context, c *domain.Case) error {
	if _, err := t.exec(ctx, `DELETE FROM follow_ups WHERE case_id = ?`, c.ID); err != nil {
		return classify(err, "updating follow-ups")
	}
	var rows [][]any
	for _, p := range c.SupportPlans {
		if p == nil || p.ID == "" || p.PlannedEndDate.IsZero() || p.PlannedEndDate.Malformed() || !p.ActualEndDate.IsZero() {
			continue
		}
		rows = append(rows, []any{p.ID, c.ID, t.d.date(p.PlannedEndDate)})
	}
	return t.insertRows(ctx, "follow_ups", []string{"plan_id", "case_id", "due_on"}, rows)
}

// FollowUpsDue lists the open support plans due on or before until, of
// the open cases an agency reaches (its own and those actively referred
// to it), soonest first.
func (db *DB) FollowUpsDue(ctx context.Context, agencyID string, until domain.Date, limit int) ([]domain.FollowUp, error) {
	var out []domain.FollowUp
	err := db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT c.number, f.plan_id, f.due_on FROM follow_ups f JOIN cases c ON c.id = f.case_id
			WHERE f.due_on <= ? AND c.status NOT IN ('Closed', 'ClosedReferred')
			AND (c.agency_id = ? OR EXISTS (SELECT 1 FROM case_access x WHERE x.case_id = f.case_id AND x.agency_id = ?))
			ORDER BY f.due_on, c.number LIMIT ?`, t.d.date(until), agencyID, agencyID, limit)
		if err != nil {
			return classify(err, "listing follow-ups")
		}
		defer rows.Close()
		for rows.Next() {
			var f domain.FollowUp
			var due dbDate
			if err := rows.Scan(&f.CaseNumber, &f.PlanID, &due); err != nil {
				return classify(err, "listing follow-ups")
			}
			f.Due = due.d
			out = append(out, f)
		}
		return classify(rows.Err(), "listing follow-ups")
	})
	return out, err
}
