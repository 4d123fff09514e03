// SPDX-License-Identifier: AGPL-3.0-or-later

package importer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type fakeDeferStore struct {
	dialect string
	stored  int
	err     error
	done    map[string]int // cases per source
}

func (f fakeDeferStore) Dialect() string                          { return f.dialect }
func (f fakeDeferStore) StoredCases(context.Context) (int, error) { return f.stored, f.err }
func (f fakeDeferStore) SourceCases(_ context.Context, source string) (int, error) {
	return f.done[source], nil
}

func TestAutoDefer(t *testing.T) {
	boom := errors.New("boom")
	for _, c := range []struct {
		name     string
		db       fakeDeferStore
		rows     int
		want     bool
		wantNeed int // the need passed to rows; 0 when rows must not be called
		wantErr  error
	}{
		{"PostgreSQL never", fakeDeferStore{dialect: "postgres"}, 10_000_000, false, 0, nil},
		{"small file, empty database", fakeDeferStore{dialect: "sqlite"}, DeferMinRows - 1, false, DeferMinRows, nil},
		{"large file, empty database", fakeDeferStore{dialect: "sqlite"}, DeferMinRows, true, DeferMinRows, nil},
		{"file smaller than the database", fakeDeferStore{dialect: "sqlite", stored: 300_000}, 299_999, false, 300_000, nil},
		{"file as large as the database", fakeDeferStore{dialect: "sqlite", stored: 300_000}, 300_000, true, 300_000, nil},
		{"the count fails", fakeDeferStore{dialect: "sqlite", err: boom}, 1, false, 0, boom},
		// A rerun of a file whose rows are all stored: nothing new.
		{"rerun of an imported file", fakeDeferStore{dialect: "sqlite", stored: 300_000, done: map[string]int{"f.csv": 300_000}}, 300_000, false, 600_000, nil},
		// The rest of an interrupted import, against what is stored.
		{"rest smaller than the database", fakeDeferStore{dialect: "sqlite", stored: 600_000, done: map[string]int{"f.csv": 600_000}}, 1_000_000, false, 1_200_000, nil},
		{"rest as large as the database", fakeDeferStore{dialect: "sqlite", stored: 400_000, done: map[string]int{"f.csv": 400_000}}, 1_000_000, true, 800_000, nil},
		{"another source's cases", fakeDeferStore{dialect: "sqlite", stored: 100_000, done: map[string]int{"g.csv": 100_000}}, 100_000, true, 100_000, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			gotNeed := 0
			ok, _, _, err := AutoDefer(context.Background(), c.db, "f.csv", func(need int) (int, error) {
				gotNeed = need
				return c.rows, nil
			})
			if ok != c.want || gotNeed != c.wantNeed || !errors.Is(err, c.wantErr) {
				t.Fatalf("ok %v need %d err %v, want %v %d %v", ok, gotNeed, err, c.want, c.wantNeed, c.wantErr)
			}
		})
	}
}

func TestCountLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.csv")
	if err := os.WriteFile(path, []byte(strings.Repeat("a,b\n", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ enough, want int }{{2000, 1000}, {1000, 1000}, {10, 1000}} {
		// The file is read in 1 MiB blocks: a small one is read whole.
		if n, err := CountLines(path, c.enough); err != nil || n != c.want {
			t.Errorf("CountLines(%d) = %d, %v; want %d", c.enough, n, err, c.want)
		}
	}
	if _, err := CountLines(filepath.Join(t.TempDir(), "missing.csv"), 1); err == nil || !strings.Contains(err.Error(), "cannot open") {
		t.Errorf("a missing file: %v", err)
	}
}
