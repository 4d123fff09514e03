// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"testing"

	"vigie/internal/sqlstore"
)

// TestPrepareBulkImport: an import shrinks the SQLite writer's page cache
// from the server's 32 MB to 8 MB (the bound on an import's peak memory),
// the setting holds across the import's transactions, and cases are still
// written; on PostgreSQL it changes nothing and fails nothing.
func TestPrepareBulkImport(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		before, err := db.WriterCacheKiB(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.PrepareBulkImport(ctx); err != nil {
			t.Fatalf("PrepareBulkImport: %v", err)
		}
		MustCreateAgency(t, db, "KIN")
		for range 3 {
			MustCreateCase(t, db, NewCase("KIN"))
		}
		after, err := db.WriterCacheKiB(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if db.Dialect() == "postgres" {
			if before != 0 || after != 0 {
				t.Errorf("PostgreSQL: cache %d → %d KiB, want 0 (not SQLite's setting)", before, after)
			}
			return
		}
		if before != 32768 || after != 8192 {
			t.Errorf("SQLite writer cache %d → %d KiB, want 32768 → 8192", before, after)
		}
	})
}
