// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"vigie/internal/auth"
	"vigie/internal/domain"
	"vigie/internal/httpapi"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// The cost of signing in (issue 3) with the production password hashing,
// auth.DefaultParams (argon2id m=19 MiB, t=2, p=1: OWASP's minimum):
//
//	go test -run '^$' -bench SignIn -benchtime 2s ./internal/httpapi/
//
// B/op counts every allocation in the process, the server's included
// (httptest runs it here), so it shows the 19 MiB argon2 block per
// sign-in.

// signInServer starts the API over db with a caseworker of KIN whose
// password was hashed with DefaultParams. The throttle only delays after
// failures and every sign-in here succeeds; it is given room for many
// counters all the same.
func signInServer(b *testing.B, db *sqlstore.DB) (*httptest.Server, string) {
	b.Helper()
	ctx := context.Background()
	if _, err := db.EnsureAgency(ctx, "KIN", "Division provinciale des affaires sociales, Kinshasa"); err != nil {
		b.Fatal(err)
	}
	h, err := auth.HashPassword(testPassword, auth.DefaultParams)
	if err != nil {
		b.Fatal(err)
	}
	u := &domain.User{Email: "caseworker@kin.example", Name: "Chantal Mbombo", Agency: "KIN", Roles: []domain.Role{domain.RoleCaseworker}}
	if err := db.CreateUser(ctx, u, h); err != nil {
		b.Fatal(err)
	}
	s := services(db)
	s.Throttle = auth.NewThrottle(1 << 16)
	srv := httptest.NewServer(httpapi.New(s))
	b.Cleanup(srv.Close)
	return srv, `{"email":"caseworker@kin.example","password":"` + testPassword + `"}`
}

// signIn posts one sign-in and checks that it succeeded.
func signIn(b *testing.B, client *http.Client, url, body string) {
	resp, err := client.Post(url+"/api/v1/auth/sign-in", "application/json", strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("sign-in: status %d", resp.StatusCode)
	}
}

// benchDB opens a fresh database of this kind.
func benchDB(b *testing.B, kind string) *sqlstore.DB {
	if kind == "sqlite" {
		return sqltest.MustOpenSQLite(b, testNow)
	}
	return sqltest.MustOpenPostgres(b, testNow)
}

// BenchmarkSignIn is POST /api/v1/auth/sign-in over HTTP, one at a time:
// the user and credentials read, the argon2id check, a new session row,
// the audit entry.
func BenchmarkSignIn(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			srv, body := signInServer(b, benchDB(b, kind))
			client := srv.Client()
			b.ReportAllocs()
			for b.Loop() {
				signIn(b, client, srv.URL, body)
			}
		})
	}
}

// BenchmarkSignInParallel is sign-ins sent from GOMAXPROCS clients at
// once: ns/op is then the server's throughput (argon2 runs in at most
// max(2, GOMAXPROCS) hash slots).
func BenchmarkSignInParallel(b *testing.B) {
	srv, body := signInServer(b, benchDB(b, "sqlite"))
	client := srv.Client()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			signIn(b, client, srv.URL, body)
		}
	})
}

// BenchmarkVerifyPassword is the argon2id check alone, with the same
// parameters: the share of a sign-in that is password hashing.
func BenchmarkVerifyPassword(b *testing.B) {
	h, err := auth.HashPassword(testPassword, auth.DefaultParams)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ok, _, err := auth.VerifyPassword(h, testPassword); !ok || err != nil {
			b.Fatalf("verify: %v %v", ok, err)
		}
	}
}
