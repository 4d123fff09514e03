// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"errors"

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
	plans, err := queryPlans(ctx, db, map[string]planQuery{"": {q, args}})
	return plans[""], err
}
