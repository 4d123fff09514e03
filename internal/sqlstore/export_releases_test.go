// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"strings"

	"vigie/internal/domain"
)

// ReleasePlansForTest returns the query plans of the release area's
// queries (PostgreSQL: sequential scans off, as ExplainAuditForTest).
func ReleasePlansForTest(ctx context.Context, db *DB) (map[string]string, error) {
	draft := domain.ReleaseDraft
	byStatus, sargs, countStatus, cargs := releasesQuery(domain.ReleaseFilter{Status: &draft, Limit: 50})
	all, aargs, _, _ := releasesQuery(domain.ReleaseFilter{Limit: 50})
	queries := map[string]struct {
		q    string
		args []any
	}{
		"releases":           {all, aargs},
		"releases by status": {byStatus, sargs},
		"count by status":    {countStatus, cargs},
		"budget":             {spendsQuery, []any{2026, 2020}},
		"rows":               {releaseRowsQuery, []any{2020, 2026, "NotAVictimOfTrafficking"}},
	}
	out := map[string]string{}
	err := db.write(ctx, func(t *tx) error {
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
