// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"vigie/internal/sqlstore/sqltest"
)

// TestMissingPostgresDatabaseIsNotFound: a --db naming a database the
// server does not have was "invalid data" (3), in English only; it is not
// found (4), as a --data folder without a database is, French first.
func TestMissingPostgresDatabaseIsNotFound(t *testing.T) {
	_ = sqltest.PostgresSchemaURL(t) // skips (or fails under CI) without a server
	u, err := url.Parse(sqltest.PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/vigie_no_such_database"
	data := filepath.Join(t.TempDir(), "data")
	for _, args := range [][]string{
		{"migrate"},
		{"case", "list"},
		{"import", "ctdc", filepath.Join(t.TempDir(), "x.csv")},
	} {
		args = append(args, "--db", u.String(), "--data", data)
		code, _, errs := vigie(t, "", args...)
		if args[0] == "import" {
			// The file is looked at first: missing, it is not found too.
			if code != 4 {
				t.Errorf("%v: exit %d, want 4: %s", args, code, errs)
			}
			continue
		}
		if code != 4 || !strings.Contains(errs, "la base n'existe pas") || !strings.Contains(errs, "CREATE DATABASE") {
			t.Errorf("%v: exit %d, want 4\nstderr: %q", args, code, errs)
		}
	}
}
