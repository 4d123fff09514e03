// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestAnonymizeCTDC(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	rows := "yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation,prs_FirstName\n"
	for i, r := range []string{"2015,Female,18--20,MD,RU", "2015,Female,18--20,MD,RU", "2016,Female,21--23,UA,RU", "2016,Male,21--23,UA,PL"} {
		rows += r + ",Name" + string(rune('A'+i)) + "\n"
	}
	if err := os.WriteFile(in, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.csv")
	code, stdout, stderr := vigie(t, "", "anonymize", "ctdc", "--k", "2", in, out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var man struct {
		K               int
		InputRecords    int
		ReleasedRecords int
		DroppedColumns  []string
		Metrics         struct{ SmallestClass, RecordsAtRisk int }
	}
	if err := json.Unmarshal([]byte(stdout), &man); err != nil {
		t.Fatalf("manifest: %v\n%s", err, stdout)
	}
	if man.K != 2 || man.InputRecords != 4 || man.ReleasedRecords != 4 || man.Metrics.SmallestClass < 2 || man.Metrics.RecordsAtRisk != 0 ||
		strings.Join(man.DroppedColumns, ",") != "prs_FirstName" {
		t.Errorf("manifest %+v", man)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := "yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation\n" +
		"2015,Female,18--20,MD,RU\n2015,Female,18--20,MD,RU\n2016,-99,21--23,UA,Eastern Europe\n2016,-99,21--23,UA,Eastern Europe\n"
	if string(b) != want {
		t.Errorf("release:\n%s\nwant:\n%s", b, want)
	}

	// The same rows in another order give the same file: its order is
	// the rows', not the input's.
	lines := strings.Split(strings.TrimSuffix(rows, "\n"), "\n")
	slices.Reverse(lines[1:])
	if err := os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := vigie(t, "", "anonymize", "ctdc", "--k", "2", in, out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != want {
		t.Errorf("rows read in reverse order:\n%s\nwant:\n%s", b, want)
	}

	// A name as a quasi-identifier is refused (invalid data, exit 3).
	code, _, stderr = vigie(t, "", "anonymize", "ctdc", "--qi", "gender,prs_FirstName", in, out)
	if code != 3 || !strings.Contains(stderr, "prs_FirstName") {
		t.Errorf("--qi prs_FirstName: exit %d, %s", code, stderr)
	}
	for _, args := range [][]string{{"anonymize", "ctdc", in}, {"anonymize", "ctdc", "--header", "xml", in, out}} {
		if code, _, _ := vigie(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, _, _ := vigie(t, "", "anonymize", "ctdc", filepath.Join(dir, "missing.csv"), out); code != 4 {
		t.Errorf("missing input: exit %d, want 4", code)
	}
	for _, args := range [][]string{{"anonymize", "--help"}, {"anonymize", "ctdc", "--help"}} {
		if code, stdout, _ := vigie(t, "", args...); code != 0 || !strings.Contains(stdout, "Utilisation / usage") {
			t.Errorf("%v: exit %d", args, code)
		}
	}
}
