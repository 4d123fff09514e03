// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"context"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"vigie/internal/auth"
	"vigie/internal/demo"
	"vigie/internal/domain"
	"vigie/internal/seal"
	"vigie/internal/server"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// clock is the server's time: the real time plus an offset that tests
// move forward, so that each sign-in gets a fresh TOTP step (a code is
// accepted once) without waiting 30 seconds.
type clock struct{ offset atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// env is one running server over a fresh database seeded with the demo's
// fictitious agencies, accounts and cases.
type env struct {
	db       *sqlstore.DB
	srv      *httptest.Server
	clock    *clock
	accounts map[string]demo.Account // by role; "shelter" is DEMONGO's caseworker
}

// cheap keeps the seeded accounts fast to create.
var cheap = auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

type envOptions struct {
	demo     bool // the demo banner and codes
	postgres bool
	cases    int
}

func newEnv(t *testing.T, o envOptions) *env {
	t.Helper()
	e := &env{clock: &clock{}, accounts: map[string]demo.Account{}}
	// The browser flows run on SQLite; VIGIE_E2E_DB=postgres runs them
	// on PostgreSQL (the weight test runs on both always).
	if os.Getenv("VIGIE_E2E_DB") == "postgres" {
		o.postgres = true
	}
	if o.postgres {
		e.db = sqltest.MustOpenPostgres(t, time.Time{})
	} else {
		e.db = sqltest.MustOpenSQLite(t, time.Time{})
	}
	e.db.Now = e.clock.Now
	keys := seal.NewTestKeyring()
	e.db.SetKeys(keys)
	if o.cases == 0 {
		o.cases = 24
	}
	accounts, err := demo.Seed(context.Background(), e.db, demo.Options{Seed: 1, Cases: o.cases, Hash: cheap, Now: e.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accounts {
		role := string(a.Role)
		if a.Agency == "DEMONGO" {
			role = "shelter"
		}
		e.accounts[role] = a
	}
	h := server.New(server.Config{DB: e.db, Keys: keys, Version: "e2e", Demo: o.demo, Now: e.clock.Now})
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	return e
}

// firstCase returns the number of a case of agency that its caseworker
// reaches (the lowest number).
func (e *env) firstCase(t *testing.T, agency string) string {
	t.Helper()
	p, err := e.db.FindCases(context.Background(), domain.CaseFilter{Agency: agency, Sort: "number", Limit: 1})
	if err != nil || len(p.Items) == 0 {
		t.Fatalf("no case of %s: %v", agency, err)
	}
	return p.Items[0].Number
}
