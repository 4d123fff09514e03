// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"strings"
)

// planQuery is one query whose plan a test inspects.
type planQuery struct {
	q    string
	args []any
}

// queryPlans returns each query's plan by name, with sequential scans
// disabled on PostgreSQL (on a test-sized table a scan is cheapest; the
// question is whether an index can be used at all).
func queryPlans(ctx context.Context, db *DB, queries map[string]planQuery) (map[string]string, error) {
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
			err = rows.Err()
			rows.Close()
			if err != nil {
				return err
			}
			out[name] = strings.Join(plan, "\n")
		}
		return nil
	})
	return out, err
}
