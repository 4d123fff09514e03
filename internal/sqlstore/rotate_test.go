// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/seal"
	"vigie/internal/sqlstore"
)

// TestKeysUnderCountsEverySealedRecord: after a rotation, what is left
// under the old master key counts every kind of record with a data key —
// cases, drafts and proceedings here — so that `keys rotate --settle`
// never drops a key a record still needs; re-wrapping brings it to zero,
// and once the old master key is dropped the proceeding and its steps
// (sealed with the proceeding's key) still read.
func TestKeysUnderCountsEverySealedRecord(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		k := seal.NewTestKeyring()
		db.SetKeys(k)
		MustCreateAgency(t, db, "KIN")
		c := MustCreateCase(t, db, NewCase("KIN"))
		owner := MustCreateDraftOwner(t, db, "cw@kin.example", "KIN")
		if err := db.SaveDraft(ctx, newDraft(owner, map[string][]string{"prs_FirstName": {"Esther"}})); err != nil {
			t.Fatal(err)
		}
		pr := &domain.Proceeding{Agency: "KIN", Complaint: domain.Complaint{Date: domain.NewDate(2026, 3, 1), Source: "NGO"}, Notes: "Avant la rotation"}
		if err := db.CreateProceeding(ctx, pr); err != nil {
			t.Fatal(err)
		}
		for _, s := range []domain.Step{&domain.Hearing{Date: domain.NewDate(2026, 6, 10), Court: "TGI Kolwezi", Notes: "Renvoi"},
			&domain.Participation{CaseNumber: c.Number, Witness: true, Notes: "Témoin protégé"}} {
			if err := db.AddStep(ctx, pr.ID, s); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := k.Rotate(); err != nil {
			t.Fatal(err)
		}
		if n, err := db.KeysUnder(ctx); err != nil || n != 3 {
			t.Fatalf("KeysUnder after the rotation = %d, %v; want 3 (the case, the draft and the proceeding)", n, err)
		}
		if _, err := db.RewrapKeys(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if n, err := db.KeysUnder(ctx); err != nil || n != 0 {
			t.Fatalf("KeysUnder after re-wrapping = %d, %v; want 0", n, err)
		}
		if dropped, err := k.DropRetired(); err != nil || len(dropped) != 1 {
			t.Fatalf("dropping the old master key: %v %v", dropped, err)
		}
		got, err := db.Proceeding(ctx, pr.ID)
		if err != nil {
			t.Fatalf("reading the proceeding after rotation: %v", err)
		}
		if got.Notes != "Avant la rotation" || len(got.Hearings) != 1 || got.Hearings[0].Notes != "Renvoi" || len(got.Victims) != 1 || got.Victims[0].Notes != "Témoin protégé" {
			t.Fatalf("after rotation: %+v", got)
		}
	})
}
