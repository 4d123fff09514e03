// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"vigie/internal/sqlstore"
)

func TestImportSource(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		steps := []struct {
			name, digest, source, want string
		}{
			{"OK_first_file_keeps_its_name", "aa01", "ctdc.csv", "ctdc.csv"},
			{"OK_same_file_again", "aa01", "ctdc.csv", "ctdc.csv"},
			{"renamed_copy_gets_the_first_name", "aa01", "copy of ctdc.csv", "ctdc.csv"},
			{"OK_other_content_under_the_same_name", "bb02", "ctdc.csv", "ctdc.csv"},
			{"OK_other_content_other_name", "cc03", "other.csv", "other.csv"},
		}
		for _, s := range steps {
			got, at, err := db.ImportSource(ctx, s.digest, s.source)
			if err != nil || got != s.want || !at.Equal(fixedNow) {
				t.Errorf("%s: ImportSource(%s, %s) = %q, %v, %v; want %q at %v", s.name, s.digest, s.source, got, at, err, s.want, fixedNow)
			}
		}
		// Imports of the same content at once agree on one name.
		var wg sync.WaitGroup
		names := make([]string, 8)
		for i := range names {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, _, err := db.ImportSource(ctx, "dd04", fmt.Sprintf("copy%d.csv", i))
				if err != nil {
					t.Error(err)
				}
				names[i] = got
			}()
		}
		wg.Wait()
		for _, n := range names {
			if n != names[0] || n == "" {
				t.Fatalf("concurrent imports got names %q", names)
			}
		}
	})
}
