// SPDX-License-Identifier: AGPL-3.0-or-later

// Package sqltest opens real test databases — SQLite in a temporary
// directory and a fresh schema on PostgreSQL — so that every package's
// tests can run against both. Only tests import it.
package sqltest

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"vigie/internal/seal"
	"vigie/internal/sqlstore"
)

// PostgresURL is the server the tests use: VIGIE_TEST_POSTGRES, or the
// local server these machines run.
func PostgresURL() string {
	if u := os.Getenv("VIGIE_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// ForEachDB runs fn as two parallel subtests, "sqlite" and "postgres",
// each with a fresh migrated database whose clock is now. Without a
// reachable PostgreSQL the postgres half is skipped with a message, except
// under CI=true where it fails.
func ForEachDB(t *testing.T, now time.Time, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, MustOpenSQLite(t, now))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, MustOpenPostgres(t, now))
	})
}

// MustOpenSQLite opens a migrated SQLite database in a temporary directory.
func MustOpenSQLite(tb testing.TB, now time.Time) *sqlstore.DB {
	tb.Helper()
	db, err := sqlstore.Open(context.Background(), "", filepath.Join(tb.TempDir(), "data"))
	if err != nil {
		tb.Fatal(err)
	}
	return mustMigrate(tb, db, now)
}

// MustOpenPostgres opens a migrated fresh schema on the test server.
func MustOpenPostgres(tb testing.TB, now time.Time) *sqlstore.DB {
	tb.Helper()
	db, err := sqlstore.Open(context.Background(), PostgresSchemaURL(tb), "")
	if err != nil {
		tb.Fatal(err)
	}
	return mustMigrate(tb, db, now)
}

// PostgresSchemaURL creates a fresh schema on the test server, dropped
// when the test ends, and returns a URL whose connections use it.
func PostgresSchemaURL(tb testing.TB) string {
	tb.Helper()
	base := PostgresURL()
	admin, err := sql.Open("pgx", base)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = admin.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("PostgreSQL at %s is unreachable and CI=true: %v", base, err)
		}
		tb.Skipf("PostgreSQL at %s is unreachable (%v); set VIGIE_TEST_POSTGRES to run these tests", base, err)
	}
	schema := "t_" + strings.ReplaceAll(uuid.NewString(), "-", "")
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

func mustMigrate(tb testing.TB, db *sqlstore.DB, now time.Time) *sqlstore.DB {
	tb.Helper()
	if !now.IsZero() {
		db.Now = func() time.Time { return now }
	}
	db.SetKeys(seal.NewTestKeyring())
	tb.Cleanup(func() {
		// Every test leaves the counts cube consistent with its cases.
		if err := db.VerifyCounts(context.Background()); err != nil {
			tb.Errorf("after the test: %v", err)
		}
		db.Close()
	})
	if _, err := db.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return db
}
