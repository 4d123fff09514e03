// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRefusedFileEndsWithTheImportLine: a file refused as a whole (its
// header, its encoding, empty) still ends with the line every import
// prints — nothing imported, nothing rejected row by row — with the reason
// on stderr and the exit code of invalid data.
func TestRefusedFileEndsWithTheImportLine(t *testing.T) {
	dir := t.TempDir()
	header := "yearOfRegistration,Datasource,gender,ageBroad,majorityStatus"
	tests := []struct {
		name, kind, file, content string
		code                      int
		reason                    string
	}{
		{"CTDC_empty_file", "ctdc", "empty.csv", "", 3, "le fichier est vide : un fichier CTDC commence par une ligne d'en-tête / the file is empty"},
		{"CTDC_duplicated_column", "ctdc", "dup.csv", header + ",gender\n2016,Hotline,Female,18--20,Adult,Female\n", 3, `repeats column 3`},
		{"CTDC_UTF16", "ctdc", "utf16.csv", "\xff\xfey\x00e\x00", 3, "UTF-16"},
		{"CTDC_not_a_CTDC_header", "ctdc", "other.csv", "a,b,c\n1,2,3\n", 3, "not a CTDC header"},
		{"HTCDS_unknown_column", "htcds", "bad.csv", "agency,nonsense\nCTDC,1\n", 3, "nonsense"},
		{"HTCDS_header_in_French_first", "htcds", "bad2.csv", "agency,nonsense\nCTDC,1\n", 3, "la ligne d'en-tête ne correspond pas au format HTCDS / the header row does not match HTCDS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errs := vigie(t, "", "import", tt.kind, path, "--data", filepath.Join(dir, "data"), "--agency", "CTDC")
			if code != tt.code || !strings.HasSuffix(out, "imported: 0 rejected: 0\n") || !strings.Contains(errs, tt.reason) {
				t.Errorf("exit %d, want %d\nstdout: %q\nstderr: %q (want %q)", code, tt.code, out, errs, tt.reason)
			}
		})
	}
	// A usage error is not an import: it prints on stderr only.
	t.Run("UsageErrorPrintsNoImportLine", func(t *testing.T) {
		code, out, errs := vigie(t, "", "import", "ctdc", filepath.Join(dir, "empty.csv"), "--defer-indexes", "maybe", "--data", filepath.Join(dir, "data"))
		if code != 2 || out != "" {
			t.Errorf("exit %d, want 2 and nothing on stdout\nstdout: %q\nstderr: %q", code, out, errs)
		}
	})
}
