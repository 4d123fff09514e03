// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInputFileSaysWhyItCannotBeOpened: a file given to case add, import
// or training import that cannot be opened says why, and its exit code
// follows the reason — every failure was 'cannot open FILE', exit 4 (not
// found), so a file the operator may not read (checked by hand as
// another user: 'permission denied', exit 6) or a path through a file
// ('not a directory', exit 3) looked like a typo in the name.
func TestInputFileSaysWhyItCannotBeOpened(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "cases.csv")
	if err := os.WriteFile(file, []byte("x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	if code, _, errs := vigie(t, "", "agency", "add", "KIN", "Kinshasa", "--data", data); code != 0 {
		t.Fatalf("agency add: %d %s", code, errs)
	}
	tests := []struct {
		name string
		path string
		code int
		want string
	}{
		{"Missing", filepath.Join(dir, "missing.csv"), 4, "no such file or directory"},
		{"ThroughAFile", filepath.Join(file, "x.csv"), 3, "not a directory"},
	}
	for _, tt := range tests {
		for _, args := range [][]string{
			{"case", "add", tt.path},
			{"import", "ctdc", tt.path},
			{"import", "htcds", tt.path, "--format", "csv"},
			{"training", "import", "01a22282-8ff5-733b-95e6-b9521aa0e31a", tt.path},
			{"anonymize", "ctdc", tt.path, filepath.Join(dir, "out.csv")},
		} {
			t.Run(tt.name+"/"+strings.Join(args[:2], "_"), func(t *testing.T) {
				if args[0] != "anonymize" { // works on files alone
					args = append(args, "--data", data)
				}
				code, _, errs := vigie(t, "", args...)
				if code != tt.code || !strings.Contains(errs, "cannot open "+tt.path+": "+tt.want) {
					t.Errorf("vigie %v: exit %d (want %d), stderr %q (want %q)", args, code, tt.code, errs, tt.want)
				}
			})
		}
	}
}
