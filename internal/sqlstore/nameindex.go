// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"strings"
)

// rebuildBatch is how many cases' keys are rebuilt per transaction: small
// enough that a server starting on a large registry keeps answering
// between batches, large enough to finish a million cases in minutes.
const rebuildBatch = 500

// RebuildNameIndex rewrites the blind-index keys of the cases queued in
// name_index_pending (by a migration that changed what the index holds),
// decrypting each name once, and returns how many it rebuilt. It needs the
// key file (SetKeys) and may be interrupted: what is left stays queued.
func (db *DB) RebuildNameIndex(ctx context.Context) (int, error) {
	return db.drainQueue(ctx, "rebuilding the name index", `SELECT case_id FROM name_index_pending ORDER BY case_id LIMIT ?`, rebuildBatch,
		func(t *tx, ids []string) (int, error) {
			args := make([]any, len(ids))
			for i, id := range ids {
				args[i] = id
			}
			in := `(` + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + `)`
			rows, err := t.query(ctx, caseSelect+`WHERE c.id IN `+in, args...)
			if err != nil {
				return 0, classify(err, "rebuilding the name index")
			}
			cases, err := t.scanCases(rows)
			if err != nil {
				return 0, err
			}
			for _, c := range cases {
				if err := t.replaceNameIndex(ctx, c); err != nil {
					return 0, err
				}
			}
			_, err = t.exec(ctx, `DELETE FROM name_index_pending WHERE case_id IN `+in, args...)
			return len(ids), classify(err, "rebuilding the name index")
		})
}
