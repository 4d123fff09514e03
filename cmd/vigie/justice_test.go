// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore/sqltest"
)

func TestLawAndJusticeCommands(t *testing.T) {
	for _, dbName := range []string{"sqlite", "postgres"} {
		t.Run(dbName, func(t *testing.T) {
			flags := dbFlags{data: t.TempDir()}
			where := []string{"--data", flags.data}
			if dbName == "postgres" {
				flags.db = sqltest.PostgresSchemaURL(t)
				where = append(where, "--db", flags.db)
			}
			run := func(args ...string) (int, string, string) {
				t.Helper()
				return vigie(t, "", append(args, where...)...)
			}
			if code, _, errs := run("agency", "add", "KIN", "Parquet de Kinshasa"); code != 0 {
				t.Fatalf("agency add: %d %s", code, errs)
			}
			for _, c := range []struct {
				args []string
				code int
			}{
				{[]string{"law", "add", "A B", "--law", "L", "--article", "1", "--title-fr", "T"}, 3},
				{[]string{"law", "add", "X1", "--article", "1", "--title-fr", "T"}, 3},
				{[]string{"law", "add"}, 2},
				{[]string{"law", "retire", "NOPE"}, 4},
				{[]string{"law", "frobnicate"}, 2},
				{[]string{"justice", "show", "KIN-J-2026-999999"}, 4},
				{[]string{"justice", "show", "../etc"}, 4},
				{[]string{"justice", "list", "--status", "nowhere"}, 3},
				{[]string{"justice", "figures", "--from", "hier"}, 3},
			} {
				if code, out, errs := run(c.args...); code != c.code {
					t.Errorf("%v: exit %d, want %d (%s %s)", c.args, code, c.code, out, errs)
				}
			}
			if code, _, errs := run("law", "add", "t-1", "--law", "Loi de test", "--article", "1", "--title-fr", "Traite des personnes", "--title-en", "Trafficking"); code != 0 {
				t.Fatalf("law add: %d %s", code, errs)
			}
			if code, _, _ := run("law", "add", "T-1", "--law", "Loi", "--article", "1", "--title-fr", "T"); code != 5 {
				t.Errorf("a duplicate code: exit %d, want 5", code)
			}
			if code, out, _ := run("law", "list"); code != 0 || !strings.Contains(out, "T-1") || !strings.Contains(out, "Traite des personnes") {
				t.Fatalf("law list: %d %s", code, out)
			}
			if code, _, errs := run("law", "retire", "t-1"); code != 0 {
				t.Fatalf("retire: %d %s", code, errs)
			}
			if code, out, _ := run("law", "list"); code != 0 || strings.Contains(out, "T-1") {
				t.Fatalf("a retired article is listed: %s", out)
			}
			if code, out, _ := run("law", "list", "--all"); code != 0 || !strings.Contains(out, "T-1") {
				t.Fatalf("list --all: %s", out)
			}

			// A proceeding recorded in the store, read by the commands.
			ctx := context.Background()
			db, err := flags.open(ctx)
			if err != nil {
				t.Fatal(err)
			}
			pr := &domain.Proceeding{Agency: "KIN", Complaint: domain.Complaint{Date: domain.NewDate(2026, 3, 1), Source: "Victim"},
				Investigation: domain.Investigation{Unit: "Police judiciaire", Opened: domain.NewDate(2026, 3, 2)}}
			if err := db.CreateProceeding(ctx, pr); err != nil {
				t.Fatal(err)
			}
			db.Close()
			code, out, errs := run("justice", "list", "--agency", "KIN")
			if code != 0 || !strings.Contains(out, pr.Number) || !strings.Contains(out, "investigation") {
				t.Fatalf("list: %d %s %s", code, out, errs)
			}
			code, out, _ = run("justice", "show", pr.Number)
			if code != 0 || !strings.Contains(out, "complaint") || !strings.Contains(out, "investigation_opened") {
				t.Fatalf("show: %d %s", code, out)
			}
			code, out, _ = run("justice", "figures", "--from", "2026-01-01")
			var fig domain.JusticeFigures
			if code != 0 || json.Unmarshal([]byte(out), &fig) != nil || fig.Proceedings != 1 {
				t.Fatalf("figures: %d %s", code, out)
			}
		})
	}
}
