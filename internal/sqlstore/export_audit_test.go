// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"errors"
	"strings"

	"vigie/internal/domain"
)

// ExecForTest runs one statement (with ? placeholders) on the writer,
// outside the store's API: the tamper tests play the attacker with it.
func ExecForTest(db *DB, q string, args ...any) error {
	_, err := db.w.ExecContext(context.Background(), db.dialect.rebind(q), args...)
	return err
}

// VerifyAuditChunked is VerifyAudit reading chunk entries per query, so
// that tests cross chunk boundaries on small logs.
func VerifyAuditChunked(ctx context.Context, db *DB, chunk int, progress func(int64)) (int64, *domain.AuditProblem, error) {
	return db.verifyAudit(ctx, chunk, progress)
}

// ErrTestRollback is what AuditThenFailForTest's transaction returns.
var ErrTestRollback = errors.New("test: roll back")

// AuditThenFailForTest appends e inside a write transaction that then
// fails, as a data change would after its audit entry.
func AuditThenFailForTest(ctx context.Context, db *DB, e *domain.AuditEntry) error {
	return db.write(ctx, func(t *tx) error {
		if err := t.audit(ctx, e); err != nil {
			return err
		}
		return ErrTestRollback
	})
}

// ExplainAuditForTest returns the query plan of AuditEntries for f. On
// PostgreSQL sequential scans are disabled for the plan: on a test-sized
// table a scan is cheapest, and the question is whether the index can be
// used at all.
func ExplainAuditForTest(ctx context.Context, db *DB, f domain.AuditFilter) (string, error) {
	q, args, err := auditListQuery(f)
	if err != nil {
		return "", err
	}
	var plan []string
	err = db.write(ctx, func(t *tx) error {
		explain := `EXPLAIN QUERY PLAN `
		if t.d == postgresDialect {
			explain = `EXPLAIN `
			if _, err := t.exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
				return err
			}
		}
		rows, err := t.query(ctx, explain+q, args...)
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
			// The plan's text is the last column on both databases.
			switch v := vals[len(vals)-1].(type) {
			case string:
				plan = append(plan, v)
			case []byte:
				plan = append(plan, string(v))
			}
		}
		return rows.Err()
	})
	return strings.Join(plan, "\n"), err
}
