// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import "context"

// RawTrainee returns what the database holds of a trainee's row, as
// text, for tests that check names are sealed.
func RawTrainee(db *DB, id string) (string, error) {
	var data, sealed []byte
	err := db.r.QueryRowContext(context.Background(), db.dialect.rebind(`SELECT data, sealed FROM training_people WHERE id = ?`), id).Scan(&data, &sealed)
	return string(data) + string(sealed), err
}
