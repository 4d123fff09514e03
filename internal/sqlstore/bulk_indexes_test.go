// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// indexDDL is name → DDL of the indexes DeferIndexes would drop.
func indexDDL(t *testing.T, db *sqlstore.DB) map[string]string {
	t.Helper()
	idx, err := db.SecondaryIndexes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, x := range idx {
		out[x.Name] = x.DDL
	}
	return out
}

// listsAndReport reads what lists and the report show, to compare with
// and without the indexes.
func listsAndReport(t *testing.T, db *sqlstore.DB) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	for i, f := range []domain.CaseFilter{
		{Agency: "KIN", Sort: "-number"},
		{Gender: "Feminine", Sort: "updated"},
		{Citizenship: "RW", Sort: "created"},
		{Exploitation: "SexualExploitation", Sort: "-created"},
		{Sort: "number", Limit: 7},
	} {
		p, err := db.FindCases(ctx, f)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		fmt.Fprintf(&b, "list %d: %d:", i, p.Total)
		for _, c := range p.Items {
			fmt.Fprintf(&b, " %s/%v", c.Agency, c.Number)
		}
		b.WriteByte('\n')
	}
	cube, err := db.CubeFromCases(ctx, domain.StatsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(&b, domain.Marginal(cube, []domain.StatsDim{domain.StatsGender, domain.StatsYear}, nil))
	return b.String()
}

func importGroup(t *testing.T, db *sqlstore.DB, from, to int) {
	t.Helper()
	if _, err := db.ImportCases(context.Background(), groupCases(from, to)); err != nil {
		t.Fatalf("importing %d–%d: %v", from, to, err)
	}
}

// reopen opens the same database again, as another process would, with
// its notices collected.
func reopen(t *testing.T, db *sqlstore.DB) (*sqlstore.DB, *[]string) {
	t.Helper()
	other, err := sqlstore.Open(context.Background(), db.Location, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	var notes []string
	other.Notice = func(m string) { notes = append(notes, m) }
	if _, err := other.Migrate(context.Background()); err != nil {
		t.Fatalf("migrating on reopen: %v", err)
	}
	return other, &notes
}

// TestDeferIndexes: an import drops exactly the non-unique secondary
// indexes of the tables it writes (one a later migration adds included;
// unique ones, partial or not, and primary keys kept), records them in the
// same transaction, loads with lists and the report still right, and
// builds them again with the same DDL.
func TestDeferIndexes(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateAgency(t, db, "GOM")
		// As if a later migration had added them.
		for _, q := range []string{
			`CREATE INDEX cases_later_idx ON cases (reg_year, number)`,
			`CREATE UNIQUE INDEX cases_later_uq ON cases (number, agency_id)`,
			`CREATE UNIQUE INDEX cases_later_partial_uq ON cases (source_key, number) WHERE source_key <> ''`,
		} {
			if err := sqlstore.ExecForTest(db, q); err != nil {
				t.Fatal(err)
			}
		}
		before := indexDDL(t, db)
		for _, name := range []string{"cases_agency_idx", "cases_report_idx", "cases_situation_idx", "cases_later_idx",
			"case_citizenships_country_idx", "case_exploitation_type_idx", "events_case_idx", "name_index_agency_idx"} {
			if before[name] == "" {
				t.Errorf("%s is not among the indexes to defer: %v", name, before)
			}
		}
		for name, ddl := range before {
			if strings.Contains(strings.ToUpper(ddl), "UNIQUE") {
				t.Errorf("%s would be dropped but is unique: %s", name, ddl)
			}
		}
		for _, name := range []string{"cases_later_uq", "cases_later_partial_uq", "drafts_owner_idx", "audit_case_idx"} {
			if before[name] != "" {
				t.Errorf("%s would be dropped: it is unique or not on a table an import writes", name)
			}
		}
		importGroup(t, db, 0, 30)

		d, err := db.DeferIndexes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Dropped) != len(before) {
			t.Fatalf("dropped %d indexes, want %d", len(d.Dropped), len(before))
		}
		if left := indexDDL(t, db); len(left) != 0 {
			t.Fatalf("indexes left after the drop: %v", left)
		}
		rec, err := db.DeferredIndexes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range rec {
			if before[x.Name] != x.DDL {
				t.Errorf("recorded %s as %q, was %q", x.Name, x.DDL, before[x.Name])
			}
		}
		if len(rec) != len(before) {
			t.Fatalf("recorded %d indexes, want %d", len(rec), len(before))
		}
		// Unique indexes still refuse: a repeated case number.
		if err := sqlstore.ExecForTest(db, `UPDATE cases SET number = (SELECT min(number) FROM cases) WHERE number = (SELECT max(number) FROM cases)`); err == nil {
			t.Fatal("a unique index was dropped: a repeated case number was accepted")
		}

		importGroup(t, db, 30, 90)
		importGroup(t, db, 80, 100) // ten repeated: skipped by source key
		checkCubes(t, db, "indexes dropped")
		during := listsAndReport(t, db)

		built, busy, err := d.Restore(ctx)
		if err != nil || busy {
			t.Fatalf("restore: busy %v, %v", busy, err)
		}
		if len(built) != len(before) {
			t.Fatalf("built %d indexes, want %d", len(built), len(before))
		}
		if db.Dialect() == "sqlite" {
			// The build's sorter spilled to a file; the writer's
			// temporary files are back in memory (2) with one thread.
			for name, want := range map[string]int{"temp_store": 2, "threads": 0} {
				if got, err := sqlstore.WriterPragmaForTest(db, name); err != nil || got != want {
					t.Errorf("after the rebuild, %s = %d (%v), want %d", name, got, err, want)
				}
			}
		}
		if after := indexDDL(t, db); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Fatalf("indexes after the rebuild:\n%v\nbefore:\n%v", after, before)
		}
		if rec, _ := db.DeferredIndexes(ctx); len(rec) != 0 {
			t.Fatalf("records left after the rebuild: %v", rec)
		}
		if after := listsAndReport(t, db); after != during {
			t.Fatalf("lists and report with the indexes:\n%s\nwithout:\n%s", after, during)
		}
		if !strings.Contains(during, "list 0: 50:") {
			t.Fatalf("unexpected lists (50 cases of KIN expected):\n%s", during)
		}
		// A second deferral finds them all again.
		d2, err := db.DeferIndexes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(d2.Dropped) != len(before) {
			t.Fatalf("second deferral dropped %d, want %d", len(d2.Dropped), len(before))
		}
		if _, _, err := d2.Restore(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// TestDeferIndexesKilled: an import killed while its indexes are dropped
// (its lock released as the kernel or the server does, nothing rebuilt)
// leaves their DDL recorded; the next open rebuilds them, says so, and
// the database works: lists, report, another import. While the import
// runs, an open rebuilds nothing and says why.
func TestDeferIndexesKilled(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateAgency(t, db, "GOM")
		importGroup(t, db, 0, 40)
		want := listsAndReport(t, db)
		before := indexDDL(t, db)

		d, err := db.DeferIndexes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		importGroup(t, db, 40, 70)

		// Another command opens the database while the import runs.
		_, notes := reopen(t, db)
		if len(*notes) != 1 || !strings.Contains((*notes)[0], "import in progress") {
			t.Fatalf("notices while the import runs: %q", *notes)
		}
		if left := indexDDL(t, db); len(left) != 0 {
			t.Fatalf("an open rebuilt indexes under a running import: %v", left)
		}

		// The import dies: its lock goes, its indexes stay dropped.
		d.Release()
		other, notes := reopen(t, db)
		if len(*notes) != 1 || !strings.Contains((*notes)[0], "rebuilt") || !strings.Contains((*notes)[0], "cases_report_idx") {
			t.Fatalf("notices on the open after the kill: %q", *notes)
		}
		if after := indexDDL(t, other); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Fatalf("indexes after the reopen:\n%v\nbefore:\n%v", after, before)
		}
		if rec, _ := db.DeferredIndexes(ctx); len(rec) != 0 {
			t.Fatalf("records left: %v", rec)
		}
		// An open with nothing recorded says nothing.
		if _, notes := reopen(t, db); len(*notes) != 0 {
			t.Fatalf("notices with nothing to rebuild: %q", *notes)
		}
		// An index that cannot be built does not stop the database
		// from opening: the open says so and keeps the record.
		if err := sqlstore.ExecForTest(db, `INSERT INTO deferred_indexes (name, table_name, ddl, deferred_at) VALUES ('bad_idx', 'gone', 'CREATE INDEX bad_idx ON gone (x)', '2026-01-01T00:00:00.000000Z')`); err != nil {
			t.Fatal(err)
		}
		if _, notes := reopen(t, db); len(*notes) != 1 || !strings.Contains((*notes)[0], "could not be rebuilt") {
			t.Fatalf("notices with an index that cannot be built: %q", *notes)
		}
		if rec, _ := db.DeferredIndexes(ctx); len(rec) != 1 || rec[0].Name != "bad_idx" {
			t.Fatalf("records after a failed rebuild: %v", rec)
		}
		if err := sqlstore.ExecForTest(db, `DELETE FROM deferred_indexes`); err != nil {
			t.Fatal(err)
		}
		checkCubes(t, db, "after the rebuild")
		got := listsAndReport(t, db)
		if got == want || !strings.Contains(got, "list 0: 35:") {
			t.Fatalf("lists after the killed import (35 cases of KIN expected):\n%s", got)
		}

		// A second import, deferred too, after it.
		d, err = db.DeferIndexes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		importGroup(t, db, 60, 100)
		if built, busy, err := d.Restore(ctx); err != nil || busy || len(built) != len(before) {
			t.Fatalf("restore: %d built, busy %v, %v", len(built), busy, err)
		}
		if after := indexDDL(t, db); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Fatalf("indexes after the second import:\n%v\nbefore:\n%v", after, before)
		}
		if got := listsAndReport(t, db); !strings.Contains(got, "list 0: 50:") {
			t.Fatalf("lists after the second import (50 cases of KIN expected):\n%s", got)
		}
	})
}

// TestDeferIndexesTwoImports: two imports defer at once; the first to
// end builds nothing (the other still loads) and the last builds all.
func TestDeferIndexesTwoImports(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateAgency(t, db, "GOM")
		before := indexDDL(t, db)
		other, _ := reopen(t, db)
		d1, err := db.DeferIndexes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		d2, err := other.DeferIndexes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(d2.Dropped) != 0 {
			t.Fatalf("the second import dropped %d indexes, already dropped", len(d2.Dropped))
		}
		importGroup(t, db, 0, 20)
		if built, busy, err := d1.Restore(ctx); err != nil || !busy || len(built) != 0 {
			t.Fatalf("first restore: %d built, busy %v, %v; want nothing built while the other imports", len(built), busy, err)
		}
		built, busy, err := d2.Restore(ctx)
		if err != nil || busy {
			t.Fatalf("last restore: busy %v, %v", busy, err)
		}
		names := make([]string, len(built))
		for i, x := range built {
			names[i] = x.Name
		}
		if !slices.Contains(names, "cases_report_idx") || len(built) != len(before) {
			t.Fatalf("last restore built %v, want all %d", names, len(before))
		}
		if after := indexDDL(t, db); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Fatalf("indexes:\n%v\nbefore:\n%v", after, before)
		}
	})
}
