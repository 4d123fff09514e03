// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestPartChangeMovesUpdatedAtForward: a change of a part moves the case's
// updated_at forward, never back. On PostgreSQL a transaction that began
// before another's commit wrote its earlier time over the later one, and a
// client that had read the later one got 422 validation.read_only for
// parts it had not seen, instead of 409. Here the later time is written
// first by hand.
func TestPartChangeMovesUpdatedAtForward(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		c := MustCreateCase(t, db, NewCase("KIN"))
		later := time.Now().UTC().Add(time.Hour).Truncate(time.Microsecond)
		if err := sqlstore.SetUpdatedAtForTest(db, c.ID, later); err != nil {
			t.Fatal(err)
		}
		if err := db.AddPart(ctx, c.ID, domain.PartComments, &domain.Comment{Text: "Vue au centre"}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.UpdatedAt.Before(later) {
			t.Fatalf("updated_at went back: %s, was %s", got.UpdatedAt, later)
		}
		if db.Dialect() == "postgres" && !got.UpdatedAt.After(later) {
			t.Fatalf("updated_at did not move: %s", got.UpdatedAt)
		}
	})
}
