// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

// SetWalkBound lets tests make list walks hit their bound on small data.
func SetWalkBound(db *DB, n int) { db.walkBound = n }

// SetPlaintext turns sealing off (benchmarks of the cost of encryption
// only; never in parallel with other tests).
func SetPlaintext(off bool) { benchPlaintext = off }
