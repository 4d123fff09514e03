// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// groupCases returns cases of KIN and GOM keyed from:to, whose counted
// attributes vary as in seedStats, so that a group's cube rows repeat
// across its batches.
func groupCases(from, to int) []*domain.Case {
	var out []*domain.Case
	for i := from; i < to; i++ {
		c := NewCase([]string{"KIN", "GOM"}[i%2])
		c.Person.Gender = []string{"Feminine", "Masculine", ""}[i%3]
		c.Victim.TypeOfExploitation = [][]string{{"ForcedLabour"}, {"SexualExploitation", "ForcedLabour"}, nil}[i%3]
		c.Person.Citizenship = [][]string{{"CD"}, {"RW", "CD"}, nil, {"AO"}}[(i/2)%4]
		c.Province = []string{"CD-KN", "", "CD-NK"}[(i/3)%3]
		if i%4 == 0 {
			c.RegistrationDate, c.RegistrationYear = domain.Date{}, 2020+i%3
		} else {
			c.RegistrationDate = domain.NewDate(2020+i%3, time.Month(1+i%12), 1+i%28)
		}
		c.Events[0].Country = []string{"CD", "UG", ""}[i%3]
		c.SourceKey = fmt.Sprintf("group:%d", i)
		out = append(out, c)
	}
	return out
}

// yield returns a next func over prepared batches, counting how many the
// store took.
func yield(batches []domain.PreparedImport, taken *int) func() domain.PreparedImport {
	return func() domain.PreparedImport {
		if *taken == len(batches) {
			return nil
		}
		*taken++
		return batches[*taken-1]
	}
}

func prepare(t *testing.T, db *sqlstore.DB, sets ...[]*domain.Case) []domain.PreparedImport {
	t.Helper()
	var out []domain.PreparedImport
	for _, cases := range sets {
		p, err := db.PrepareImport(cases)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// checkCubes fails unless case_counts and report_cube hold exactly what
// the cases say.
func checkCubes(t *testing.T, db *sqlstore.DB, step string) {
	t.Helper()
	ctx := context.Background()
	if err := db.VerifyCounts(ctx); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	var by []domain.StatsDim
	for _, d := range domain.StatsDims {
		if d != domain.StatsMonth {
			by = append(by, d)
		}
	}
	fromTable, err := db.CaseCube(ctx, domain.StatsFilter{}, false)
	if err != nil {
		t.Fatal(err)
	}
	fromCases, err := db.CubeFromCases(ctx, domain.StatsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := fmt.Sprint(domain.Marginal(fromTable, by, nil)), fmt.Sprint(domain.Marginal(fromCases, by, nil)); a != b {
		t.Fatalf("%s: the report cube holds\n%s\nthe cases say\n%s", step, a, b)
	}
}

func auditImports(t *testing.T, db *sqlstore.DB) int {
	t.Helper()
	entries, err := db.AuditEntries(context.Background(), domain.AuditFilter{Action: domain.AuditImport, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

func TestImportPreparedGroup(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateAgency(t, db, "GOM")

		// Three batches in one transaction; the third repeats five cases
		// of the first and one of its own.
		third := append(groupCases(40, 55), groupCases(0, 5)...)
		third = append(third, groupCases(54, 55)...)
		batches := prepare(t, db, groupCases(0, 20), groupCases(20, 40), third)
		taken := 0
		res, err := db.ImportPreparedGroup(ctx, yield(batches, &taken))
		if err != nil {
			t.Fatal(err)
		}
		want := []domain.ImportResult{{Created: 20}, {Created: 20}, {Created: 15, Skipped: 6}}
		if fmt.Sprint(res) != fmt.Sprint(want) || taken != 3 {
			t.Fatalf("results %+v (took %d batches), want %+v", res, taken, want)
		}
		p, err := db.FindCases(ctx, domain.CaseFilter{Agency: "KIN", Sort: "-number", Limit: 1})
		if err != nil || p.Total != 28 {
			t.Fatalf("KIN holds %d cases, want 28 (%v)", p.Total, err)
		}
		checkCubes(t, db, "after a group of three batches")
		if n := auditImports(t, db); n != 3 {
			t.Fatalf("%d import entries in the audit log, want one per batch (3)", n)
		}
		if _, problem, err := db.VerifyAudit(ctx, nil); err != nil || problem != nil {
			t.Fatalf("audit chain: %+v %v", problem, err)
		}

		t.Run("RefusedGroupStoresNothing", func(t *testing.T) {
			// The second batch names a situation that does not exist:
			// the database refuses it, and the first batch, written in
			// the same transaction, goes too.
			bad := groupCases(100, 110)
			bad[4].SituationID = "01900000-0000-7000-8000-000000000000"
			batches := prepare(t, db, groupCases(90, 100), bad, groupCases(110, 120))
			taken := 0
			res, err := db.ImportPreparedGroup(ctx, yield(batches, &taken))
			wantKind(t, err, domain.KindInvalid)
			if res != nil || taken != 2 {
				t.Fatalf("refused group: results %+v, took %d batches (want none, 2)", res, taken)
			}
			p, _ := db.FindCases(ctx, domain.CaseFilter{})
			if p.Total != 55 {
				t.Fatalf("a refused group left %d cases, want 55", p.Total)
			}
			checkCubes(t, db, "after a refused group")
			if n := auditImports(t, db); n != 3 {
				t.Fatalf("a refused group wrote audit entries: %d", n)
			}
		})
		t.Run("RerunSkipsEverything", func(t *testing.T) {
			batches := prepare(t, db, groupCases(0, 30), groupCases(30, 55))
			taken := 0
			res, err := db.ImportPreparedGroup(ctx, yield(batches, &taken))
			want := []domain.ImportResult{{Skipped: 30}, {Skipped: 25}}
			if err != nil || fmt.Sprint(res) != fmt.Sprint(want) {
				t.Fatalf("rerun %+v %v, want %+v", res, err, want)
			}
			checkCubes(t, db, "after a rerun")
		})
		t.Run("NothingToYield", func(t *testing.T) {
			taken := 0
			res, err := db.ImportPreparedGroup(ctx, yield(nil, &taken))
			if err != nil || res != nil {
				t.Fatalf("%+v %v", res, err)
			}
		})
	})
}
