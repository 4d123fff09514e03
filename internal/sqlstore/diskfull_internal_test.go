// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"vigie/internal/domain"
	"vigie/internal/seal"
)

// TestDiskFull: a write refused because the disk is full says so and is
// "database unavailable" (exit 7), on both databases — an import onto a
// full disk exited 1, 'internal error: inserting into cases failed
// (database or disk is full (13))'. SQLite's own refusal is made with a
// page limit; PostgreSQL's code (53100) is given to classify.
func TestDiskFull(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", filepath.Join(t.TempDir(), "d"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetKeys(seal.NewTestKeyring())
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.EnsureAgency(ctx, "KIN", "Kinshasa"); err != nil {
		t.Fatal(err)
	}
	var pages int
	if err := db.w.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages+1)); err != nil {
		t.Fatal(err)
	}
	var cases []*domain.Case
	for i := range 2000 {
		cases = append(cases, &domain.Case{Agency: "KIN", SourceKey: fmt.Sprintf("full:%d", i), Person: domain.Person{Citizenship: []string{"CD"}}, Victim: domain.Victim{TraffickingStatus: "ActualVictimOfTrafficking"}})
	}
	_, sqliteErr := db.ImportCases(ctx, cases)
	tests := []struct {
		name string
		err  error
	}{
		{"sqlite", sqliteErr},
		{"postgres", classify(&pgconn.PgError{Code: "53100", Message: "could not extend file"}, "inserting into cases")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if domain.KindOf(tt.err) != domain.KindUnavailable || !strings.Contains(domain.SafeMessage(tt.err), "disk of the database is full") {
				t.Fatalf("kind %q, message %q (%v)", domain.KindOf(tt.err), domain.SafeMessage(tt.err), tt.err)
			}
		})
	}
}
