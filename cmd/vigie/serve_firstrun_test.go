// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
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
