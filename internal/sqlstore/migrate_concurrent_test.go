// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"sync"
	"testing"

	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestConcurrentFirstMigrate: processes that open a new PostgreSQL schema
// at once (two imports started together on a fresh database) all migrate
// it — CREATE TABLE IF NOT EXISTS of the migrations table raced, and one
// failed with a unique violation before taking the migrations lock.
func TestConcurrentFirstMigrate(t *testing.T) {
	for _, n := range []int{2, 4} {
		url := sqltest.PostgresSchemaURL(t)
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				db, err := sqlstore.Open(context.Background(), url, "")
				if err != nil {
					errs[i] = err
					return
				}
				defer db.Close()
				_, errs[i] = db.Migrate(context.Background())
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("%d at once: process %d: %v", n, i, err)
			}
		}
	}
}
