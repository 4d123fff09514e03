// SPDX-License-Identifier: AGPL-3.0-or-later

package report_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/report"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

var testNow = time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)

// seed stores n cases of KIN and GOM, varied in every counted attribute,
// registered in 2025 and 2026, and returns them.
func seed(t *testing.T, db *sqlstore.DB, n int) []*domain.Case {
	t.Helper()
	ctx := context.Background()
	for _, code := range []string{"KIN", "GOM"} {
		if err := db.CreateAgency(ctx, &domain.Agency{Code: code, Name: "Agence " + code, Type: "NGO"}); err != nil {
			t.Fatal(err)
		}
	}
	genders := []string{"Feminine", "Masculine", "NonConforming", "NonSpecifiedUnknown", ""}
	forms := [][]string{{"ForcedLabour"}, {"SexualExploitation"}, {"ForcedLabour", "SexualExploitation"}, nil, {"ForcedMarriage"}}
	cits := [][]string{{"CD"}, {"RW", "CD"}, {"AO"}, nil, {"FR", "RW"}, {"CN"}, {"ZZ"}}
	provinces := []string{"CD-KN", "CD-NK", "", "CD-SK", "CD-IT"}
	tstatus := []string{"PossibleVictimOfTrafficking", "ActualVictimOfTrafficking", "NotAVictimOfTrafficking"}
	var batch []*domain.Case
	for i := range n {
		c := &domain.Case{Agency: []string{"KIN", "GOM"}[i%2], Status: "Active", Province: provinces[(i/2)%5],
			RegistrationDate: domain.NewDate(2025+i%2, time.Month(1+i%11), 1+i%28), SourceKey: fmt.Sprintf("r:%d", i),
			Person: domain.Person{Gender: genders[i%5], Citizenship: cits[(i/3)%7]},
			Victim: domain.Victim{TraffickingStatus: tstatus[i%3], TypeOfExploitation: forms[(i/2)%5]}}
		if i%4 != 0 {
			c.Person.Birthdate = domain.NewDate(1980+i%40, 1, 1)
		} else {
			c.Victim.AgeBand = []string{"9--17", "30--38", "48+"}[i%3]
		}
		if country := []string{"CD", "AO", "", "ZA"}[i%4]; country != "" {
			c.Events = []*domain.Event{{Type: "Exploitation", Country: country}}
		}
		if i%3 != 1 {
			yes := i%3 == 0
			c.Repatriated = &yes
		}
		for _, s := range [][]string{{"Health"}, {"Legal", "Health"}, nil}[i%3] {
			c.SupportPlans = append(c.SupportPlans, &domain.SupportPlan{Type: s})
		}
		batch = append(batch, c)
	}
	if _, err := db.ImportCases(ctx, batch); err != nil {
		t.Fatal(err)
	}
	return batch
}

func sources(db *sqlstore.DB) report.Sources {
	return report.Sources{Cube: db, Justice: db.JusticeFigures, Training: db.TrainingSummary, Awareness: db.AwarenessSummary}
}

// Every victims' table reconciles: the cells of a row add up to its
// total, the columns to the number of victims (rows that cannot overlap
// add up to it too), and every figure is the number of cases its
// drill-down lists.
func TestReportReconciles(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		cases := seed(t, db, 150)
		p := report.Period{From: 2026, To: 2026}
		r, err := report.Build(ctx, sources(db), p, "")
		if err != nil {
			t.Fatal(err)
		}
		var victims int64
		for _, c := range cases {
			if c.RegistrationYear == 2026 && c.Victim.TraffickingStatus != "NotAVictimOfTrafficking" {
				victims++
			}
		}
		sections := map[string]int{}
		for _, tb := range r.Tables {
			sections[tb.Section]++
			if tb.Section != "victims" {
				continue
			}
			if tb.Total != victims {
				t.Fatalf("%s: total %d, want %d victims", tb.ID, tb.Total, victims)
			}
			checkTable(t, tb)
			if tb.Detail {
				continue
			}
			for i, rk := range append(tb.RowKeys, report.All) {
				for j, ck := range append(tb.ColKeys, report.All) {
					want := figure(tb, i, j)
					if want < 0 {
						continue
					}
					f, err := report.CellFilter(p, "", tb.ID, rk, ck)
					if err != nil {
						t.Fatal(err)
					}
					page, err := db.StatsCases(ctx, f, "", 1)
					if err != nil {
						t.Fatal(err)
					}
					if page.Total != want {
						t.Fatalf("%s[%s][%s] = %d but its drill-down lists %d cases", tb.ID, rk, ck, want, page.Total)
					}
				}
			}
		}
		if sections["victims"] < 10 || sections["justice"] < 4 || sections["training"] != 2 || sections["awareness"] != 3 {
			t.Fatalf("sections: %v", sections)
		}
		// Refusals: a table that does not drill down, a key it cannot have.
		for _, bad := range [][3]string{{"justice_offences", "*", "*"}, {"victims_sex_age", "Nope", "*"}, {"victims_sex_age", "*", "ForcedLabour"}, {"victims_detail", "Feminine", "*"}} {
			if _, err := report.CellFilter(p, "", bad[0], bad[1], bad[2]); domain.KindOf(err) != domain.KindInvalid {
				t.Fatalf("CellFilter %v: %v", bad, err)
			}
		}
	})
}

// figure is the cell (or total, past the last row or column) at i, j; -1
// when the table has no such total.
func figure(tb *report.Table, i, j int) int64 {
	switch {
	case i < len(tb.RowKeys) && j < len(tb.ColKeys):
		return tb.Cells[i][j]
	case i < len(tb.RowKeys):
		return tb.RowTotals[i]
	case j < len(tb.ColKeys):
		return tb.ColTotals[j]
	}
	return tb.Total
}

func checkTable(t *testing.T, tb *report.Table) {
	t.Helper()
	var all, cols int64
	for i, row := range tb.Cells {
		var s int64
		for _, n := range row {
			s += n
		}
		if s != tb.RowTotals[i] {
			t.Fatalf("%s row %s: cells add up to %d, total %d", tb.ID, tb.RowKeys[i], s, tb.RowTotals[i])
		}
		all += s
	}
	for _, n := range tb.ColTotals {
		cols += n
	}
	if cols != tb.Total {
		t.Fatalf("%s: columns add up to %d, total %d", tb.ID, cols, tb.Total)
	}
	if !tb.Overlap && all != tb.Total || tb.Overlap && all < tb.Total {
		t.Fatalf("%s (overlap %v): rows add up to %d, total %d", tb.ID, tb.Overlap, all, tb.Total)
	}
}

// Locking keeps the figures; a later change shows as a change of the
// cells it touches; a new version needs a reason and the version seen.
func TestReportLock(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		ctx := domain.WithActor(context.Background(), &domain.Principal{Email: "coord@test", Via: "cli"})
		seed(t, db, 40)
		s := &report.Service{Src: sources(db), Store: db}
		p := report.Period{From: 2026, To: 2026}
		v1, err := s.Lock(ctx, p, "", "", 0)
		if err != nil || v1.Version != 1 {
			t.Fatalf("lock: %+v %v", v1, err)
		}
		if _, err := s.Lock(ctx, p, "", "", 0); domain.KindOf(err) != domain.KindConflict {
			t.Fatalf("locking twice: %v", err)
		}
		before, _ := s.View(ctx, p, "")
		c := &domain.Case{Agency: "KIN", Province: "CD-TA", RegistrationDate: domain.NewDate(2026, 5, 5),
			Person: domain.Person{Gender: "Masculine"}, Victim: domain.Victim{TraffickingStatus: "ActualVictimOfTrafficking"}}
		if err := db.CreateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
		v, err := s.View(ctx, p, "")
		if err != nil {
			t.Fatal(err)
		}
		if !v.Locked || v.Latest() != 1 || len(before.Changes) != 0 {
			t.Fatalf("view: locked %v latest %d, changes before %v", v.Locked, v.Latest(), before.Changes)
		}
		if got, want := v.Report.Table("victims_sex_age").Total, before.Report.Table("victims_sex_age").Total; got != want {
			t.Fatalf("the locked report moved from %d to %d", want, got)
		}
		changed := map[string]report.Change{}
		for _, ch := range v.Changes {
			changed[ch.Key] = ch
		}
		for _, k := range []string{"victims_sex_age|*|*", "victims_province_sex|CD-TA|Masculine", "victims_sex_age|Masculine|Unknown"} {
			if ch, ok := changed[k]; !ok || ch.New != ch.Old+1 {
				t.Fatalf("change %s: %+v (all: %v)", k, ch, v.Changes)
			}
		}
		if _, ok := changed["victims_province_sex|CD-KN|Feminine"]; ok {
			t.Fatal("an untouched cell is listed as changed")
		}
		if _, err := s.Lock(ctx, p, "", "", 1); domain.KindOf(err) != domain.KindInvalid {
			t.Fatalf("a new version without a reason: %v", err)
		}
		v2, err := s.Lock(ctx, p, "", "late registration from Kalemie", 1)
		if err != nil || v2.Version != 2 {
			t.Fatalf("version 2: %+v %v", v2, err)
		}
		if _, err := s.Lock(ctx, p, "", "again", 1); domain.KindOf(err) != domain.KindConflict {
			t.Fatalf("a version based on version 1 after version 2: %v", err)
		}
		if v, _ := s.View(ctx, p, ""); len(v.Changes) != 0 || v.Latest() != 2 {
			t.Fatalf("after version 2: %d changes, latest %d", len(v.Changes), v.Latest())
		}
		old, meta, err := s.Version(ctx, p, "", 1)
		if err != nil || meta.CreatedBy != "coord@test" || old.Table("victims_sex_age").Total != before.Report.Table("victims_sex_age").Total {
			t.Fatalf("version 1: %+v %v", meta, err)
		}
		entries, err := db.AuditEntries(ctx, domain.AuditFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range entries {
			if e.Resource == string(domain.ResReport) {
				n++
				if strings.Contains(fmt.Sprint(e.Detail), "Kalemie") {
					t.Fatal("the audit log holds the reason's text")
				}
			}
		}
		if n != 2 {
			t.Fatalf("%d report entries in the audit log, want 2", n)
		}
	})
}
