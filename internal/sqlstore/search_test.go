// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// rareWord returns a distinct made-up name for i, so that the crowd
// around a search has names of its own.
func rareWord(i int) string {
	const cons, vow = "bdgklmnstz", "aeiou"
	w := []byte{'K'}
	for n := i + 1; n > 0; n /= 50 {
		w = append(w, vow[n%5], cons[(n/5)%10])
	}
	return string(w) + "a"
}

// TestSearchCommonNames: the searched person's given name and surname are
// each shared by more cases than a search reads per key, so only the
// pair key can find them; the scope must hold for the crowd and for the
// person.
func TestSearchCommonNames(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateAgency(t, db, "GOM")
		MustCreateAgency(t, db, "LUB")
		var crowd []*domain.Case
		for i := range 1100 {
			a, b := NewCase("KIN"), NewCase("KIN")
			a.Person.FirstName, a.Person.SecondName = "Jean", rareWord(i)
			b.Person.FirstName, b.Person.SecondName = rareWord(i+5000), "Mukendi"
			a.SourceKey, b.SourceKey = fmt.Sprint("a", i), fmt.Sprint("b", i)
			crowd = append(crowd, a, b)
		}
		if res, err := db.ImportCases(ctx, crowd); err != nil || res.Created != len(crowd) {
			t.Fatalf("import: %+v %v", res, err)
		}
		target := NewCase("GOM")
		target.Person.FirstName, target.Person.SecondName = "Jean", "Mukendi"
		MustCreateCase(t, db, target)
		gom, kin, lub := agencyID(t, db, "GOM"), agencyID(t, db, "KIN"), agencyID(t, db, "LUB")

		tests := []struct {
			query, scope string
			want         bool
		}{
			{"Jean Mukendi", "", true},
			{"Moukendi Jean", "", true}, // order and spelling
			{"Jean Mukendi", gom, true},
			{"Jean Mukendi", kin, false}, // another agency's case
			{"Jean Mukendi", lub, false},
			{"Pierre Kasongo", "", false},
		}
		for _, tt := range tests {
			got, err := db.SearchNames(ctx, tt.query, tt.scope, 0.5, 20)
			if err != nil {
				t.Fatal(err)
			}
			if has(got, target.Number) != tt.want {
				t.Errorf("search %q scope %q: found %v, want found=%v", tt.query, tt.scope, numbers(got), tt.want)
			}
			for _, m := range got {
				if tt.scope == lub || (tt.scope == gom && m.Agency != "GOM") {
					t.Errorf("search %q scoped to %s returned %s of %s", tt.query, tt.scope, m.CaseNumber, m.Agency)
				}
			}
		}

		// A rare surname is found through its own key, among a crowd of Jeans.
		got, err := db.SearchNames(ctx, "Jean "+rareWord(7), kin, 0.5, 5)
		if err != nil || len(got) == 0 || got[0].Score < 0.99 {
			t.Fatalf("rare surname: %+v %v", got, err)
		}

		// An active referral to LUB brings the case into LUB's searches.
		MustConsent(t, db, target.Number)
		if err := db.AddPart(ctx, target.Number, domain.PartReferrals, &domain.Referral{Direction: "outgoing", ReferredOrganisation: "Agence LUB", ReferredAgency: "LUB"}); err != nil {
			t.Fatal(err)
		}
		got, err = db.SearchNames(ctx, "Jean Mukendi", lub, 0.5, 20)
		if err != nil || !has(got, target.Number) {
			t.Fatalf("referred case not found by the receiving agency: %v %v", numbers(got), err)
		}
	})
}

// TestRebuildNameIndex: cases queued by a migration get their keys back
// (pairs included) when the store is opened with its key file.
func TestRebuildNameIndex(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		c := NewCase("KIN")
		c.Person.FirstName, c.Person.SecondName = "Jeanne", "Ilunga"
		MustCreateCase(t, db, c)
		// What migration 0004 leaves: rows without pair keys, case queued.
		mustExec(t, db, `DELETE FROM name_index WHERE case_id = ?`, c.ID)
		mustExec(t, db, `INSERT INTO name_index_pending (case_id) VALUES (?)`, c.ID)
		if got, _ := db.SearchNames(ctx, "Jeanne Ilunga", "", 0.5, 5); has(got, c.Number) {
			t.Fatal("found before the rebuild: the test does not test anything")
		}
		n, err := db.RebuildNameIndex(ctx)
		if err != nil || n != 1 {
			t.Fatalf("rebuilt %d, %v; want 1", n, err)
		}
		if got, _ := db.SearchNames(ctx, "Jeanne Ilunga", "", 0.5, 5); !has(got, c.Number) {
			t.Fatal("not found after the rebuild")
		}
		if n, err := db.RebuildNameIndex(ctx); err != nil || n != 0 {
			t.Fatalf("second rebuild: %d, %v; want nothing left", n, err)
		}
	})
}

func has(ms []domain.NameMatch, number string) bool {
	for _, m := range ms {
		if m.CaseNumber == number {
			return true
		}
	}
	return false
}

func numbers(ms []domain.NameMatch) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.CaseNumber
	}
	return out
}

func agencyID(t *testing.T, db *sqlstore.DB, code string) string {
	t.Helper()
	a, err := db.Agency(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}
