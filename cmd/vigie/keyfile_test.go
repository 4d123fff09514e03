// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnusableKeyFileSaysWhy: a master key file Vigie refuses says why —
// other users may read it (with the chmod to run), or it is not a key
// file — and never prints its contents. Every command said only 'clé
// maîtresse / master key file DIR/vigie.key', exit 7: a key file restored
// from a backup with mode 0644 left the operator with no clue.
func TestUnusableKeyFileSaysWhy(t *testing.T) {
	tests := []struct {
		name    string
		content string
		mode    os.FileMode
		want    string
	}{
		{"ReadableByOthers", "", 0o644, "chmod 600"},
		{"WritableByGroup", "", 0o620, "chmod 600"},
		{"NotAKeyFile", "SECRETCONTENT not a key", 0o600, "malformed"},
		{"Empty", "-", 0o600, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := t.TempDir()
			if code, _, errs := vigie(t, "", "migrate", "--data", data); code != 0 {
				t.Fatalf("migrate: exit %d: %s", code, errs)
			}
			key := filepath.Join(data, "vigie.key")
			if code, _, errs := vigie(t, "", "agency", "add", "KIN", "Kinshasa", "--data", data); code != 0 {
				t.Fatalf("agency add: exit %d: %s", code, errs)
			}
			switch tt.content {
			case "":
			case "-":
				if err := os.WriteFile(key, nil, 0o600); err != nil {
					t.Fatal(err)
				}
			default:
				if err := os.WriteFile(key, []byte(tt.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Chmod(key, tt.mode); err != nil {
				t.Fatal(err)
			}
			code, _, errs := vigie(t, "", "agency", "list", "--data", data)
			if code != 7 || !strings.Contains(errs, tt.want) || strings.Contains(errs, "SECRETCONTENT") {
				t.Errorf("exit %d, stderr %q; want 7 and %q, never the file's contents", code, errs, tt.want)
			}
		})
	}
}
