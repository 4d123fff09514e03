// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"

	"vigie/internal/domain"
)

// SuspectPlansForTest returns the query plans of the registry's lists and
// lookups, by name, with sequential scans disabled on PostgreSQL (on a
// test-sized table a scan is cheapest; the question is whether an index
// can be used at all).
func SuspectPlansForTest(ctx context.Context, db *DB, agencyID, caseID, suspectID string) (map[string]string, error) {
	queries := map[string]planQuery{
		"links of a suspect":     {linkSelect + `WHERE l.suspect_id = ? ORDER BY l.id`, []any{suspectID}},
		"links of a case":        {linkSelect + `WHERE l.case_id = ? ORDER BY l.id`, []any{caseID}},
		"name key, agency scope": {`SELECT suspect_id FROM suspect_name_index WHERE agency_id = ? AND key = ? LIMIT ?`, []any{agencyID, []byte("k"), 10}},
		"name key":               {`SELECT suspect_id FROM suspect_name_index WHERE key = ? LIMIT ?`, []any{[]byte("k"), 10}},
	}
	// The list filters' SQL depends on the database's rows (reach), so it
	// is built in a transaction of its own before being explained.
	err := db.read(ctx, func(t *tx) error {
		for name, f := range map[string]domain.SuspectFilter{
			"list an agency reaches": {Reach: agencyID, Limit: 50},
			"list of a case":         {CaseID: caseID, Limit: 50},
		} {
			where, args, err := suspectFilter(ctx, t, &f)
			if err != nil {
				return err
			}
			queries[name] = planQuery{suspectListSQL(where), append(args, f.Limit, 0)}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return queryPlans(ctx, db, queries)
}
