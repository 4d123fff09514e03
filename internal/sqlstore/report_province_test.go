// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// The province where a victim was identified is stored, read back, changed
// by an update, filters the list (total and page) and is refused when it is
// not one of the 26 codes.
func TestCaseProvince(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		a := NewCase("KIN")
		a.Province = "CD-NK"
		MustCreateCase(t, db, a)
		MustCreateCase(t, db, NewCase("KIN")) // no province
		got, err := db.Case(ctx, a.Number)
		if err != nil {
			t.Fatal(err)
		}
		if got.Province != "CD-NK" {
			t.Fatalf("province read back %q, want CD-NK", got.Province)
		}
		list := func(p string) *domain.CasePage {
			t.Helper()
			page, err := db.FindCases(ctx, domain.CaseFilter{Province: p})
			if err != nil {
				t.Fatal(err)
			}
			return page
		}
		if page := list("CD-NK"); page.Total != 1 || len(page.Items) != 1 || page.Items[0].Province != "CD-NK" {
			t.Fatalf("filter CD-NK: total %d, items %+v", page.Total, page.Items)
		}
		got.Province = "CD-SK"
		if err := db.UpdateCase(ctx, got); err != nil {
			t.Fatal(err)
		}
		if page := list("CD-NK"); page.Total != 0 || len(page.Items) != 0 {
			t.Fatalf("after the move, CD-NK still lists %d", page.Total)
		}
		if page := list("CD-SK"); page.Total != 1 {
			t.Fatalf("after the move, CD-SK lists %d, want 1", page.Total)
		}
		if page := list(""); page.Total != 2 {
			t.Fatalf("no filter lists %d, want 2", page.Total)
		}
		_, err = db.FindCases(ctx, domain.CaseFilter{Province: "Nord-Kivu"})
		wantKind(t, err, domain.KindInvalid)
		bad := NewCase("KIN")
		bad.Province = "CD-XX"
		wantKind(t, db.CreateCase(ctx, bad), domain.KindInvalid)
		if err := db.VerifyCounts(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
