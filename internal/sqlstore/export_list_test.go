// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"fmt"
	"strings"
)

// ExplainForTest returns the plan of a statement of ListQueries (already
// rewritten for the database), one line per step. On PostgreSQL sequential
// scans are switched off, so that a tiny test table shows which index the
// planner can use rather than the scan it prefers at that size.
func ExplainForTest(db *DB, q ListQuery) (string, error) {
	ctx := context.Background()
	var lines []string
	err := db.read(ctx, func(t *tx) error {
		prefix := "EXPLAIN QUERY PLAN "
		if t.d == postgresDialect {
			prefix = "EXPLAIN (COSTS OFF) "
			if _, err := t.ExecContext(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
				return err
			}
		}
		rows, err := t.QueryContext(ctx, prefix+q.SQL, q.Args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return err
		}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			lines = append(lines, fmt.Sprintf("%s", vals[len(vals)-1]))
		}
		return rows.Err()
	})
	return strings.Join(lines, "\n"), err
}
