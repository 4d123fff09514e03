// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

// WriterPragmaForTest reads an integer pragma on SQLite's writer
// connection.
func WriterPragmaForTest(db *DB, name string) (int, error) {
	var n int
	err := db.w.QueryRow("PRAGMA " + name).Scan(&n)
	return n, err
}
