// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"testing"

	"vigie/internal/seal"
	"vigie/internal/sqlstore"
)

// TestKeysUnderCountsEverySealedRecord: after a rotation, what is left
// under the old master key counts every kind of record with a data key —
// cases and drafts here — so that `keys rotate --settle` never drops a key
// a record still needs; re-wrapping brings it to zero.
func TestKeysUnderCountsEverySealedRecord(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		k := seal.NewTestKeyring()
		db.SetKeys(k)
		MustCreateAgency(t, db, "KIN")
		MustCreateCase(t, db, NewCase("KIN"))
		owner := MustCreateDraftOwner(t, db, "cw@kin.example", "KIN")
		if err := db.SaveDraft(ctx, newDraft(owner, map[string][]string{"prs_FirstName": {"Esther"}})); err != nil {
			t.Fatal(err)
		}
		if _, err := k.Rotate(); err != nil {
			t.Fatal(err)
		}
		if n, err := db.KeysUnder(ctx); err != nil || n != 2 {
			t.Fatalf("KeysUnder after the rotation = %d, %v; want 2 (the case and the draft)", n, err)
		}
		if _, err := db.RewrapKeys(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if n, err := db.KeysUnder(ctx); err != nil || n != 0 {
			t.Fatalf("KeysUnder after re-wrapping = %d, %v; want 0", n, err)
		}
	})
}
