// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestImportDeferIndexes: --defer-indexes yes drops the list indexes,
// says so, and rebuilds them at the end; no keeps them; a bad value is a
// usage error. An import killed with its indexes dropped (simulated: the
// indexes dropped and the lock let go) leaves a database the next command
// repairs, saying so, on SQLite and PostgreSQL.
func TestImportDeferIndexes(t *testing.T) {
	const vp = "../../../shared/data/ctdc/CTDC_VPsynthetic_condensed.csv"
	needShared(t, vp)
	if code, _, errs := vigie(t, "", "import", "ctdc", vp, "--defer-indexes", "maybe", "--data", t.TempDir()); code != 2 || !strings.Contains(errs, "auto, yes or no") {
		t.Fatalf("--defer-indexes maybe: exit %d, %s", code, errs)
	}
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			data := t.TempDir()
			db := []string{"--data", data}
			if kind == "postgres" {
				db = append(db, "--db", sqltest.PostgresSchemaURL(t))
			}
			args := func(a ...string) []string { return append(a, db...) }
			code, out, errs := vigie(t, "", args("import", "ctdc", vp, "--agency", "VP", "--defer-indexes", "yes")...)
			if code != 0 || !strings.Contains(out, "list indexes dropped while importing, rebuilt at the end") ||
				!strings.Contains(out, "indexes rebuilt in") || !strings.HasSuffix(out, "imported: 21195 rejected: 0\n") {
				t.Fatalf("import --defer-indexes yes: exit %d\n%s%s", code, out, errs)
			}
			code, out, errs = vigie(t, "", args("import", "ctdc", vp, "--agency", "VP", "--source", "again", "--defer-indexes", "no")...)
			if code != 0 || strings.Contains(out, "indexes") || !strings.HasSuffix(out, "imported: 21195 rejected: 0\n") {
				t.Fatalf("import --defer-indexes no: exit %d\n%s%s", code, out, errs)
			}

			// An import dies with its indexes dropped.
			ctx := context.Background()
			url := ""
			if kind == "postgres" {
				url = db[3]
			}
			st, err := sqlstore.Open(ctx, url, data)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			before, err := st.SecondaryIndexes(ctx)
			if err != nil {
				t.Fatal(err)
			}
			d, err := st.DeferIndexes(ctx)
			if err != nil || len(d.Dropped) != len(before) || len(before) < 10 {
				t.Fatalf("dropped %d of %d indexes: %v", len(d.Dropped), len(before), err)
			}
			d.Release()
			st.Close()

			code, out, errs = vigie(t, "", args("case", "list", "--gender", "Masculine", "--limit", "1")...)
			if code != 0 || !strings.Contains(out, "total: 15990") || !strings.Contains(errs, "indexes dropped by an interrupted import, rebuilt in") {
				t.Fatalf("list after the killed import: exit %d\n%s%s", code, out, errs)
			}
			code, out, errs = vigie(t, "", args("migrate")...)
			if code != 0 || strings.Contains(out+errs, "rebuilt") {
				t.Fatalf("migrate after the rebuild: exit %d\n%s%s", code, out, errs)
			}
			st, err = sqlstore.Open(ctx, url, filepath.Join(data))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			after, err := st.SecondaryIndexes(ctx)
			if err != nil || len(after) != len(before) {
				t.Fatalf("indexes after the rebuild: %d, want %d (%v)", len(after), len(before), err)
			}
			for i := range after {
				if after[i] != before[i] {
					t.Errorf("index %s is now %q, was %q", before[i].Name, after[i].DDL, before[i].DDL)
				}
			}
		})
	}
}
