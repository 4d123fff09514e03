// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import "context"

// SuspectStored returns a suspect's row as stored (its sealed identity)
// and its blind-index keys, for tests that check nothing is in clear.
func SuspectStored(ctx context.Context, db *DB, id string) (sealed []byte, keys [][]byte, err error) {
	err = db.read(ctx, func(t *tx) error {
		if err := t.queryRow(ctx, `SELECT sealed FROM suspects WHERE id = ?`, id).Scan(&sealed); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT key FROM suspect_name_index WHERE suspect_id = ?`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k []byte
			if err := rows.Scan(&k); err != nil {
				return err
			}
			keys = append(keys, k)
		}
		return rows.Err()
	})
	return sealed, keys, err
}
