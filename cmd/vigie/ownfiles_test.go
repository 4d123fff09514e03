// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutputsNeverOverwriteOwnFiles: "export --out DATA/vigie.db" wrote a
// CSV over the database (exit 0, then "file is not a database"), and
// "import --reject DATA/vigie.key" wrote the rejects over the master key
// after sealing the imported rows with it: data lost for good. Every
// output naming the database, its journal files or the key file — by
// another spelling, through a link to the folder, or by a hard link — is
// refused as a usage error (2), and those files are left as they were.
func TestOutputsNeverOverwriteOwnFiles(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	in := filepath.Join(dir, "in.csv")
	if err := os.WriteFile(in, []byte(vpFile), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := vigie(t, "", "import", "ctdc", in, "--data", data, "--quiet"); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	db, key := filepath.Join(data, "vigie.db"), filepath.Join(data, "vigie.key")
	if err := os.Symlink(data, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(key, filepath.Join(dir, "key-hardlink")); err != nil {
		t.Fatal(err)
	}
	digest := func() [2][32]byte {
		a, err := os.ReadFile(db)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(key)
		if err != nil {
			t.Fatal(err)
		}
		return [2][32]byte{sha256.Sum256(a), sha256.Sum256(b)}
	}
	before := digest()
	tests := []struct {
		name string
		args []string
	}{
		{"ExportOverDB", []string{"export", "htcds", "--format", "csv", "--out", db, "--data", data}},
		{"ExportOverKey", []string{"export", "htcds", "--format", "json", "--out", key, "--data", data}},
		{"ExportOverKeyOtherSpelling", []string{"export", "htcds", "--format", "json", "--out", filepath.Join(data, "..", "data", "./vigie.key"), "--data", data}},
		{"ExportThroughFolderLink", []string{"export", "htcds", "--format", "csv", "--out", filepath.Join(dir, "link", "vigie.db"), "--data", data}},
		{"ExportOverKeyHardLink", []string{"export", "htcds", "--format", "csv", "--out", filepath.Join(dir, "key-hardlink"), "--data", data}},
		{"ExportOverWAL", []string{"export", "htcds", "--format", "csv", "--out", db + "-wal", "--data", data}},
		{"ExportOverKeyFileFlag", []string{"export", "htcds", "--format", "csv", "--out", key, "--data", data, "--key-file", key}},
		{"RejectOverKey", []string{"import", "ctdc", in, "--data", data, "--source", "other", "--reject", key, "--quiet"}},
		{"RejectOverDB", []string{"import", "ctdc", in, "--data", data, "--source", "other2", "--reject", db, "--quiet"}},
		{"RejectOverJournal", []string{"import", "ctdc", in, "--data", data, "--source", "other3", "--reject", db + "-journal", "--quiet"}},
		{"ReportOverDB", []string{"report", "annual", "--year", "2019", "--format", "csv", "--out", db, "--data", data}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := vigie(t, "", tt.args...)
			if code != 2 || !strings.Contains(errs, "Vigie's own files") {
				t.Fatalf("exit %d, want 2\nstdout: %q\nstderr: %q", code, out, errs)
			}
			if after := digest(); after != before {
				t.Fatal("the database or the key file changed")
			}
		})
	}
	if _, err := os.Stat(db + "-journal"); err == nil {
		t.Fatal("a journal file was created beside the database")
	}
	// An output elsewhere in the data folder's parent is written as before.
	if code, _, errs := vigie(t, "", "export", "htcds", "--format", "csv", "--out", filepath.Join(dir, "cases.csv"), "--data", data); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errs)
	}
	if code, out, errs := vigie(t, "", "case", "list", "--data", data); code != 0 || !strings.Contains(out, "CTDC-") {
		t.Fatalf("case list after the refusals: exit %d\n%s%s", code, out, errs)
	}
}

// TestOwnFilesThroughLinksAndURIs (second round): a --reject link to the
// database's -wal file while the database was closed (no such file yet)
// was not seen as the database's: the rejects were written into the WAL
// and the database was corrupted. A database that is itself a link keeps
// its WAL beside its target. And a sqlite: path with %XX or # opened
// another file than the one protected (SQLite's URI decodes them): it
// now opens the file as typed.
func TestOwnFilesThroughLinksAndURIs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	if err := os.WriteFile(in, []byte(vpFile), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	if code, out, errs := vigie(t, "", "import", "ctdc", in, "--data", data, "--quiet"); code != 3 && code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	dangling := filepath.Join(dir, "rj.csv")
	if err := os.Symlink(filepath.Join(data, "vigie.db-wal"), dangling); err != nil {
		t.Fatal(err)
	}
	// A database that is a link, in another folder.
	real := filepath.Join(dir, "real")
	if err := os.Mkdir(real, 0o700); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := vigie(t, "", "migrate", "--db", "sqlite:"+filepath.Join(real, "real.db"), "--key-file", filepath.Join(real, "k.key")); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	linked := filepath.Join(dir, "linked")
	if err := os.Mkdir(linked, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(real, "real.db"), filepath.Join(linked, "vigie.db")); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"import", "ctdc", in, "--data", data, "--source", "again", "--reject", dangling, "--quiet"},
		{"export", "htcds", "--format", "csv", "--out", dangling, "--data", data},
		{"export", "htcds", "--format", "csv", "--out", filepath.Join(real, "real.db-wal"), "--data", linked},
	} {
		if code, out, errs := vigie(t, "", args...); code != 2 || !strings.Contains(errs, "Vigie's own files") {
			t.Errorf("%v: exit %d, want 2\nstdout: %q\nstderr: %q", args, code, out, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(data, "vigie.db-wal")); err == nil {
		t.Error("a file was written through the link to the WAL")
	}
	// sqlite:PATH is the file as typed, %41 and # included.
	for _, name := range []string{"q%41.db", "h.db#x", "w?.db"} {
		path := filepath.Join(dir, name)
		db := "sqlite:" + path
		if code, _, errs := vigie(t, "", "migrate", "--db", db, "--key-file", path+".key"); code != 0 {
			t.Fatalf("migrate %s: %s", name, errs)
		}
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v (mode %v): the database is not the file as typed, mode 0600", name, err, fi)
		}
		if code, _, errs := vigie(t, "", "case", "list", "--db", db, "--key-file", path+".key"); code != 0 {
			t.Errorf("case list %s: exit %d %s", name, code, errs)
		}
		if code, _, errs := vigie(t, "", "import", "ctdc", in, "--db", db, "--key-file", path+".key", "--reject", path, "--quiet"); code != 2 {
			t.Errorf("--reject over %s: exit %d %s", name, code, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "qA.db")); err == nil {
		t.Error("sqlite:q%41.db opened qA.db")
	}
}
