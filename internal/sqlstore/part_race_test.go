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

// TestConcurrentPartChanges runs many writers on the parts of one case at
// the same time, each at the version it read, as clients of the API do.
// Exactly one change at a given version may win, whatever mixes of
// updates and deletes race; the others get a conflict (or not found, once
// the part is gone), never a success that did nothing; and the counts and
// the report cube, which each change moves from the state it read, agree
// with the cases afterwards. On PostgreSQL (read committed) two
// transactions used to read the same case: a delete at a stale version
// matched no row and still answered success, and adds of events in
// different countries each moved the cube from the same "before".
func TestConcurrentPartChanges(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		const writers = 12
		tests := []struct {
			name string
			// op is writer i's change of the event (id) at version 1.
			op func(i int, caseID, id string) error
			// winners is how many changes may succeed.
			winners int
		}{
			{"UpdatesAtOneVersion", func(i int, caseID, id string) error {
				e := &domain.Event{Type: "Transit", Country: "RW", City: fmt.Sprint("C", i)}
				e.ID, e.Version = id, 1
				return db.UpdatePart(ctx, caseID, domain.PartEvents, e)
			}, 1},
			{"DeletesAtOneVersion", func(i int, caseID, id string) error {
				return db.DeletePart(ctx, caseID, domain.PartEvents, id, 1)
			}, 1},
			{"UpdatesAndDeletes", func(i int, caseID, id string) error {
				if i%2 == 0 {
					return db.DeletePart(ctx, caseID, domain.PartEvents, id, 1)
				}
				e := &domain.Event{Type: "Exploitation", Country: "UG"}
				e.ID, e.Version = id, 1
				return db.UpdatePart(ctx, caseID, domain.PartEvents, e)
			}, 1},
			{"AddsInSeveralCountries", func(i int, caseID, _ string) error {
				countries := []string{"FR", "RW", "UG", "BE"}
				return db.AddPart(ctx, caseID, domain.PartEvents, &domain.Event{Type: "Exploitation", Country: countries[i%len(countries)]})
			}, writers},
			{"CaseUpdatesAndAdds", func(i int, caseID, _ string) error {
				if i%2 == 1 {
					return db.AddPart(ctx, caseID, domain.PartEvents, &domain.Event{Type: "Exploitation", Country: "FR"})
				}
				c := NewCase("KIN")
				c.Events = nil
				c.ID, c.Version = caseID, 1
				c.Person.Gender = []string{"Masculine", "NonSpecifiedUnknown"}[i%4/2]
				return db.UpdateCase(ctx, c)
			}, 1 + writers/2},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := NewCase("KIN")
				MustCreateCase(t, db, c)
				id := c.Events[0].ID
				errs := make([]error, writers)
				var wg sync.WaitGroup
				start := make(chan struct{})
				for i := range writers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						errs[i] = tt.op(i, c.ID, id)
					}()
				}
				close(start)
				wg.Wait()
				won := 0
				for _, err := range errs {
					switch domain.KindOf(err) {
					case "":
						won++
					case domain.KindConflict, domain.KindNotFound:
					default:
						t.Errorf("unexpected error: %v", err)
					}
				}
				if won != tt.winners {
					t.Errorf("%d changes succeeded, want %d: %v", won, tt.winners, errs)
				}
				stored, err := db.Case(ctx, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				if tt.winners == 1 {
					// What is stored is what the one winner did.
					var v int64
					for _, e := range stored.Events {
						if e.ID == id {
							v = e.Version
						}
					}
					if v != 0 && v != 2 {
						t.Errorf("the event is at version %d after one change of version 1", v)
					}
				}
				checkCubes(t, db, tt.name)
			})
		}
	})
}
