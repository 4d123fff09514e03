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
