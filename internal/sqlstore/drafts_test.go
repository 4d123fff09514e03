// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// MustCreateDraftOwner creates a caseworker of agency to own drafts.
func MustCreateDraftOwner(tb testing.TB, db *sqlstore.DB, email, agency string) *domain.User {
	tb.Helper()
	u := &domain.User{Email: email, Agency: agency, Roles: []domain.Role{domain.RoleCaseworker}}
	if err := db.CreateUser(context.Background(), u, "$argon2id$placeholder"); err != nil {
		tb.Fatal(err)
	}
	return u
}

func newDraft(owner *domain.User, values map[string][]string) *domain.Draft {
	return &domain.Draft{ID: uuid.Must(uuid.NewV7()).String(), OwnerID: owner.ID, Agency: owner.Agency, Step: "victim", Values: values}
}

func TestDrafts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		a := MustCreateDraftOwner(t, db, "a@kin.example", "KIN")
		b := MustCreateDraftOwner(t, db, "b@kin.example", "KIN")
		d := newDraft(a, map[string][]string{"prs_FirstName": {"<b>Amani</b>"}})
		if err := db.SaveDraft(ctx, d); err != nil {
			t.Fatal(err)
		}
		t.Run("OK", func(t *testing.T) {
			got, err := db.Draft(ctx, d.ID, a.ID)
			if err != nil || got.Values["prs_FirstName"][0] != "<b>Amani</b>" || got.Step != "victim" || got.Agency != "KIN" {
				t.Fatalf("got %+v, %v", got, err)
			}
			d.Values["prs_SecondName"], d.Step = []string{"Mukendi"}, "situation"
			if err := db.SaveDraft(ctx, d); err != nil {
				t.Fatal(err)
			}
			got, _ = db.Draft(ctx, d.ID, a.ID)
			if got.Values["prs_SecondName"][0] != "Mukendi" || got.Step != "situation" {
				t.Fatalf("update lost: %+v", got)
			}
			list, err := db.Drafts(ctx, a.ID)
			if err != nil || len(list) != 1 || list[0].ID != d.ID || list[0].Values != nil {
				t.Fatalf("list %+v, %v", list, err)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			// Another owner's draft answers exactly as a missing one.
			for _, id := range []string{d.ID, uuid.Must(uuid.NewV7()).String(), "not-a-uuid"} {
				_, err := db.Draft(ctx, id, b.ID)
				wantKind(t, err, domain.KindNotFound)
				wantKind(t, db.DeleteDraft(ctx, id, b.ID), domain.KindNotFound)
				_, _, err = db.RegisterDraft(ctx, id, b.ID, NewCase("KIN"))
				wantKind(t, err, domain.KindNotFound)
			}
			// Saving over another owner's draft must not take it.
			steal := &domain.Draft{ID: d.ID, OwnerID: b.ID, Agency: "KIN", Step: "victim", Values: map[string][]string{"x": {"y"}}}
			wantKind(t, db.SaveDraft(ctx, steal), domain.KindNotFound)
			if got, err := db.Draft(ctx, d.ID, a.ID); err != nil || got.Values["x"] != nil {
				t.Fatalf("the owner's draft changed: %+v %v", got, err)
			}
			if list, _ := db.Drafts(ctx, b.ID); len(list) != 0 {
				t.Fatalf("b lists a's draft: %+v", list)
			}
		})
		t.Run("ErrTooLarge", func(t *testing.T) {
			big := newDraft(a, map[string][]string{"x": make([]string, domain.MaxDraftValues+1)})
			wantKind(t, db.SaveDraft(ctx, big), domain.KindTooLarge)
		})
		t.Run("RegisterOnce", func(t *testing.T) {
			r := newDraft(a, map[string][]string{"prs_FirstName": {"Bahati"}})
			if err := db.SaveDraft(ctx, r); err != nil {
				t.Fatal(err)
			}
			bad := NewCase("KIN")
			bad.Person.Gender = "Nope"
			if _, _, err := db.RegisterDraft(ctx, r.ID, a.ID, bad); domain.KindOf(err) != domain.KindInvalid {
				t.Fatalf("an invalid case: %v", err)
			}
			// Eight submissions at once: one case.
			var wg sync.WaitGroup
			numbers := make([]string, 8)
			createdN := make([]bool, 8)
			for i := range numbers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n, created, err := db.RegisterDraft(ctx, r.ID, a.ID, NewCase("KIN"))
					if err != nil {
						t.Error(err)
					}
					numbers[i], createdN[i] = n, created
				}()
			}
			wg.Wait()
			created := 0
			for i, n := range numbers {
				if n != numbers[0] || n == "" {
					t.Fatalf("numbers differ: %v", numbers)
				}
				if createdN[i] {
					created++
				}
			}
			if created != 1 {
				t.Fatalf("%d submissions created a case, want 1", created)
			}
			page, err := db.FindCases(ctx, domain.CaseFilter{Agency: "KIN"})
			if err != nil || page.Total != 1 {
				t.Fatalf("%v cases, %v", page, err)
			}
			got, err := db.Draft(ctx, r.ID, a.ID)
			if err != nil || got.CaseNumber != numbers[0] || got.Values != nil {
				t.Fatalf("registered draft %+v, %v", got, err)
			}
			wantKind(t, db.SaveDraft(ctx, r), domain.KindConflict)
			wantKind(t, db.DeleteDraft(ctx, r.ID, a.ID), domain.KindConflict)
			if list, _ := db.Drafts(ctx, a.ID); len(list) != 1 {
				t.Fatalf("a registered draft is still listed: %+v", list)
			}
		})
		t.Run("StaleRemoved", func(t *testing.T) {
			old := newDraft(b, map[string][]string{"prs_FirstName": {"Ancien"}})
			if err := db.SaveDraft(ctx, old); err != nil {
				t.Fatal(err)
			}
			defer func() { db.Now = func() time.Time { return fixedNow } }()
			db.Now = func() time.Time { return fixedNow.Add(domain.DraftLifetime + time.Hour) }
			if err := db.SaveDraft(ctx, newDraft(b, map[string][]string{"prs_FirstName": {"Nouveau"}})); err != nil {
				t.Fatal(err)
			}
			_, err := db.Draft(ctx, old.ID, b.ID)
			wantKind(t, err, domain.KindNotFound)
			if _, err := db.Draft(ctx, d.ID, a.ID); err != nil {
				t.Fatalf("another owner's draft went too: %v", err)
			}
		})
		t.Run("Delete", func(t *testing.T) {
			if err := db.DeleteDraft(ctx, d.ID, a.ID); err != nil {
				t.Fatal(err)
			}
			_, err := db.Draft(ctx, d.ID, a.ID)
			wantKind(t, err, domain.KindNotFound)
		})
	})
}

// TestDraftSealedOnDisk: what is typed in a draft is never in the SQLite
// files in clear.
func TestDraftSealedOnDisk(t *testing.T) {
	db := sqltest.MustOpenSQLite(t, fixedNow)
	path, _ := strings.CutPrefix(db.Location, "sqlite:")
	MustCreateAgency(t, db, "KIN")
	a := MustCreateDraftOwner(t, db, "a@kin.example", "KIN")
	const secret = "Zawadi-Kapinga-7731"
	if err := db.SaveDraft(context.Background(), newDraft(a, map[string][]string{"prs_FirstName": {secret}})); err != nil {
		t.Fatal(err)
	}
	var all []byte
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	if !bytes.Contains(all, []byte("a@kin.example")) {
		t.Fatal("the test reads the wrong files")
	}
	if bytes.Contains(all, []byte(secret)) || bytes.Contains(all, []byte("prs_FirstName")) {
		t.Fatal("a draft's values are in the database files in clear")
	}
}
