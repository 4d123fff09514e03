// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import "context"

// drainQueue empties a queue that a migration filled with records only the
// key file can bring up to date (the migration's SQL cannot read sealed
// columns): it reads up to batch ids with q (whose one argument is the
// batch size) and hands them to fix in one write transaction, which takes
// them off the queue; until the queue is empty. An interruption leaves
// the rest queued for the next open. It returns the sum of what fix
// returned.
func (db *DB) drainQueue(ctx context.Context, doing, q string, batch int, fix func(t *tx, ids []string) (int, error)) (int, error) {
	done := 0
	for {
		var ids []string
		err := db.read(ctx, func(t *tx) error {
			var err error
			ids, err = t.caseIDs(ctx, doing, q, batch)
			return err
		})
		if err != nil || len(ids) == 0 {
			return done, err
		}
		var n int
		err = db.write(ctx, func(t *tx) error {
			var err error
			n, err = fix(t, ids)
			return err
		})
		if err != nil {
			return done, err
		}
		done += n
	}
}
