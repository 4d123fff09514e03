// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import "context"

// Analyze refreshes the planner's statistics after a large change (an
// import), so that list queries keep choosing the right index. SQLite
// samples (analysis_limit) to stay fast on millions of rows.
func (db *DB) Analyze(ctx context.Context) error {
	var stmts []string
	if db.dialect == postgresDialect {
		// VACUUM, not only ANALYZE, for the name index: its lookups are
		// index-only scans, which read the table for every row until the
		// visibility map says its pages are all visible.
		stmts = []string{`ANALYZE cases, case_citizenships, case_exploitation, case_exploitation_countries, case_counts`, `VACUUM (ANALYZE) name_index`}
	} else {
		stmts = []string{`PRAGMA analysis_limit = 2000`, `ANALYZE`}
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return classify(err, "analyzing")
	}
	defer conn.Close()
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return classify(err, "analyzing")
		}
	}
	return nil
}
