// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestOpenSaysWhyTheDataFolderCannotBeUsed: a --data that cannot hold the
// database says why, not only that it cannot — './vigie-data' left as a
// file, or a folder below a file, was 'cannot create the data directory
// vigie-data', and the user could not tell a typo from a full disk or a
// permission. (A folder that cannot be written, 'permission denied',
// needs a user other than root: checked by hand with setpriv.)
func TestOpenSaysWhyTheDataFolderCannotBeUsed(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "vigie-data")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	dbIsFolder := filepath.Join(dir, "d")
	if err := os.MkdirAll(filepath.Join(dbIsFolder, "vigie.db"), 0o700); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, data, want string
	}{
		{"DataIsAFile", file, "not a directory"},
		{"BelowAFile", filepath.Join(file, "sub"), "not a directory"},
		{"DatabaseIsAFolder", dbIsFolder, "is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := sqlstore.Open(context.Background(), "", tt.data)
			if err == nil {
				db.Close()
				t.Fatal("opened")
			}
			msg := domain.SafeMessage(err)
			if domain.KindOf(err) != domain.KindUnavailable || !strings.Contains(msg, tt.data) || !strings.Contains(msg, tt.want) {
				t.Errorf("Open(%s) = %q (%v), want unavailable naming the folder and %q", tt.data, msg, domain.KindOf(err), tt.want)
			}
		})
	}
}
