// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"vigie/internal/sqlstore/sqltest"
)

// TestFirstRunSaysHowToBegin: vigie serve on a database without accounts
// names the four commands that give a caseworker who can read cases — it
// named only "vigie admin create EMAIL", whose admin has no access to
// cases, and after make serve (go run) there is no vigie command to type.
func TestFirstRunSaysHowToBegin(t *testing.T) {
	if got := invocation("/tmp/go-build2918/b001/exe/vigie"); got != "go run ./cmd/vigie" {
		t.Errorf("under go run: %q", got)
	}
	if got := invocation("/usr/local/bin/vigie"); got != "vigie" {
		t.Errorf("installed: %q", got)
	}
	if _, help, _ := vigie(t, "", "--help"); !strings.Contains(help, "vigie admin create EMAIL") || !strings.Contains(help, "vigie token create EMAIL") {
		t.Errorf("vigie --help does not say how to begin:\n%s", help)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan int)
	go func() {
		done <- Main(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, strings.NewReader(""), &out, &errb)
	}()
	re := regexp.MustCompile(`sign in: (http://127\.0\.0\.1:\d+/)`)
	var m []string
	for range 200 {
		if m = re.FindStringSubmatch(out.String()); m != nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	if m == nil || !strings.Contains(out.String(), "listening on "+strings.TrimSuffix(m[1], "/")) {
		t.Fatalf("no sign-in address, or not the server's: %s %s", out.String(), errb.String())
	}
	v := invocation(osArg0())
	for _, cmd := range []string{v + " admin create ", v + " agency add ", v + " user add ", "--role caseworker", v + " token create "} {
		if !strings.Contains(out.String(), cmd) {
			t.Errorf("first run does not say %q:\n%s", cmd, out.String())
		}
	}
}

// TestPostgresMissingSchema: a --db URL whose search_path names a schema
// that does not exist is a mistake in the URL (exit 3, saying to create
// the schema), not "internal error: creating the migrations table failed
// (no schema has been selected to create in)", exit 1.
func TestPostgresMissingSchema(t *testing.T) {
	url := sqltest.PostgresSchemaURL(t) + "_missing"
	code, _, errs := vigie(t, "", "migrate", "--db", url, "--data", t.TempDir())
	if code != 3 || !strings.Contains(errs, "CREATE SCHEMA") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

// TestPostgresRefusal: a --db URL that the server refuses says what the
// server answered — a database or a role that does not exist — with an
// exit code of its own; each was "cannot reach PostgreSQL", exit 7, as if
// the server were down. A port where nothing listens still exits 7 and
// says why.
func TestPostgresRefusal(t *testing.T) {
	good, err := url.Parse(sqltest.PostgresSchemaURL(t))
	if err != nil {
		t.Fatal(err)
	}
	noDB, noRole, noServer := *good, *good, *good
	noDB.Path = "/vigie_no_such_db"
	noRole.User = url.User("vigie_no_such_role")
	noServer.Host = "127.0.0.1:1"
	tests := []struct {
		name string
		url  url.URL
		code int
		msg  string
	}{
		{"DatabaseMissing", noDB, 4, `"vigie_no_such_db" does not exist`}, // not found, as a --data without a database
		{"RoleRefused", noRole, 6, `"vigie_no_such_role"`},
		{"NothingListening", noServer, 7, "cannot reach PostgreSQL at postgres://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := vigie(t, "", "migrate", "--db", tt.url.String(), "--data", t.TempDir())
			if code != tt.code || !strings.Contains(errs, tt.msg) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, tt.code, errs, tt.msg)
			}
		})
	}
}
