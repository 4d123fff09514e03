// SPDX-License-Identifier: AGPL-3.0-or-later

package importer_test

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/importer"
)

func TestCheckAgencies(t *testing.T) {
	ctx := context.Background()
	db := mustDB(t) // has agency CTDC
	cases := func() importer.Next {
		agencies := []string{"CTDC", "GOM", "GOM"}
		i := 0
		return func() (int, *domain.Case, []domain.RowError, error) {
			if i == len(agencies) {
				return 0, nil, nil, io.EOF
			}
			i++
			return i + 1, &domain.Case{Agency: agencies[i-1]}, nil, nil
		}
	}
	t.Run("ErrUnknownAgencyRejectedWithHint", func(t *testing.T) {
		next := importer.CheckAgencies(ctx, db, cases())
		var kept, rejected int
		for {
			_, c, rejects, err := next()
			if err == io.EOF {
				break
			}
			if c != nil {
				kept++
			}
			for _, r := range rejects {
				rejected++
				// --agency names the agency of the rows that name
				// none: advising it for a row that names one sent
				// the user round in a circle (acceptance pass).
				if r.Column != "agency" || !strings.Contains(r.Reason, "--create-agencies") || !strings.Contains(r.Reason, "vigie agency add GOM") ||
					strings.Contains(r.Reason, "pass --agency") || !strings.Contains(r.Reason, "rows that name none") {
					t.Errorf("reject %+v", r)
				}
			}
		}
		if kept != 1 || rejected != 2 {
			t.Fatalf("kept %d, rejected %d", kept, rejected)
		}
		if _, err := db.Agency(ctx, "GOM"); domain.KindOf(err) != domain.KindNotFound {
			t.Fatalf("agency created without --create-agencies: %v", err)
		}
	})
	t.Run("CreateAgencies", func(t *testing.T) {
		ctx := domain.WithImportAgencies(ctx)
		next := importer.CheckAgencies(ctx, db, cases())
		for {
			_, c, rejects, err := next()
			if err == io.EOF {
				break
			}
			if c == nil || len(rejects) > 0 {
				t.Fatalf("record refused: %v", rejects)
			}
		}
	})
}

// TestCreateAgenciesInTheImport: with --create-agencies, an agency that
// first appears in the middle of a transaction (here the second chunk of
// the first group) is created by that transaction. It was created beside
// it, through SQLite's one writer connection that the transaction held:
// the import waited forever at that row. Its creation is rolled back with
// a refused group and made again by the rows written one at a time.
func TestCreateAgenciesInTheImport(t *testing.T) {
	db := mustDB(t)
	ctx, cancel := context.WithTimeout(domain.WithImportAgencies(context.Background()), 30*time.Second)
	defer cancel()
	n := 0
	source := func() (int, *domain.Case, []domain.RowError, error) {
		if n == 40 {
			return 0, nil, nil, io.EOF
		}
		n++
		agency := []string{"CTDC", "GOM", "BUK"}[min(n/12, 2)]
		c := &domain.Case{Agency: agency, RegistrationYear: 2016, SourceKey: fmt.Sprintf("a:%d", n),
			Victim: domain.Victim{TraffickingStatus: "ActualVictimOfTrafficking"}}
		if n == 30 {
			c.SituationID = "01900000-0000-7000-8000-000000000000" // refused by the database: the group is written again row by row
		}
		return n + 1, c, nil, nil
	}
	opt := importer.Options{BatchSize: 20, ChunkSize: 6, RejectPath: filepath.Join(t.TempDir(), "rejects.csv")}
	res, err := importer.Run(ctx, db, importer.CheckAgencies(ctx, db, source), opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 39 || res.Rejected != 1 {
		t.Fatalf("result %+v", res)
	}
	for _, code := range []string{"GOM", "BUK"} {
		a, err := db.Agency(context.Background(), code)
		if err != nil || a.Name != "Import "+code {
			t.Fatalf("agency %s: %+v %v", code, a, err)
		}
	}
	if err := db.VerifyCounts(context.Background()); err != nil {
		t.Fatal(err)
	}
}
