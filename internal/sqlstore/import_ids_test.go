// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestImportOfOwnExportSkipsItsCases: an HTCDS export of a case created
// here carries its id and no source key, so its rows come back keyed
// "id:ID". Importing the export into the database it came from made a
// second copy of every such case; the case is found by its ID now (in any
// letter case) and skipped. An id this database does not hold, or one
// that is no UUID, is imported as before.
func TestImportOfOwnExportSkipsItsCases(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		here := MustCreateCase(t, db, NewCase("KIN"))
		again := func(key string) *domain.Case {
			c := NewCase("KIN")
			c.SourceKey = key
			return c
		}
		res, err := db.ImportCases(ctx, []*domain.Case{
			again("id:" + here.ID), again("id:" + strings.ToUpper(here.ID)),
			again("id:" + uuid.Must(uuid.NewV7()).String()), again("id:42"),
		})
		if err != nil || res.Created != 2 || res.Skipped != 2 {
			t.Fatalf("import: %+v %v; want 2 created, 2 skipped", res, err)
		}
		page, err := db.FindCases(ctx, domain.CaseFilter{})
		if err != nil || page.Total != 3 {
			t.Fatalf("cases: %v %v; want 3", page, err)
		}
	})
}

// TestSourceCases counts the cases of one import source, not of a source
// whose name starts the same (the auto rule of --defer-indexes reads it).
func TestSourceCases(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		var cases []*domain.Case
		for _, key := range []string{"f.csv:a:1", "f.csv:b:1", "f.csv:b:2", "f.csvx:a:1", "f.cs:a:1", "g.csv:a:1", "id:f.csv"} {
			c := NewCase("KIN")
			c.SourceKey = key
			cases = append(cases, c)
		}
		if _, err := db.ImportCases(ctx, cases); err != nil {
			t.Fatal(err)
		}
		for source, want := range map[string]int{"f.csv": 3, "f.csvx": 1, "g.csv": 1, "h.csv": 0} {
			if n, err := db.SourceCases(ctx, source); err != nil || n != want {
				t.Errorf("SourceCases(%q) = %d, %v; want %d", source, n, err, want)
			}
		}
	})
}
