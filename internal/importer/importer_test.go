// SPDX-License-Identifier: AGPL-3.0-or-later

package importer_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/importer"
	"vigie/internal/seal"
	"vigie/internal/sqlstore"
)

func mustDB(t *testing.T) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), "", t.TempDir())
	if err == nil {
		db.SetKeys(seal.NewTestKeyring())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.EnsureAgency(context.Background(), "CTDC", "CTDC"); err != nil {
		t.Fatal(err)
	}
	return db
}

// source yields n rows; rows listed in bad are rejected by the "reader",
// rows in invalid pass the reader but fail the store's validation.
func source(n int, bad, invalid map[int]bool) importer.Next {
	i := 0
	return func() (int, *domain.Case, []domain.RowError, error) {
		if i == n {
			return 0, nil, nil, io.EOF
		}
		i++
		row := i + 1
		if bad[i] {
			return row, nil, []domain.RowError{{Row: row, Column: "gender", Value: "=HYPERLINK()", Code: "validation.enum", Reason: "not a gender"}}, nil
		}
		c := &domain.Case{Agency: "CTDC", RegistrationYear: 2016, SourceKey: fmt.Sprintf("f:%d", i),
			Victim: domain.Victim{TraffickingStatus: "ActualVictimOfTrafficking"}}
		if invalid[i] {
			c.Person.Gender = "Robot"
		}
		return row, c, nil, nil
	}
}

func TestRunRejectsAndResumes(t *testing.T) {
	db := mustDB(t)
	ctx := context.Background()
	rejectPath := filepath.Join(t.TempDir(), "rejects.csv")
	opt := importer.Options{BatchSize: 7, RejectPath: rejectPath}
	res, err := importer.Run(ctx, db, source(50, map[int]bool{3: true, 40: true}, map[int]bool{10: true}), opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 47 || res.Rejected != 3 || res.Line() != "imported: 47 rejected: 3" || res.RejectPath != rejectPath {
		t.Fatalf("result %+v", res)
	}
	f, _ := os.Open(rejectPath)
	recs, _ := csv.NewReader(f).ReadAll()
	f.Close()
	if len(recs) != 4 || recs[1][0] != "4" || recs[1][2] != "'=HYPERLINK()" || recs[2][0] != "11" || recs[2][1] != "person.prs_Gender" {
		t.Fatalf("reject file %q", recs)
	}

	t.Run("RerunCreatesNothing", func(t *testing.T) {
		res, err := importer.Run(ctx, db, source(50, map[int]bool{3: true, 40: true}, map[int]bool{10: true}), opt)
		if err != nil || res.Imported != 0 || res.Skipped != 47 {
			t.Fatalf("rerun %+v %v", res, err)
		}
	})
	t.Run("InterruptedThenResumed", func(t *testing.T) {
		db := mustDB(t)
		cctx, cancel := context.WithCancel(ctx)
		next := source(30, nil, nil)
		n := 0
		stopAfter12 := func() (int, *domain.Case, []domain.RowError, error) {
			n++
			if n == 13 {
				cancel()
			}
			return next()
		}
		res, err := importer.Run(cctx, db, stopAfter12, importer.Options{BatchSize: 5})
		if domain.KindOf(err) != domain.KindUnavailable || res.Imported != 13 {
			t.Fatalf("interrupted run: %+v %v", res, err)
		}
		res, err = importer.Run(ctx, db, source(30, nil, nil), importer.Options{BatchSize: 5})
		if err != nil || res.Imported != 17 || res.Skipped != 13 {
			t.Fatalf("resumed run: %+v %v", res, err)
		}
	})
	t.Run("NoRejectsNoFile", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "none.csv")
		res, err := importer.Run(ctx, mustDB(t), source(3, nil, nil), importer.Options{RejectPath: p})
		if err != nil || res.RejectPath != "" {
			t.Fatalf("%+v %v", res, err)
		}
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Fatal("reject file created without rejects")
		}
	})
}
