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

func TestProviderAndAwarenessCommands(t *testing.T) {
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
			if code, _, errs := run("agency", "add", "GOM", "Centre de Goma"); code != 0 {
				t.Fatalf("agency add: %d %s", code, errs)
			}
			// Refusals first: exit codes by kind.
			for _, c := range []struct {
				args []string
				code int
			}{
				{[]string{"provider", "add", "Maison", "--type", "NGO", "--services", "Spa", "--provinces", "CD-KN"}, 3},
				{[]string{"provider", "add", "Maison", "--type", "NGO", "--services", "Shelter", "--provinces", "Atlantide"}, 3},
				{[]string{"provider", "add", "Maison", "--type", "NGO", "--services", "Shelter", "--provinces", "CD-KN", "--beds-total", "2", "--beds-free", "9"}, 3},
				{[]string{"provider", "add", "Maison", "--type", "NGO", "--services", "Shelter", "--provinces", "CD-KN", "--agency", "NOPE"}, 3},
				{[]string{"provider", "add"}, 2},
				{[]string{"provider", "beds", "00000000-0000-4000-8000-000000000000", "--free", "1"}, 4},
				{[]string{"provider", "frobnicate"}, 2},
				{[]string{"awareness", "summary", "--from", "hier"}, 3},
			} {
				if code, out, errs := run(c.args...); code != c.code {
					t.Errorf("%v: exit %d, want %d (%s %s)", c.args, code, c.code, out, errs)
				}
			}
			code, out, errs := run("provider", "add", "Centre de transit", "--type", "ngo", "--services", "Shelter,psychosocial",
				"--provinces", "Nord-Kivu,CD-SK", "--agency", "GOM", "--beds-total", "12", "--beds-free", "3")
			if code != 0 {
				t.Fatalf("provider add: %d %s", code, errs)
			}
			id := strings.TrimSpace(out)
			if code, _, errs := run("provider", "beds", id, "--free", "1"); code != 0 {
				t.Fatalf("beds: %d %s", code, errs)
			}
			code, out, _ = run("provider", "list", "--service", "shelter", "--province", "Sud-Kivu")
			if code != 0 || !strings.Contains(out, "Centre de transit") || !strings.Contains(out, "1/12") || !strings.Contains(out, "CD-NK,CD-SK") {
				t.Fatalf("list: %d %s", code, out)
			}
			code, out, _ = run("provider", "list", "--service", "Medical")
			if code != 0 || strings.Contains(out, "Centre de transit") {
				t.Fatalf("medical list: %d %s", code, out)
			}

			// Activities are recorded through the pages and the API; the
			// command gives their totals.
			db, err := flags.open(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			a := &domain.Awareness{Type: "Radio", Date: domain.NewDate(2026, 3, 1), Province: "CD-NK", Agency: "GOM", Reached: domain.Reached{FemaleAdults: 5, MaleAdults: 7}}
			if err := db.CreateAwareness(context.Background(), a); err != nil {
				t.Fatal(err)
			}
			db.Close()
			code, out, errs = run("awareness", "summary", "--from", "2026-01-01", "--province", "Nord-Kivu")
			var s domain.AwarenessSummary
			if code != 0 || json.Unmarshal([]byte(out), &s) != nil || s.Total != 12 || s.Activities != 1 {
				t.Fatalf("summary: %d %s %s", code, out, errs)
			}
		})
	}
}
