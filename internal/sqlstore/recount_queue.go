// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"vigie/internal/domain"
)

// recountQueued drains a queue of cases that a migration filled (table,
// one case_id per row) because what they are counted under lies in their
// sealed data: each case is loaded with the keys and given to fix with the
// value its cases column (column) holds; fix moves the column, the list
// counts and the report cube when the value changed, and reports whether
// it did. Each case leaves the queue in the transaction that recounts it.
// It returns how many cases changed.
func (db *DB) recountQueued(ctx context.Context, doing, table, column string, fix func(t *tx, c *domain.Case, agencyID, stored string) (bool, error)) (int, error) {
	return db.drainQueue(ctx, doing, `SELECT case_id FROM `+table+` ORDER BY case_id LIMIT ?`, sealBatch,
		func(t *tx, ids []string) (int, error) {
			changed := 0
			for _, id := range ids {
				var stored string
				err := t.queryRow(ctx, `SELECT `+column+` FROM cases WHERE id = ?`, id).Scan(&stored)
				switch {
				case errors.Is(err, sql.ErrNoRows):
					// Deleted since (ON DELETE CASCADE does not reach the queue).
				case err != nil:
					return 0, classify(err, "reading a case to recount")
				default:
					c, err := loadCase(ctx, t, id, true)
					if err != nil {
						return 0, err
					}
					aid, err := agencyID(ctx, t, c.Agency)
					if err != nil {
						return 0, err
					}
					moved, err := fix(t, c, aid, stored)
					if err != nil {
						return 0, err
					}
					if moved {
						changed++
					}
				}
				if _, err := t.exec(ctx, `DELETE FROM `+table+` WHERE case_id = ?`, id); err != nil {
					return 0, classify(err, "recounting a case")
				}
			}
			return changed, nil
		})
}
