// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestConcurrentImportsSameAgency runs imports into one agency at the
// same time, each taking the case-number sequences of several years in
// its own order (a group of chunks, years ascending in one import and
// descending in the next). On PostgreSQL each transaction locks the
// sequence rows it reserves numbers from; without an order between
// imports two of them deadlock and one fails. Every import must succeed,
// every case be numbered once, and the cubes agree with the cases.
func TestConcurrentImportsSameAgency(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		const imports, rounds, years = 4, 6, 4
		var wg sync.WaitGroup
		errs := make(chan error, imports*rounds)
		for g := range imports {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for r := range rounds {
					var batches []domain.PreparedImport
					for y := range years {
						year := 2020 + y
						if (g+r)%2 == 1 {
							year = 2020 + years - 1 - y
						}
						var cases []*domain.Case
						for i := range 5 {
							c := NewCase("KIN")
							c.RegistrationDate = domain.NewDate(year, 3, 1+i)
							c.SourceKey = fmt.Sprintf("conc:%d:%d:%d:%d", g, r, y, i)
							cases = append(cases, c)
						}
						p, err := db.PrepareImport(cases)
						if err != nil {
							errs <- err
							return
						}
						batches = append(batches, p)
					}
					taken := 0
					if _, err := db.ImportPreparedGroup(ctx, yield(batches, &taken)); err != nil {
						errs <- fmt.Errorf("import %d round %d: %w", g, r, err)
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		page, err := db.FindCases(ctx, domain.CaseFilter{Agency: "KIN", Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if want := int64(imports * rounds * years * 5); page.Total != want {
			t.Fatalf("%d cases, want %d", page.Total, want)
		}
		checkCubes(t, db, "after concurrent imports")
	})
}
