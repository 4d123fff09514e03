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

// TestReadOnlyDatabase: a database Vigie may read but not write (a
// vigie.db of mode 0444 or on a read-only disk, a PostgreSQL standby or a
// role whose transactions are read-only) says so, as a database that cannot
// be used (exit 7, 503) — it was 'erreur interne / internal error:
// starting a transaction failed (attempt to write a readonly database
// (8))', exit 1, which sent the operator to look for a bug.
func TestReadOnlyDatabase(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		open func(t *testing.T) *sqlstore.DB
	}{
		{"sqlite", func(t *testing.T) *sqlstore.DB {
			db := sqltest.MustOpenSQLite(t, time.Time{})
			// The writer pool has one connection: what
			// chmod 0444 does for a user other than root.
			mustExec(t, db, `PRAGMA query_only = 1`)
			return db
		}},
		{"postgres", func(t *testing.T) *sqlstore.DB {
			url := sqltest.PostgresSchemaURL(t)
			migrated, err := sqlstore.Open(ctx, url, "")
			if err != nil {
				t.Fatal(err)
			}
			defer migrated.Close()
			if _, err := migrated.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			db, err := sqlstore.Open(ctx, url+"&default_transaction_read_only=on", "")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := tt.open(t)
			err := db.CreateAgency(ctx, &domain.Agency{Code: "KIN", Name: "Kinshasa"})
			if domain.KindOf(err) != domain.KindUnavailable || !strings.Contains(domain.SafeMessage(err), "read-only") {
				t.Fatalf("CreateAgency on a read-only database = %v (%s), want unavailable saying read-only", err, domain.SafeMessage(err))
			}
		})
	}
}
