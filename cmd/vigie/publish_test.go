// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/sqlstore/sqltest"
)

func TestPublishCommands(t *testing.T) {
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
			if code, _, errs := run("agency", "add", "CNC", "Comité national"); code != 0 {
				t.Fatalf("agency add: %d %s", code, errs)
			}
			ctx := context.Background()
			db, err := flags.open(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range []struct {
				email string
				role  domain.Role
			}{{"a@cnc.cd", domain.RoleCoordinator}, {"b@cnc.cd", domain.RoleCoordinator}, {"cw@cnc.cd", domain.RoleCaseworker}, {"adm@cnc.cd", domain.RoleAdmin}} {
				if err := db.CreateUser(ctx, &domain.User{Email: u.email, Agency: "CNC", Roles: []domain.Role{u.role}}, "x"); err != nil {
					t.Fatal(err)
				}
			}
			names := []string{"Mbuyi", "Kabasele", "Ngalula"}
			for i := range 30 {
				c := &domain.Case{Agency: "CNC", Status: "Active", RegistrationDate: domain.NewDate(2025, time.Month(1+i%12), 1+i%28),
					Person: domain.Person{FirstName: names[i%3], SecondName: names[(i+1)%3], Gender: "Feminine", Citizenship: []string{"CD"}},
					Victim: domain.Victim{TraffickingStatus: "ActualVictimOfTrafficking", TypeOfExploitation: []string{"ForcedLabour"}, AgeBand: "21--23"}}
				if err := db.CreateCase(ctx, c); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()

			for _, c := range []struct {
				args []string
				code int
			}{
				{[]string{"publish", "draft", "--from", "2025"}, 2},                       // no --as
				{[]string{"publish", "draft", "--as", "adm@cnc.cd", "--from", "2025"}, 6}, // admins have no part
				{[]string{"publish", "draft", "--as", "cw@cnc.cd", "--from", "2025"}, 6},  // caseworkers read published ones only
				{[]string{"publish", "draft", "--as", "a@cnc.cd", "--from", "1800"}, 3},   // period
				{[]string{"publish", "draft", "--as", "a@cnc.cd", "--from", "2025", "--kind", "x"}, 3},
				{[]string{"publish", "draft", "--as", "a@cnc.cd", "--from", "2025", "--epsilon", "0.0001"}, 3},
				{[]string{"publish", "draft", "--as", "a@cnc.cd", "--from", "2025", "--epsilon", "0"}, 3},
				{[]string{"publish", "draft", "--as", "a@cnc.cd", "--from", "2025", "--epsilon", "-1"}, 3},
				{[]string{"publish", "draft", "--as", "a@cnc.cd", "--from", "2025", "--epsilon", "NaN"}, 3},
				{[]string{"publish", "draft", "--as", "a@cnc.cd", "--from", "2025", "--epsilon", "beaucoup"}, 2},
				{[]string{"publish", "draft", "--as", "a@cnc.cd", "--from", "2025", "--threshold", "0"}, 3},
				{[]string{"publish", "draft", "--as", "a@cnc.cd", "--from", "2025", "--threshold", "31"}, 3}, // more than the 30 victims
				{[]string{"publish", "draft", "--as", "a@cnc.cd", "--from", "2025", "--kind", "records", "--k", "0"}, 3},
				{[]string{"publish", "draft", "--as", "a@cnc.cd", "--from", "2025", "--kind", "records", "--k", "1"}, 3},
				{[]string{"publish", "draft", "--as", "a@cnc.cd", "--from", "2025", "--kind", "records", "--k", "-4"}, 3},
				{[]string{"publish", "draft", "--as", "a@cnc.cd", "--from", "2025", "--kind", "records", "--k", "4294967298"}, 3},
				{[]string{"publish", "draft", "--as", "a@cnc.cd", "--from", "2025", "--kind", "records", "--k", "31"}, 3},
				{[]string{"publish", "draft", "--as", "a@cnc.cd", "--from", "2025", "--kind", "records", "--k", "onze"}, 2},
				{[]string{"publish", "draft", "--as", "a@cnc.cd", "--from", "2025", "--kind", "records", "--qi", "gender,prs_FirstName"}, 3},
				{[]string{"publish", "draft", "--as", "a@cnc.cd", "--from", "2025", "--kind", "records", "--qi", ""}, 3},
				{[]string{"publish", "draft", "--as", "a@cnc.cd", "--from", "2025", "--kind", "records", "--method", "magic"}, 3},
				{[]string{"publish", "draft", "--as", "a@cnc.cd", "--from", "2024"}, 3}, // no victim that year
				{[]string{"publish", "budget", "--as", "a@cnc.cd", "--set", "0"}, 3},
				{[]string{"publish", "budget", "--as", "a@cnc.cd", "--set", "-2"}, 3},
				{[]string{"publish", "budget", "--as", "a@cnc.cd", "--set", "NaN"}, 3},
				{[]string{"publish", "budget", "--as", "a@cnc.cd", "--set", "101"}, 3},
				{[]string{"publish", "budget", "--as", "cw@cnc.cd", "--set", "3"}, 6},
				{[]string{"publish", "frobnicate"}, 2},
			} {
				if code, out, errs := run(c.args...); code != c.code {
					t.Errorf("%v: exit %d, want %d (%s %s)", c.args, code, c.code, out, errs)
				}
			}
			code, out, errs := run("publish", "draft", "--as", "a@cnc.cd", "--kind", "tables", "--from", "2025", "--title", "Tableaux 2025")
			if code != 0 {
				t.Fatalf("draft: %d %s", code, errs)
			}
			id := strings.TrimSpace(out)
			if code, _, _ := run("publish", "show", id, "--as", "cw@cnc.cd"); code != 4 {
				t.Fatalf("a caseworker read a draft: exit %d", code)
			}
			if code, _, errs := run("publish", "review", id, "--as", "a@cnc.cd", "--version", "1"); code != 6 {
				t.Fatalf("the author reviewed their own release: %d %s", code, errs)
			}
			// Other roles may not move or read a draft.
			for _, c := range []struct {
				args []string
				code int
			}{
				{[]string{"publish", "review", id, "--as", "cw@cnc.cd", "--version", "1"}, 6},
				{[]string{"publish", "approve", id, "--as", "cw@cnc.cd", "--version", "1"}, 6},
				{[]string{"publish", "publish", id, "--as", "adm@cnc.cd", "--version", "1"}, 6},
				{[]string{"publish", "download", id, "--as", "cw@cnc.cd", "-o", filepath.Join(t.TempDir(), "x.zip")}, 4},
				{[]string{"publish", "download", "../../etc/passwd", "--as", "a@cnc.cd"}, 4},
				{[]string{"publish", "approve", id, "--as", "b@cnc.cd", "--version", "1"}, 5}, // not reviewed yet
			} {
				if code, out, errs := run(c.args...); code != c.code {
					t.Errorf("%v: exit %d, want %d (%s %s)", c.args, code, c.code, out, errs)
				}
			}
			// Records of the same year, as another kind, are refused: the
			// two could be compared.
			if code, _, errs := run("publish", "draft", "--as", "a@cnc.cd", "--kind", "records", "--from", "2025", "--qi", "gender,isForcedLabour", "--k", "5"); code != 3 || !strings.Contains(errs, "kind") {
				t.Fatalf("records after tables of the same year: %d %s", code, errs)
			}
			for _, s := range []struct{ step, as, version string }{{"review", "b@cnc.cd", "1"}, {"approve", "b@cnc.cd", "2"}, {"publish", "a@cnc.cd", "3"}} {
				if code, out, errs := run("publish", s.step, id, "--as", s.as, "--version", s.version); code != 0 {
					t.Fatalf("%s: %d %s %s", s.step, code, out, errs)
				}
			}
			if code, out, _ := run("publish", "show", id, "--as", "cw@cnc.cd"); code != 0 || strings.Contains(out, "suppressed_pct") || !strings.Contains(out, `"status": "published"`) {
				t.Fatalf("caseworker's show: %d %s", code, out)
			}
			if code, out, _ := run("publish", "show", id, "--as", "b@cnc.cd"); code != 0 || !strings.Contains(out, "suppressed_pct") {
				t.Fatalf("coordinator's show: %d %s", code, out)
			}
			code, out, _ = run("publish", "list", "--as", "cw@cnc.cd")
			if code != 0 || !strings.Contains(out, id) || !strings.Contains(out, "published") {
				t.Fatalf("list: %d %s", code, out)
			}
			file := filepath.Join(t.TempDir(), "r.zip")
			if code, out, errs := run("publish", "download", id, "--as", "cw@cnc.cd", "-o", file); code != 0 {
				t.Fatalf("download: %d %s %s", code, out, errs)
			}
			all := readZip(t, file)
			for _, n := range names {
				if strings.Contains(all, n) {
					t.Fatalf("the name %s is in the release", n)
				}
			}
			if !strings.Contains(all, "sex_by_majority.csv") || !strings.Contains(all, "Female,Adult,30,") {
				t.Fatalf("release content:\n%s", all)
			}
			code, out, _ = run("publish", "budget", "--as", "a@cnc.cd", "--from", "2025", "--set", "3")
			if code != 0 || !strings.Contains(out, "2025") || !strings.Contains(out, "3") {
				t.Fatalf("budget: %d %s", code, out)
			}
		})
	}
}

func readZip(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range zr.File {
		rc, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		b.WriteString(e.Name + "\n" + string(data))
	}
	return b.String()
}
