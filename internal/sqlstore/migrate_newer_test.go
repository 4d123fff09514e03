// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestMigrateRefusesNewerDatabase: a database that records a migration
// this binary does not have (migrated by a newer Vigie, or by another
// branch in a number this one skips) is refused, naming the migration,
// and nothing is applied or changed — an older binary went on using it as
// if its schema were its own, writing rows that the newer schema's
// constraints, triggers and derived tables knew nothing of.
func TestMigrateRefusesNewerDatabase(t *testing.T) {
	known, err := sqlstore.Migrations("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	last := known[len(known)-1].Number
	skipped := 0 // a number between two known ones that no file has
	for i := 1; i < len(known); i++ {
		if known[i].Number > known[i-1].Number+1 {
			skipped = known[i-1].Number + 1
			break
		}
	}
	if skipped == 0 {
		t.Fatal("no skipped migration number to test with")
	}
	tests := []struct {
		name   string
		number int
	}{
		{"NextNumber", last + 1},
		{"FarAhead", 9999},
		{"SkippedNumber", skipped},
	}
	sqltest.ForEachDB(t, time.Now(), func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				file := "9999_from_the_future.sql"
				mustExec(t, db, `INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)`, tt.number, file, "2030-01-01T00:00:00Z")
				defer mustExec(t, db, `DELETE FROM schema_migrations WHERE number = ?`, tt.number)
				applied, err := db.Migrate(ctx)
				if len(applied) > 0 {
					t.Errorf("applied %v on a newer database", applied)
				}
				if domain.KindOf(err) != domain.KindUnavailable || !strings.Contains(domain.SafeMessage(err), file) {
					t.Fatalf("Migrate = %v (%s), want unavailable naming %s", err, domain.SafeMessage(err), file)
				}
			})
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatalf("once the unknown migration is gone: %v", err)
		}
	})
}
