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
	done := 0
	for {
		var ids []string
		err := db.read(ctx, func(t *tx) error {
			var err error
			ids, err = t.caseIDs(ctx, "rebuilding the name index", `SELECT case_id FROM name_index_pending ORDER BY case_id LIMIT ?`, rebuildBatch)
			return err
		})
		if err != nil || len(ids) == 0 {
			return done, err
		}
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		in := `(` + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + `)`
		err = db.write(ctx, func(t *tx) error {
			rows, err := t.query(ctx, caseSelect+`WHERE c.id IN `+in, args...)
			if err != nil {
				return classify(err, "rebuilding the name index")
			}
			cases, err := t.scanCases(rows)
			if err != nil {
				return err
			}
			for _, c := range cases {
				if err := t.replaceNameIndex(ctx, c); err != nil {
					return err
				}
			}
			_, err = t.exec(ctx, `DELETE FROM name_index_pending WHERE case_id IN `+in, args...)
			return classify(err, "rebuilding the name index")
		})
		if err != nil {
			return done, err
		}
		done += len(ids)
	}
}
