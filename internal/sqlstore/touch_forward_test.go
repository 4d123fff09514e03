// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"time"
)

// SetUpdatedAtForTest writes a case's updated_at as the store does, to
// play a transaction that committed a later time first.
func SetUpdatedAtForTest(db *DB, caseID string, at time.Time) error {
	_, err := db.w.ExecContext(context.Background(), db.dialect.rebind(`UPDATE cases SET updated_at = ? WHERE id = ?`), db.dialect.ts(at), caseID)
	return err
}
