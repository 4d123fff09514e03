// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore/sqltest"
)

// TestExportImportKeepsSituations: cases linked to trafficking situations
// go through an export and a re-import into a fresh database, in each
// format, on SQLite and PostgreSQL. The export carries each case's
// situation_id, not the situation, so the re-import rejected every linked
// case ("situation_id does not refer to an existing situation") and the
// counts by year, gender and form lost those victims (found in the
// acceptance pass). The situations are now created for the cases'
// agency, the victims of one situation stay linked together, and the
// counts match; a second import creates nothing.
func TestExportImportKeepsSituations(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			dir := t.TempDir()
			src := dbFlags{data: filepath.Join(dir, "src")}
			freshDB := func(name string) dbFlags {
				d := dbFlags{data: filepath.Join(dir, name)}
				if backend == "postgres" {
					d.db = sqltest.PostgresSchemaURL(t)
				}
				return d
			}
			if backend == "postgres" {
				src = freshDB("src")
			}
			ctx := context.Background()
			db, err := src.open(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.EnsureAgency(ctx, "KIN", "Kinshasa"); err != nil {
				t.Fatal(err)
			}
			var sits []string
			for i := range 2 {
				s := &domain.Situation{Agency: "KIN", Title: fmt.Sprint("Réseau ", i)}
				if err := db.CreateSituation(ctx, s); err != nil {
					t.Fatal(err)
				}
				sits = append(sits, s.ID)
			}
			for i := range 9 {
				c := &domain.Case{Agency: "KIN", RegistrationDate: domain.NewDate(2020+i%3, 5, 1+i),
					Person: domain.Person{Gender: []string{"Feminine", "Masculine"}[i%2]},
					Victim: domain.Victim{TraffickingStatus: "ActualVictimOfTrafficking", TypeOfExploitation: [][]string{{"ForcedLabour"}, {"SexualExploitation"}, nil}[i%3]}}
				if i%3 != 2 {
					c.SituationID = sits[i%3]
				}
				if err := db.CreateCase(ctx, c); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
			want := storedCountsOf(t, src)
			for _, format := range []string{"csv", "xlsx", "json"} {
				t.Run(format, func(t *testing.T) {
					file := filepath.Join(dir, "export."+format)
					args := append([]string{"export", "htcds", "--format", format, "--out", file}, src.args()...)
					if code, out, errs := vigie(t, "", args...); code != 0 || !strings.Contains(out, "exported: 9") {
						t.Fatalf("export: %d %s %s", code, out, errs)
					}
					fresh := freshDB("from-" + format)
					for run, line := range []string{"imported: 9 rejected: 0\n", "imported: 0 rejected: 0\n"} {
						args := append([]string{"import", "htcds", file, "--create-agencies", "--quiet", "--batch", "2"}, fresh.args()...)
						if code, out, errs := vigie(t, "", args...); code != 0 || !strings.HasSuffix(out, line) {
							t.Fatalf("import %d: exit %d\n%s%s", run+1, code, out, errs)
						}
					}
					sameCounts(t, "after the "+format+" round trip", storedCountsOf(t, fresh), want)
					// Six cases in two situations, three in each, as exported.
					db, err := fresh.open(ctx)
					if err != nil {
						t.Fatal(err)
					}
					defer db.Close()
					for _, id := range sits {
						s, err := db.Situation(ctx, id)
						if err != nil || s.Agency != "KIN" || len(s.CaseNumbers) != 3 {
							t.Fatalf("situation %s after the import: %+v %v", id, s, err)
						}
					}
				})
			}
		})
	}
}

// storedCountsOf is storedCounts for a database given by its flags, with
// the situation of each case counted too.
func storedCountsOf(t *testing.T, d dbFlags) map[string]int {
	t.Helper()
	return tallyStored(t, d, func(c *domain.Case, out map[string]int) { out["situation="+c.SituationID]++ })
}

// args are the command-line flags that open d.
func (d dbFlags) args() []string {
	if d.db != "" {
		return []string{"--db", d.db, "--data", d.data}
	}
	return []string{"--data", d.data}
}
