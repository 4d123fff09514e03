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

// The services a victim was assisted with follow the case's support plans
// as they are added and deleted; repatriated is stored and read back.
func TestCaseServicesAndRepatriation(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		c := NewCase("KIN")
		yes := true
		c.Repatriated = &yes
		c.SupportPlans = []*domain.SupportPlan{{Type: "Health"}}
		MustCreateCase(t, db, c)
		services := func() map[string]int64 {
			t.Helper()
			rows, err := db.CaseCounts(ctx, domain.StatsQuery{By: []domain.StatsDim{domain.StatsAssistance, domain.StatsRepatriated}})
			if err != nil {
				t.Fatal(err)
			}
			m := map[string]int64{}
			for _, r := range rows {
				m[r.Values[0]+"/"+r.Values[1]] = r.N
			}
			return m
		}
		if m := services(); m["Health/Yes"] != 1 || len(m) != 1 {
			t.Fatalf("after creation: %v", m)
		}
		plan := &domain.SupportPlan{Type: "Legal"}
		if err := db.AddPart(ctx, c.Number, domain.PartSupportPlans, plan); err != nil {
			t.Fatal(err)
		}
		if m := services(); m["Health/Yes"] != 1 || m["Legal/Yes"] != 1 || len(m) != 2 {
			t.Fatalf("after adding a plan: %v", m)
		}
		got, err := db.Case(ctx, c.Number)
		if err != nil || got.Repatriated == nil || !*got.Repatriated {
			t.Fatalf("repatriated read back as %v (%v)", got.Repatriated, err)
		}
		got.Repatriated = nil
		if err := db.UpdateCase(ctx, got); err != nil {
			t.Fatal(err)
		}
		if err := db.DeletePart(ctx, c.Number, domain.PartSupportPlans, plan.ID, plan.Version); err != nil {
			t.Fatal(err)
		}
		if m := services(); m["Health/"] != 1 || len(m) != 1 {
			t.Fatalf("after the update and the deletion: %v", m)
		}
	})
}
