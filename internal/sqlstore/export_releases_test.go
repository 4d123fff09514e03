// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"

	"vigie/internal/domain"
)

// ReleasePlansForTest returns the query plans of the release area's
// queries (PostgreSQL: sequential scans off, as ExplainAuditForTest).
func ReleasePlansForTest(ctx context.Context, db *DB) (map[string]string, error) {
	draft := domain.ReleaseDraft
	byStatus, sargs, countStatus, cargs := releasesQuery(domain.ReleaseFilter{Status: &draft, Limit: 50})
	all, aargs, _, _ := releasesQuery(domain.ReleaseFilter{Limit: 50})
	queries := map[string]planQuery{
		"releases":           {all, aargs},
		"releases by status": {byStatus, sargs},
		"count by status":    {countStatus, cargs},
		"budget":             {spendsQuery, []any{2026, 2020}},
		"rows":               {releaseRowsQuery, []any{2020, 2026, "NotAVictimOfTrafficking"}},
	}
	return queryPlans(ctx, db, queries)
}
