// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore/sqltest"
)

// TestStartSealsLegacyProceedings: a proceeding left in clear by a
// version before migration 0017 (clear JSON, no data key, queued in
// justice_seal_pending as the migration queues every existing one) is
// sealed by the next command that opens the database with its key file,
// before the command reads it: `vigie justice show` shows its details,
// and the database no longer holds them in clear.
func TestStartSealsLegacyProceedings(t *testing.T) {
	for _, dbName := range []string{"sqlite", "postgres"} {
		t.Run(dbName, func(t *testing.T) {
			flags := dbFlags{data: t.TempDir()}
			where := []string{"--data", flags.data}
			driver, dsn := "sqlite", "file:"+filepath.Join(flags.data, "vigie.db")
			if dbName == "postgres" {
				flags.db = sqltest.PostgresSchemaURL(t)
				where = append(where, "--db", flags.db)
				driver, dsn = "pgx", flags.db
			}
			ctx := context.Background()
			db, err := flags.open(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.EnsureAgency(ctx, "KIN", "Parquet de Kinshasa"); err != nil {
				t.Fatal(err)
			}
			pr := &domain.Proceeding{Agency: "KIN", Complaint: domain.Complaint{Date: domain.NewDate(2026, 3, 1), Source: "Victim", ReceivedBy: "QZXclireceived"}}
			if err := db.CreateProceeding(ctx, pr); err != nil {
				t.Fatal(err)
			}
			h := &domain.Hearing{Date: domain.NewDate(2026, 6, 10), Court: "TGI", Notes: "QZXclihearing"}
			if err := db.AddStep(ctx, pr.ID, h); err != nil {
				t.Fatal(err)
			}
			db.Close()

			// Put it back as an earlier version wrote it.
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			exec := func(q string, args ...any) {
				t.Helper()
				if driver == "pgx" {
					for i := 1; strings.Contains(q, "?"); i++ {
						q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
					}
				}
				if _, err := raw.Exec(q, args...); err != nil {
					t.Fatal(err)
				}
			}
			header, _ := json.Marshal(map[string]any{"agency": "KIN", "complaint": pr.Complaint, "investigation": pr.Investigation, "prosecution": pr.Prosecution})
			step, _ := json.Marshal(h)
			exec(`UPDATE proceedings SET data = ?, dek = NULL, key_id = NULL WHERE id = ?`, header, pr.ID)
			exec(`UPDATE justice_steps SET data = ? WHERE id = ?`, step, h.ID)
			exec(`INSERT INTO justice_seal_pending (proceeding_id) VALUES (?)`, pr.ID)
			dump := func() string {
				t.Helper()
				var b strings.Builder
				for _, q := range []string{`SELECT data FROM proceedings`, `SELECT data FROM justice_steps`} {
					rows, err := raw.Query(q)
					if err != nil {
						t.Fatal(err)
					}
					for rows.Next() {
						var d []byte
						if err := rows.Scan(&d); err != nil {
							t.Fatal(err)
						}
						b.Write(d)
					}
					rows.Close()
				}
				return b.String()
			}
			if d := dump(); !strings.Contains(d, "QZXclireceived") || !strings.Contains(d, "QZXclihearing") {
				t.Fatalf("the legacy rows are not in clear: the test would prove nothing")
			}

			// `vigie migrate` has no key file: it says what is queued.
			code, out, errs := vigie(t, "", append([]string{"migrate"}, where...)...)
			if code != 0 || !strings.Contains(out, "1 proceeding(s) written in clear") {
				t.Fatalf("migrate: %d %s %s", code, out, errs)
			}
			code, out, errs = vigie(t, "", append([]string{"justice", "show", pr.Number, "--json"}, where...)...)
			if code != 0 || !strings.Contains(out, "QZXclireceived") || !strings.Contains(out, "QZXclihearing") {
				t.Fatalf("show after start: %d %s %s", code, out, errs)
			}
			if d := dump(); strings.Contains(d, "QZXclireceived") || strings.Contains(d, "QZXclihearing") {
				t.Fatal("the start did not seal the legacy proceeding")
			}
			var pending int
			if err := raw.QueryRow(`SELECT count(*) FROM justice_seal_pending`).Scan(&pending); err != nil || pending != 0 {
				t.Fatalf("%d proceedings still queued (%v)", pending, err)
			}
			if code, out, _ := vigie(t, "", append([]string{"migrate"}, where...)...); code != 0 || strings.Contains(out, "proceeding(s)") {
				t.Fatalf("migrate after sealing: %d %s", code, out)
			}
		})
	}
}
