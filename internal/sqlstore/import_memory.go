// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"strconv"
)

// importCacheKiB is the SQLite writer's page cache during a bulk import.
// The server keeps 32 MB (db.go): interactive writes touch the same hot
// index pages again and again. An import writes every index of cases in
// new places, so most of a large cache is pages it will not touch again,
// and it is resident memory: measured on 1,000,000 generated records
// (2 cores), peak RSS 216 MB with 32 MB of cache, 162 MB with 8 MB, the
// same user CPU (71 s), 10 s more system time reading pages back from
// the OS cache. Issue 2 bounds an import's peak RSS at 200 MB.
const importCacheKiB = 8192

// PrepareBulkImport sets up the connection for a long import. On SQLite
// it shrinks the writer's page cache (see importCacheKiB); the writer is
// one connection that is never closed while idle, so the setting holds
// for the import. PostgreSQL's memory is the server's: nothing to do.
func (db *DB) PrepareBulkImport(ctx context.Context) error {
	if db.dialect != sqliteDialect {
		return nil
	}
	_, err := db.w.ExecContext(ctx, "PRAGMA cache_size = -"+strconv.Itoa(importCacheKiB))
	return classify(err, "setting the import's page cache")
}

// WriterCacheKiB returns the SQLite writer's page cache size in KiB (for
// tests); 0 on PostgreSQL.
func (db *DB) WriterCacheKiB(ctx context.Context) (int, error) {
	if db.dialect != sqliteDialect {
		return 0, nil
	}
	var n int
	err := db.w.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&n)
	return -n, classify(err, "reading the page cache size")
}
