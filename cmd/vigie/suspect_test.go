// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"encoding/json"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore/sqltest"
)

func TestSuspectCommands(t *testing.T) {
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
			if code, _, errs := run("agency", "add", "KIN", "Affaires sociales"); code != 0 {
				t.Fatalf("agency add: %d %s", code, errs)
			}
			code, out, errs := vigie(t, `{"agency":"KIN","cas_Status":"Active","person":{"prs_FirstName":"Neema","prs_SecondName":"Bisimwa"},"victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"}}`,
				append([]string{"case", "add", "-"}, where...)...)
			if code != 0 {
				t.Fatalf("case add: %d %s %s", code, out, errs)
			}
			caseNumber := strings.Fields(out)[0]
			// Refusals: exit codes by kind.
			for _, c := range []struct {
				args []string
				code int
			}{
				{[]string{"suspect", "add", "--agency", "KIN"}, 3},
				{[]string{"suspect", "add", "--agency", "NOPE", "--last", "Kalala"}, 3},
				{[]string{"suspect", "add", "--agency", "KIN", "--last", "Kalala", "--gender", "robot"}, 3},
				{[]string{"suspect", "add", "--agency", "KIN", "--last", "Kalala", "--document", "Badge:12"}, 3},
				{[]string{"suspect", "add", "--agency", "KIN", "--last", "Kalala", "--document", "sans-deux-points"}, 2},
				{[]string{"suspect", "add", "--agency", "KIN", "--last", "Kalala", "--birthdate", "hier"}, 3},
				{[]string{"suspect", "show", "KIN-S-2026-999999"}, 4},
				{[]string{"suspect", "show"}, 2},
				{[]string{"suspect", "link", "KIN-S-2026-999999", "--case", caseNumber}, 4},
				{[]string{"suspect", "frobnicate"}, 2},
			} {
				if code, out, errs := run(c.args...); code != c.code {
					t.Errorf("%v: exit %d, want %d (%s %s)", c.args, code, c.code, out, errs)
				}
			}
			code, out, errs = run("suspect", "add", "--agency", "KIN", "--first", "Jules", "--last", "Kalala", "--alias", "Le Colonel",
				"--gender", "masculine", "--citizenship", "cd", "--birthdate", "1979-04-12", "--document", "passport:OP123:CD")
			if code != 0 {
				t.Fatalf("suspect add: %d %s", code, errs)
			}
			number := strings.TrimSpace(out)
			if !domain.ValidSuspectNumber(number) {
				t.Fatalf("number %q", number)
			}
			// The same man, spelled otherwise: reported as a duplicate.
			code, _, errs = run("suspect", "add", "--agency", "KIN", "--first", "Jules", "--last", "Kalalla")
			if code != 0 || !strings.Contains(errs, number) {
				t.Fatalf("second add: %d %q", code, errs)
			}
			if code, _, errs := run("suspect", "link", number, "--case", caseNumber, "--roles", "recruiterOrIntermediary,Exploiter",
				"--relation", "FriendAcquaintance", "--organisation", "Réseau du fleuve"); code != 0 {
				t.Fatalf("link: %d %s", code, errs)
			}
			if code, _, _ := run("suspect", "link", number, "--case", caseNumber); code != 5 {
				t.Fatalf("second link to the same case: exit %d, want 5", code)
			}
			code, out, _ = run("suspect", "show", number)
			var s domain.Suspect
			if code != 0 || json.Unmarshal([]byte(out), &s) != nil || s.Name() != "Jules Kalala" || len(s.Links) != 1 ||
				s.Links[0].CaseNumber != caseNumber || s.Identity.Documents[0].Type != "Passport" {
				t.Fatalf("show: %d %s", code, out)
			}
			code, out, _ = run("suspect", "list", "--case", caseNumber)
			if code != 0 || !strings.Contains(out, number) || strings.Contains(out, "Kalala") {
				t.Fatalf("list without names: %d %s", code, out)
			}
			code, out, _ = run("suspect", "list", "--names")
			if code != 0 || !strings.Contains(out, "Jules Kalala") || !strings.Contains(out, "Jules Kalalla") {
				t.Fatalf("list with names: %d %s", code, out)
			}
			if code, out, _ := run("suspect", "--help"); code != 0 || !strings.Contains(out, "link") {
				t.Fatalf("help: %d %s", code, out)
			}
		})
	}
}
