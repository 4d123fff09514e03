// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vigie/internal/sqlstore/sqltest"
)

// TestReadingCommandsNeedADatabaseAnywhere: export, case list and case
// show refuse a --db that holds no Vigie database — a PostgreSQL schema
// without Vigie's tables (a search_path mistyped as another schema that
// exists, or the public schema of another application) and a sqlite:PATH
// that does not exist — as they refuse such a --data (5e48747), and create
// nothing: they created Vigie's 50 tables in that schema (or a new file)
// and answered 'exported: 0', exit 0, as if the registry were empty.
func TestReadingCommandsNeedADatabaseAnywhere(t *testing.T) {
	pg := sqltest.PostgresSchemaURL(t) // an empty schema
	missing := filepath.Join(t.TempDir(), "nowhere.db")
	data := t.TempDir() // one key file for all
	for _, db := range []struct{ name, url, want string }{
		{"PostgresEmptySchema", pg, "no Vigie database in the schema of --db"},
		{"SQLiteMissingFile", "sqlite:" + missing, "no database at " + missing},
	} {
		for _, args := range [][]string{
			{"export", "htcds", "--format", "json", "--out", filepath.Join(t.TempDir(), "out.json")},
			{"case", "list"},
			{"case", "show", "KIN-2026-000001"},
		} {
			t.Run(db.name+"/"+args[0]+"_"+args[1], func(t *testing.T) {
				code, out, errOut := vigie(t, "", append(args, "--db", db.url, "--data", data)...)
				if code != 4 || !strings.Contains(errOut, db.want) {
					t.Fatalf("exit %d (want 4), stdout %q, stderr %q (want %q)", code, out, errOut, db.want)
				}
			})
		}
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("the SQLite file was created (%v)", err)
	}
	admin, err := sql.Open("pgx", pg)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var n int
	if err := admin.QueryRowContext(context.Background(), `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the schema has %d tables (%v), want none", n, err)
	}
	// Once migrated, they work on it.
	if code, _, errOut := vigie(t, "", "migrate", "--db", pg, "--data", data); code != 0 {
		t.Fatalf("migrate: %d %s", code, errOut)
	}
	if code, out, errOut := vigie(t, "", "case", "list", "--db", pg, "--data", data); code != 0 || !strings.Contains(out, "total: 0") {
		t.Fatalf("case list on a migrated schema: exit %d, %q %q", code, out, errOut)
	}
}
