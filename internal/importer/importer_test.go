// SPDX-License-Identifier: AGPL-3.0-or-later

package importer_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/i18n"
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
	return sourceWith(n, bad, invalid, nil)
}

// sourceWith is source where rows in refused pass validation but name a
// situation that does not exist, which only the database refuses.
func sourceWith(n int, bad, invalid, refused map[int]bool) importer.Next {
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
		if refused[i] {
			c.SituationID = "01900000-0000-7000-8000-000000000000"
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
	// Reasons in French first (the catalog's sentence of the code), the
	// English detail beside: they were in English alone.
	if want := i18n.For(i18n.FR).T("validation.enum") + " / not a gender"; recs[1][4] != want {
		t.Fatalf("reason %q: not French first", recs[1][4])
	}
	if fr, en, ok := strings.Cut(recs[2][4], " / "); !ok || fr == "" || en == "" || strings.Contains(fr, "is not") {
		t.Fatalf("reason %q: not French, then English", recs[2][4])
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
		// French first, English beside, as every message of the CLI.
		if msg := domain.SafeMessage(err); !strings.HasPrefix(msg, "importation interrompue") || !strings.Contains(msg, "/ import interrupted") {
			t.Errorf("interrupted run says %q", msg)
		}
		res, err = importer.Run(ctx, db, source(30, nil, nil), importer.Options{BatchSize: 5})
		if err != nil || res.Imported != 17 || res.Skipped != 13 {
			t.Fatalf("resumed run: %+v %v", res, err)
		}
	})
	t.Run("OldRejectFileRestrictedToOwner", func(t *testing.T) {
		// A world-readable reject file left from before is rewritten
		// with the owner's permissions only: it holds victims' data.
		p := filepath.Join(t.TempDir(), "old.csv")
		if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := importer.Run(ctx, mustDB(t), source(5, map[int]bool{2: true}, nil), importer.Options{RejectPath: p})
		if err != nil || res.Rejected != 1 {
			t.Fatalf("%+v %v", res, err)
		}
		if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("reject file mode %v (%v), want -rw-------", st.Mode(), err)
		}
	})
	t.Run("RejectFileOnAFullDisk", func(t *testing.T) {
		// The rejects cannot be written: the import says so, as a full
		// disk (unavailable, exit 7), naming the file and what to do —
		// it said 'internal error: write /dev/full: no space left on
		// device', exit 1.
		if _, err := os.Stat("/dev/full"); err != nil {
			t.Skip("no /dev/full here")
		}
		res, err := importer.Run(ctx, mustDB(t), source(5, map[int]bool{2: true}, nil), importer.Options{RejectPath: "/dev/full"})
		msg := domain.SafeMessage(err)
		if domain.KindOf(err) != domain.KindUnavailable || !strings.Contains(msg, "reject file /dev/full could not be written (disk full)") || !strings.Contains(msg, "run the same import again") {
			t.Fatalf("%+v: kind %q, %q", res, domain.KindOf(err), msg)
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

// TestRunChunksInOneTransaction imports batches of 20 cases written in
// chunks of 6: rows refused by the reader, by validation and by the
// database in the middle of a transaction are each rejected alone, and
// every other row is stored once, with counts that match the cases.
func TestRunChunksInOneTransaction(t *testing.T) {
	db := mustDB(t)
	ctx := context.Background()
	rejectPath := filepath.Join(t.TempDir(), "rejects.csv")
	bad, invalid, refused := map[int]bool{3: true}, map[int]bool{10: true, 44: true}, map[int]bool{27: true, 52: true}
	opt := importer.Options{BatchSize: 20, ChunkSize: 6, RejectPath: rejectPath}
	var progress []int
	opt.Progress = func(read int) { progress = append(progress, read) }
	res, err := importer.Run(ctx, db, sourceWith(60, bad, invalid, refused), opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 55 || res.Rejected != 5 || res.Skipped != 0 {
		t.Fatalf("result %+v", res)
	}
	f, _ := os.Open(rejectPath)
	recs, _ := csv.NewReader(f).ReadAll()
	f.Close()
	var rows []string
	for _, r := range recs[1:] {
		rows = append(rows, r[0])
	}
	if fmt.Sprint(rows) != "[4 11 28 45 53]" {
		t.Fatalf("rejected rows %v (reject file %q)", rows, recs)
	}
	if len(progress) == 0 || progress[len(progress)-1] != 60 {
		t.Fatalf("progress %v", progress)
	}
	if err := db.VerifyCounts(ctx); err != nil {
		t.Fatal(err)
	}
	p, err := db.FindCases(ctx, domain.CaseFilter{Sort: "-number", Limit: 1})
	if err != nil || p.Total != 55 || p.Items[0].Number != "CTDC-2016-000055" {
		t.Fatalf("stored %+v %v", p, err)
	}
	res, err = importer.Run(ctx, db, sourceWith(60, bad, invalid, refused), opt)
	if err != nil || res.Imported != 0 || res.Skipped != 55 || res.Rejected != 5 {
		t.Fatalf("rerun %+v %v", res, err)
	}
}

// TestDatabaseRejectsShowTheValue: a row the database refuses (here a
// situation that does not exist) is in the reject file with the value
// refused, as the readers' rejects are; it had none.
func TestDatabaseRejectsShowTheValue(t *testing.T) {
	db := mustDB(t)
	rejectPath := filepath.Join(t.TempDir(), "rejects.csv")
	opt := importer.Options{BatchSize: 20, ChunkSize: 6, RejectPath: rejectPath}
	if _, err := importer.Run(context.Background(), db, sourceWith(10, nil, nil, map[int]bool{4: true}), opt); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(rejectPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, _ := csv.NewReader(f).ReadAll()
	if len(recs) != 2 || recs[1][0] != "5" || recs[1][2] != "01900000-0000-7000-8000-000000000000" {
		t.Fatalf("rejects %q", recs)
	}
}
