// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

// SetWalkBound lets tests make list walks hit their bound on small data.
func SetWalkBound(db *DB, n int) { db.walkBound = n }
