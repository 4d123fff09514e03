// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestImportSituationOfOwnAgency: an imported case (or one added by
// "vigie case add", which writes the same way) may name only a situation
// of its own agency. The foreign key checked that the situation exists,
// not whose it is, so an import linked a KIN victim to a GOM situation,
// where GOM would see the case's number (found in the acceptance pass;
// the API refused it already). An id that is not one and a situation
// named by cases of two agencies are refused too; an unknown situation
// still is, by the foreign key.
func TestImportSituationOfOwnAgency(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateAgency(t, db, "GOM")
		gom := &domain.Situation{Agency: "GOM", Title: "Réseau de Goma"}
		if err := db.CreateSituation(ctx, gom); err != nil {
			t.Fatal(err)
		}
		kin := &domain.Situation{Agency: "KIN", Title: "Réseau de Kinshasa"}
		if err := db.CreateSituation(ctx, kin); err != nil {
			t.Fatal(err)
		}
		const unknown = "01900000-0000-7000-8000-00000000000a"
		tests := []struct {
			name       string
			agency     []string // one case per agency
			situation  string
			wantErr    domain.Kind
			wantLinked int
		}{
			{"OwnAgency", []string{"KIN", "KIN"}, kin.ID, "", 2},
			{"OwnAgencyAgain", []string{"KIN"}, kin.ID, "", 3},
			{"OtherAgency", []string{"KIN"}, gom.ID, domain.KindInvalid, 0},
			{"OtherAgencyBesideOwn", []string{"GOM", "KIN"}, gom.ID, domain.KindInvalid, 0},
			{"Unknown", []string{"KIN"}, unknown, domain.KindInvalid, 0},
			{"NotAnID", []string{"KIN"}, "situation-7", domain.KindInvalid, 0},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var cases []*domain.Case
				for j, a := range tt.agency {
					c := NewCase(a)
					c.SituationID = tt.situation
					c.SourceKey = fmt.Sprintf("sit:%d:%d", i, j)
					cases = append(cases, c)
				}
				p, err := db.PrepareImport(cases)
				if err == nil {
					_, err = db.ImportPrepared(ctx, p)
				}
				if domain.KindOf(err) != tt.wantErr {
					t.Fatalf("import: %v, want kind %q", err, tt.wantErr)
				}
				if tt.wantErr != "" {
					return
				}
				s, err := db.Situation(ctx, tt.situation)
				if err != nil {
					t.Fatal(err)
				}
				if len(s.CaseNumbers) != tt.wantLinked {
					t.Fatalf("situation linking %d cases, want %d", len(s.CaseNumbers), tt.wantLinked)
				}
			})
		}
		// "vigie case add" writes through the same batch.
		c := NewCase("KIN")
		c.SituationID = gom.ID
		wantKind(t, db.CreateCase(ctx, c), domain.KindInvalid)
		if s, err := db.Situation(ctx, gom.ID); err != nil || len(s.CaseNumbers) != 0 {
			t.Fatalf("GOM's situation links %v (%v), want none", s, err)
		}
		checkCubes(t, db, "after the imports")
	})
}
