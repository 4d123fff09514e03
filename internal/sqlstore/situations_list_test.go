// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestSituationsOfAgency: an agency's situations, titles opened, and
// never another agency's.
func TestSituationsOfAgency(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateAgency(t, db, "GOM")
		for _, s := range []*domain.Situation{
			{Agency: "KIN", Title: "Mine de Kolwezi"},
			{Agency: "GOM", Title: "Réseau de Goma"},
			{Agency: "KIN", Title: `<script>alert("x")</script>`},
		} {
			if err := db.CreateSituation(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.Situations(ctx, "KIN")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Title != "Mine de Kolwezi" || got[1].Title != `<script>alert("x")</script>` || got[0].Agency != "KIN" || got[0].ID == "" {
			t.Fatalf("KIN's situations: %+v", got)
		}
		if none, err := db.Situations(ctx, "XYZ"); err != nil || len(none) != 0 {
			t.Fatalf("an unknown agency's situations: %v, %v", none, err)
		}
	})
}
