// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"

	"vigie/internal/domain"
)

// JusticePlansForTest returns the query plans of the justice lists, by
// name, with sequential scans disabled on PostgreSQL (on a test-sized
// table a scan is cheapest; the question is whether an index can be
// used at all).
func JusticePlansForTest(ctx context.Context, db *DB, agency, caseID, proceedingID string) (map[string]string, error) {
	list, args, _ := proceedingsQuery(domain.ProceedingFilter{Agency: agency, Limit: 50})
	byCase, cargs, _ := proceedingsQuery(domain.ProceedingFilter{CaseID: caseID, Limit: 50})
	queries := map[string]planQuery{
		"proceedings by agency": {list, args},
		"proceedings by case":   {byCase, cargs},
		"steps of a proceeding": {stepsQuery(`j.proceeding_id = ?`), []any{proceedingID}},
		"a case's proceedings":  {caseProceedingsQuery, []any{caseID, string(domain.StepVictim)}},
	}
	return queryPlans(ctx, db, queries)
}
