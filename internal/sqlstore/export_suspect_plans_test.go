// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"strings"

	"vigie/internal/domain"
)

// SuspectPlansForTest returns the query plans of the registry's lists and
// lookups, by name, with sequential scans disabled on PostgreSQL (on a
// test-sized table a scan is cheapest; the question is whether an index
// can be used at all).
func SuspectPlansForTest(ctx context.Context, db *DB, agencyID, caseID, suspectID string) (map[string]string, error) {
	out := map[string]string{}
	err := db.write(ctx, func(t *tx) error {
		queries := map[string]struct {
			q    string
			args []any
		}{
			"links of a suspect":     {linkSelect + `WHERE l.suspect_id = ? ORDER BY l.id`, []any{suspectID}},
			"links of a case":        {linkSelect + `WHERE l.case_id = ? ORDER BY l.id`, []any{caseID}},
			"name key, agency scope": {`SELECT suspect_id FROM suspect_name_index WHERE agency_id = ? AND key = ? LIMIT ?`, []any{agencyID, []byte("k"), 10}},
			"name key":               {`SELECT suspect_id FROM suspect_name_index WHERE key = ? LIMIT ?`, []any{[]byte("k"), 10}},
		}
		for name, f := range map[string]domain.SuspectFilter{
			"list an agency reaches": {Reach: agencyID, Limit: 50},
			"list of a case":         {CaseID: caseID, Limit: 50},
		} {
			where, args, err := suspectFilter(ctx, t, &f)
			if err != nil {
				return err
			}
			queries[name] = struct {
				q    string
				args []any
			}{suspectListSQL(where), append(args, f.Limit, 0)}
		}
		explain := `EXPLAIN QUERY PLAN `
		if t.d == postgresDialect {
			explain = `EXPLAIN `
			if _, err := t.exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
				return err
			}
		}
		for name, q := range queries {
			rows, err := t.query(ctx, explain+q.q, q.args...)
			if err != nil {
				return err
			}
			cols, _ := rows.Columns()
			var plan []string
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					rows.Close()
					return err
				}
				switch v := vals[len(vals)-1].(type) {
				case string:
					plan = append(plan, v)
				case []byte:
					plan = append(plan, string(v))
				}
			}
			rows.Close()
			out[name] = strings.Join(plan, "\n")
		}
		return nil
	})
	return out, err
}
