// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportUnknownAgencyNotFound: an export of an agency that does not
// exist is "not found" (4), as documented, before any file is made; it was
// "invalid data" (3).
func TestExportUnknownAgencyNotFound(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, errs := vigie(t, "", "agency", "add", "KIN", "Kinshasa", "--data", data); code != 0 {
		t.Fatalf("agency add: %d %s", code, errs)
	}
	out := filepath.Join(dir, "x.csv")
	code, _, errs := vigie(t, "", "export", "htcds", "--agency", "NOPE", "--format", "csv", "--out", out, "--data", data)
	if code != 4 || !strings.Contains(errs, "NOPE") {
		t.Fatalf("exit %d, want 4: %s", code, errs)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("a file was made: %v", err)
	}
	if code, _, errs := vigie(t, "", "export", "htcds", "--agency", "KIN", "--format", "csv", "--out", out, "--data", data); code != 0 {
		t.Fatalf("KIN: exit %d: %s", code, errs)
	}
}

// TestImportOddFileName: a file whose name is not UTF-8 (from a Windows
// archive) or holds a control character is imported under a cleaned name
// (it was refused: "source: must be UTF-8 text", a flag never given), and
// again under the same one (nothing duplicated).
func TestImportOddFileName(t *testing.T) {
	dir := t.TempDir()
	for i, name := range []string{"donn\xe9es.csv", "a\tb.csv", strings.Repeat("e", 200) + ".csv"} {
		data := filepath.Join(dir, fmt.Sprint("data", i))
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(vpFile), 0o600); err != nil {
			t.Fatal(err)
		}
		for run, want := range []string{"imported: 1 rejected: 1", "imported: 0 rejected: 1"} {
			code, out, errs := vigie(t, "", "import", "ctdc", path, "--data", data, "--quiet", "--reject", filepath.Join(dir, "r.csv"))
			if code != 0 || !strings.Contains(out, want) {
				t.Fatalf("%q run %d: exit %d\nstdout: %q\nstderr: %q", name, run+1, code, out, errs)
			}
		}
	}
}
