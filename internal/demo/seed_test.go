// SPDX-License-Identifier: AGPL-3.0-or-later

package demo_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"vigie/internal/auth"
	"vigie/internal/demo"
	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

var now = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

var cheap = auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

// digest lists every demo case as a line of its visible fields, in
// case-number order, so that two seedings can be compared.
func digest(t *testing.T, db *sqlstore.DB) []string {
	t.Helper()
	ctx := context.Background()
	page, err := db.FindCases(ctx, domain.CaseFilter{Sort: "number", Limit: domain.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range page.Items {
		c, err := db.Case(ctx, s.Number)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %s %s %s %s %s %v %d %d %d %d", c.Number, c.Status, c.Person.FirstName, c.Person.SecondName,
			c.Person.Gender, c.Person.Birthdate, c.Victim.TypeOfExploitation, len(c.Consents), len(c.Referrals), len(c.Perpetrators), len(c.SupportPlans)))
	}
	return out
}

func TestSeed(t *testing.T) {
	sqltest.ForEachDB(t, now, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if done, err := demo.Seeded(ctx, db); err != nil || done {
			t.Fatalf("an empty database: seeded %v, %v", done, err)
		}
		opts := demo.Options{Seed: 7, Cases: 40, Hash: cheap, Now: now}
		accounts, err := demo.Seed(ctx, db, opts)
		if err != nil {
			t.Fatal(err)
		}
		if done, err := demo.Seeded(ctx, db); err != nil || !done {
			t.Fatalf("after seeding: seeded %v, %v", done, err)
		}
		cases := digest(t, db)
		if len(cases) != 40 {
			t.Fatalf("%d cases, want 40", len(cases))
		}
		statuses := map[string]int{}
		for _, line := range cases {
			// Every number carries the DEMO prefix of its agency.
			if !strings.HasPrefix(line, "DEMO") {
				t.Errorf("a demo case without the DEMO prefix: %s", line)
			}
			statuses[strings.Fields(line)[1]]++
		}
		if len(statuses) < 3 {
			t.Errorf("statuses %v: want cases across statuses", statuses)
		}
		// Every account signs in with its printed password and secret.
		roles := map[domain.Role]bool{}
		for _, a := range accounts {
			roles[a.Role] = true
			if err := auth.CheckPassword(a.Password, a.Email); err != nil {
				t.Errorf("%s: the demo password breaks the policy: %v", a.Email, err)
			}
			u, err := db.User(ctx, a.Email)
			if err != nil {
				t.Fatal(err)
			}
			c, err := db.Credentials(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			needs := domain.NeedsSecondFactor([]domain.Role{a.Role})
			if needs == (a.TOTPSecret == "") {
				t.Errorf("%s: role %s, TOTP secret %q", a.Email, a.Role, a.TOTPSecret)
			}
			if ok, _, _ := auth.VerifyPassword(c.PasswordHash, a.Password); !ok || c.TOTPSecret != a.TOTPSecret || u.TOTPEnabled != needs {
				t.Errorf("%s: password ok %v, TOTP secret stored %v, enabled %v", a.Email, ok, c.TOTPSecret == a.TOTPSecret, u.TOTPEnabled)
			}
		}
		if len(roles) != len(domain.Roles) {
			t.Errorf("demo roles %v: want one account per role", roles)
		}
		again, err := demo.Secrets(ctx, db)
		if err != nil || !slices.Equal(again, accounts) {
			t.Errorf("Secrets gives %v (%v), want %v", again, err, accounts)
		}

		// The same seed gives the same demo on a fresh database.
		other := sqltest.MustOpenSQLite(t, now)
		if db.Dialect() == "postgres" {
			other = sqltest.MustOpenPostgres(t, now)
		}
		accounts2, err := demo.Seed(ctx, other, opts)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(accounts, accounts2) || !slices.Equal(cases, digest(t, other)) {
			t.Error("the same seed gave another demo")
		}
		// Seeding twice is refused by the store (the agencies exist).
		if _, err := demo.Seed(ctx, db, opts); err == nil {
			t.Error("a second seeding succeeded")
		}
	})
}

// TestSeededIncomplete: agencies without the accounts mean an interrupted
// seeding, which is named rather than completed with a mix.
func TestSeededIncomplete(t *testing.T) {
	sqltest.ForEachDB(t, now, func(t *testing.T, db *sqlstore.DB) {
		a := demo.Agencies[0]
		if err := db.CreateAgency(context.Background(), &a); err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Seeded(context.Background(), db); domain.KindOf(err) != domain.KindConflict {
			t.Fatalf("an interrupted seeding: %v, want a conflict", err)
		}
	})
}

// TestNamesAreLists: the people are drawn from the embedded lists only.
func TestNamesAreLists(t *testing.T) {
	db := sqltest.MustOpenSQLite(t, now)
	if _, err := demo.Seed(context.Background(), db, demo.Options{Seed: 3, Cases: 20, Hash: cheap, Now: now}); err != nil {
		t.Fatal(err)
	}
	for _, line := range digest(t, db) {
		f := strings.Fields(line)
		if !demo.KnownName(f[2]) || !demo.KnownName(f[3]) {
			t.Errorf("a name outside the demo lists: %s", line)
		}
	}
}
