// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// fixedNow is the clock of the contract tests.
var fixedNow = time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)

// PostgresURL is the server the tests use: VIGIE_TEST_POSTGRES, or the
// local server these machines run.
func PostgresURL() string {
	if u := os.Getenv("VIGIE_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// forEachDB runs fn against a fresh, migrated SQLite database and a fresh
// PostgreSQL schema. Without a reachable PostgreSQL the postgres half is
// skipped with a message, except under CI=true where it fails.
func forEachDB(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, MustOpenSQLite(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, MustOpenPostgres(t))
	})
}

func MustOpenSQLite(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	db, err := sqlstore.Open(context.Background(), "", filepath.Join(tb.TempDir(), "data"))
	if err != nil {
		tb.Fatal(err)
	}
	return mustMigrate(tb, db)
}

func MustOpenPostgres(tb testing.TB) *sqlstore.DB {
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
	db, err := sqlstore.Open(context.Background(), base+sep+"search_path="+schema, "")
	if err != nil {
		tb.Fatal(err)
	}
	return mustMigrate(tb, db)
}

func mustMigrate(tb testing.TB, db *sqlstore.DB) *sqlstore.DB {
	tb.Helper()
	db.Now = func() time.Time { return fixedNow }
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

// MustCreateAgency creates an agency with this code.
func MustCreateAgency(tb testing.TB, db *sqlstore.DB, code string) *domain.Agency {
	tb.Helper()
	a := &domain.Agency{Code: code, Name: "Agence " + code, Type: "NGO"}
	if err := db.CreateAgency(context.Background(), a); err != nil {
		tb.Fatal(err)
	}
	return a
}

// NewCase returns a valid case of agency; mutate it before creating.
func NewCase(agency string) *domain.Case {
	return &domain.Case{
		Agency:           agency,
		Status:           "Active",
		RegistrationDate: domain.NewDate(2026, 3, 14),
		Person: domain.Person{
			FirstName: "Mbuyi", SecondName: "Kabasele wa Ngalula", Gender: "Feminine",
			Birthdate: domain.NewDate(2009, 5, 2), Citizenship: []string{"CD"},
			MobilePhone: "+243812345678", PrimaryLanguage: "lin",
		},
		Victim: domain.Victim{
			TraffickingStatus:  "PossibleVictimOfTrafficking",
			TypeOfExploitation: []string{"ForcedLabour"},
			MethodsOfControl:   []string{"DebtBondage", "WithholdsDocuments"},
		},
		Events: []*domain.Event{{Type: "Exploitation", Country: "CD", State: "Haut-Katanga", City: "Kolwezi"}},
	}
}

// MustCreateCase creates c.
func MustCreateCase(tb testing.TB, db *sqlstore.DB, c *domain.Case) *domain.Case {
	tb.Helper()
	if err := db.CreateCase(context.Background(), c); err != nil {
		tb.Fatalf("creating case: %v", err)
	}
	return c
}

func wantKind(tb testing.TB, err error, kind domain.Kind) {
	tb.Helper()
	if got := domain.KindOf(err); got != kind {
		tb.Fatalf("got error kind %q (%v), want %q", got, err, kind)
	}
}
