// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"path/filepath"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/seal"
)

// TestVerifyCountsDetectsDrift proves the check used after every contract
// test can fail.
func TestVerifyCountsDetectsDrift(t *testing.T) {
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
	db.EnsureAgency(ctx, "KIN", "Kinshasa")
	c := &domain.Case{Agency: "KIN", Person: domain.Person{Citizenship: []string{"CD"}}, Victim: domain.Victim{TraffickingStatus: "ActualVictimOfTrafficking"}}
	if err := db.CreateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := db.VerifyCounts(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.Exec(`UPDATE case_counts SET n = n + 1 WHERE dim = 'citizenship'`); err != nil {
		t.Fatal(err)
	}
	if err := db.VerifyCounts(ctx); err == nil {
		t.Fatal("a corrupted count was not detected")
	}
}
