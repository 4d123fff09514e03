// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"encoding/json"
	"reflect"
	"sync"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

func TestMigrationsMatchAcrossDialects(t *testing.T) {
	lite, err := sqlstore.Migrations("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	pg, err := sqlstore.Migrations("postgres")
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 || len(lite) != len(pg) {
		t.Fatalf("sqlite has %d migrations, postgres %d: every number must exist for both", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].Number != pg[i].Number || lite[i].Name != pg[i].Name {
			t.Errorf("migration %d: sqlite %s, postgres %s", i, lite[i].Name, pg[i].Name)
		}
	}
}

func TestMigrateTwiceAppliesNothing(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		applied, err := db.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Fatalf("second Migrate applied %v", applied)
		}
	})
}

func TestAgency(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		t.Run("ErrConflict", func(t *testing.T) {
			wantKind(t, db.CreateAgency(ctx, &domain.Agency{Code: "KIN", Name: "Autre"}), domain.KindConflict)
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			wantKind(t, db.CreateAgency(ctx, &domain.Agency{Code: "kin-1", Name: ""}), domain.KindInvalid)
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := db.Agency(ctx, "NOPE")
			wantKind(t, err, domain.KindNotFound)
		})
		t.Run("EnsureIsIdempotent", func(t *testing.T) {
			a, err := db.EnsureAgency(ctx, "CTDC", "CTDC import")
			if err != nil {
				t.Fatal(err)
			}
			b, err := db.EnsureAgency(ctx, "CTDC", "other name")
			if err != nil || a.ID != b.ID {
				t.Fatalf("EnsureAgency twice: %v %v %v", a.ID, b, err)
			}
		})
		t.Run("EnsureAtOnce", func(t *testing.T) {
			// Many writers ensuring the same new agency at once all get
			// the one agency: a conflict is read again, never reported
			// as "does not exist".
			ids := make([]string, 8)
			errs := make([]error, len(ids))
			var wg sync.WaitGroup
			for i := range ids {
				wg.Go(func() {
					a, err := db.EnsureAgency(ctx, "GOM", "Goma")
					if err == nil {
						ids[i] = a.ID
					}
					errs[i] = err
				})
			}
			wg.Wait()
			for i := range ids {
				if errs[i] != nil || ids[i] != ids[0] || ids[i] == "" {
					t.Fatalf("writer %d: %q, %v (first %q)", i, ids[i], errs[i], ids[0])
				}
			}
		})
	})
}

func TestCreateAndReadCase(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		c := NewCase("KIN")
		c.Consents = []*domain.Consent{{Consent: true, Date: domain.NewDate(2026, 3, 14)}}
		c.Comments = []*domain.Comment{{Text: "Première rencontre au centre de transit. <script>alert(1)</script>"}}
		c.Perpetrators = []*domain.Perpetrator{{Person: domain.Person{FirstName: "X", Gender: "Masculine"}, RoleInProcess: []string{"RecruiterOrIntermediary"}}}
		c.Referrals = []*domain.Referral{{Direction: "outgoing", ReferredOrganisation: "GOMA-SHELTER", ReasonForOutgoingReferral: "AdditionalServicesRequired"}}
		c.SupportPlans = []*domain.SupportPlan{{Type: "Health", Objectives: "Soins"}}
		MustCreateCase(t, db, c)
		if c.Number != "KIN-2026-000001" || c.Version != 1 || c.ID == "" {
			t.Fatalf("created case: number %q version %d id %q", c.Number, c.Version, c.ID)
		}
		second := MustCreateCase(t, db, NewCase("KIN"))
		if second.Number != "KIN-2026-000002" {
			t.Fatalf("second number %s", second.Number)
		}
		for _, ref := range []string{c.ID, c.Number} {
			got, err := db.Case(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := json.Marshal(c)
			b, _ := json.Marshal(got)
			if string(a) != string(b) {
				t.Fatalf("read back by %s differs:\n got %s\nwant %s", ref, b, a)
			}
		}
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := db.Case(ctx, "KIN-2026-999999")
			wantKind(t, err, domain.KindNotFound)
			_, err = db.Case(ctx, "0190a000-0000-7000-8000-000000000000")
			wantKind(t, err, domain.KindNotFound)
		})
		t.Run("ErrUnknownAgency", func(t *testing.T) {
			err := db.CreateCase(ctx, NewCase("NOPE"))
			wantKind(t, err, domain.KindInvalid)
			if fe := domain.FieldErrors(err); len(fe) != 1 || fe[0].Field != "agency" {
				t.Fatalf("field errors %v", fe)
			}
		})
		t.Run("ErrInvalidFields", func(t *testing.T) {
			bad := NewCase("KIN")
			bad.Person.Gender = "Female "
			bad.Person.Citizenship = []string{"ZR"}
			bad.Person.Birthdate = domain.NewDate(2027, 1, 1)
			bad.Victim.TypeOfExploitation = []string{"Slavery"}
			bad.Events[0].Country = "cd"
			err := db.CreateCase(ctx, bad)
			wantKind(t, err, domain.KindInvalid)
			fields := map[string]bool{}
			for _, f := range domain.FieldErrors(err) {
				fields[f.Field] = true
			}
			for _, f := range []string{"person.prs_Gender", "person.prs_Citizenship", "person.prs_Birthdate", "victim.vic_TypeOfExploitation", "events[0].hte_Country"} {
				if !fields[f] {
					t.Errorf("no error for %s in %v", f, domain.FieldErrors(err))
				}
			}
		})
	})
}

func TestUpdateCaseVersions(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		c := MustCreateCase(t, db, NewCase("KIN"))
		edit, _ := db.Case(ctx, c.ID)
		edit.Status = "FollowUp"
		edit.Person.Citizenship = []string{"CD", "AO"}
		if err := db.UpdateCase(ctx, edit); err != nil {
			t.Fatal(err)
		}
		if edit.Version != 2 {
			t.Fatalf("version after update %d", edit.Version)
		}
		got, _ := db.Case(ctx, c.Number)
		if got.Status != "FollowUp" || !reflect.DeepEqual(got.Person.Citizenship, []string{"CD", "AO"}) || len(got.Events) != 1 {
			t.Fatalf("after update: %+v", got)
		}
		t.Run("ErrConflictStale", func(t *testing.T) {
			stale := *c // version 1
			stale.Status = "Closed"
			wantKind(t, db.UpdateCase(ctx, &stale), domain.KindConflict)
			again, _ := db.Case(ctx, c.ID)
			if again.Status != "FollowUp" {
				t.Fatal("stale update changed the case")
			}
		})
		t.Run("ErrImmutableAgency", func(t *testing.T) {
			MustCreateAgency(t, db, "GOM")
			x, _ := db.Case(ctx, c.ID)
			x.Agency = "GOM"
			wantKind(t, db.UpdateCase(ctx, x), domain.KindInvalid)
		})
		t.Run("ConcurrentUpdatesOneWins", func(t *testing.T) {
			base, _ := db.Case(ctx, c.ID)
			var wg sync.WaitGroup
			errs := make([]error, 8)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					mine := *base
					mine.Person.FirstName = "Writer" + string(rune('A'+i))
					errs[i] = db.UpdateCase(ctx, &mine)
				}()
			}
			wg.Wait()
			ok, conflicts := 0, 0
			for _, err := range errs {
				switch domain.KindOf(err) {
				case "":
					ok++
				case domain.KindConflict:
					conflicts++
				default:
					t.Errorf("unexpected error %v", err)
				}
			}
			if ok != 1 || conflicts != 7 {
				t.Fatalf("%d updates succeeded and %d conflicted; want 1 and 7", ok, conflicts)
			}
		})
	})
}

func TestParts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		c := NewCase("KIN")
		c.Events = nil
		MustCreateCase(t, db, c)
		ev := &domain.Event{Type: "Exploitation", Country: "ZM"}
		if err := db.AddPart(ctx, c.Number, domain.PartEvents, ev); err != nil {
			t.Fatal(err)
		}
		page, err := db.FindCases(ctx, domain.CaseFilter{ExploitationCountry: "ZM"})
		if err != nil || page.Total != 1 {
			t.Fatalf("country of exploitation not derived from the new event: %v %v", page, err)
		}
		ev.Country = "AO"
		if err := db.UpdatePart(ctx, c.ID, domain.PartEvents, ev); err != nil {
			t.Fatal(err)
		}
		if ev.Version != 2 {
			t.Fatalf("event version %d", ev.Version)
		}
		t.Run("ErrConflictStalePart", func(t *testing.T) {
			stale := *ev
			stale.Version = 1
			wantKind(t, db.UpdatePart(ctx, c.ID, domain.PartEvents, &stale), domain.KindConflict)
			wantKind(t, db.DeletePart(ctx, c.ID, domain.PartEvents, ev.ID, 1), domain.KindConflict)
		})
		t.Run("ErrInvalidPart", func(t *testing.T) {
			wantKind(t, db.AddPart(ctx, c.ID, domain.PartComments, &domain.Comment{}), domain.KindInvalid)
			wantKind(t, db.AddPart(ctx, c.ID, domain.PartReferrals, &domain.Referral{Direction: "sideways"}), domain.KindInvalid)
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			wantKind(t, db.AddPart(ctx, "KIN-2026-000404", domain.PartComments, &domain.Comment{Text: "x"}), domain.KindNotFound)
			wantKind(t, db.DeletePart(ctx, c.ID, domain.PartEvents, "0190a000-0000-7000-8000-000000000000", 1), domain.KindNotFound)
		})
		if err := db.DeletePart(ctx, c.ID, domain.PartEvents, ev.ID, 2); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Case(ctx, c.ID)
		if len(got.Events) != 0 || got.Version != 1 {
			t.Fatalf("after delete: %d events, case version %d (parts must not bump the case version)", len(got.Events), got.Version)
		}
		page, _ = db.FindCases(ctx, domain.CaseFilter{ExploitationCountry: "AO"})
		if page.Total != 0 {
			t.Fatal("country of exploitation kept after the event was deleted")
		}
		t.Run("DeleteTheEventACaseWasCreatedWith", func(t *testing.T) {
			// The counts cube is checked against the cases when the test ends.
			withEvent := MustCreateCase(t, db, NewCase("KIN"))
			ev := withEvent.Events[0]
			if err := db.DeletePart(ctx, withEvent.ID, domain.PartEvents, ev.ID, ev.Version); err != nil {
				t.Fatal(err)
			}
			if err := db.VerifyCounts(ctx); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func TestSituationLinksCases(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		s := &domain.Situation{Agency: "KIN", Title: "Mine de Kolwezi"}
		if err := db.CreateSituation(ctx, s); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			c := NewCase("KIN")
			c.SituationID = s.ID
			MustCreateCase(t, db, c)
		}
		got, err := db.Situation(ctx, s.ID)
		if err != nil || len(got.CaseNumbers) != 3 {
			t.Fatalf("situation %+v %v", got, err)
		}
		bad := NewCase("KIN")
		bad.SituationID = "0190a000-0000-7000-8000-000000000000"
		wantKind(t, db.CreateCase(ctx, bad), domain.KindInvalid)
	})
}
