// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"vigie/internal/sqlstore/sqltest"
)

// TestResavedCopyRefused: a CTDC file opened in a spreadsheet and saved
// under another name (semicolons, CRLF: other bytes) was a new source, and
// every victim was imported a second time without a word. A file whose
// first rows are nearly all another source's is refused (5), nothing
// imported, until --source says which it is; a file of other victims
// under a new name imports as before.
func TestResavedCopyRefused(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	header := strings.SplitN(vpFile, "\n", 2)[0]
	rows := func(from int) []string {
		var out []string
		for i := from; i < from+30; i++ {
			out = append(out, fmt.Sprintf("%d,%s,Adult,1,,Europe,Europe,1,Female,,Europe,StrangerUnknownOther,No,1,1,1", 2002+i%19, []string{"Female", "Male"}[i/19%2]))
		}
		return out
	}
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	orig := write("lot.csv", header+"\n"+strings.Join(rows(0), "\n")+"\n")
	if code, out, errs := vigie(t, "", "import", "ctdc", orig, "--data", data, "--quiet"); code != 0 || !strings.Contains(out, "imported: 30 rejected: 0") {
		t.Fatalf("first: exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
	resaved := write("lot (2).csv", strings.ReplaceAll(header+"\n"+strings.Join(rows(0), "\n")+"\n", ",", ";"))
	resaved = write("lot (2).csv", strings.ReplaceAll(mustRead(t, resaved), "\n", "\r\n"))
	code, out, errs := vigie(t, "", "import", "ctdc", resaved, "--data", data, "--quiet")
	if code != 5 || !strings.Contains(errs, `this file holds 30 of the 30 rows imported from the file "lot.csv": if it is that file again`) || !strings.Contains(out, "imported: 0 rejected: 0") {
		t.Fatalf("copy: exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
	// Its way out: the first file's name (nothing new), or a name of its own.
	if code, out, errs := vigie(t, "", "import", "ctdc", resaved, "--data", data, "--quiet", "--source", "lot.csv"); code != 0 || !strings.Contains(out, "imported: 0 rejected: 0") || !strings.Contains(out, "skipped: 30") {
		t.Fatalf("--source lot.csv: exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
	// Other victims under a new name: imported.
	other := write("lot-b.csv", header+"\n"+strings.Join(rows(30)[:10], "\n")+"\n"+strings.ReplaceAll(strings.Join(rows(0)[:25], "\n"), "Europe,1,Female,,Europe", "Asia,1,Male,,Asia")+"\n")
	if code, out, errs := vigie(t, "", "import", "ctdc", other, "--data", data, "--quiet"); code != 0 || !strings.Contains(out, "imported: 35 rejected: 0") {
		t.Fatalf("other victims: exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// vpRows returns n distinct CTDC victim–perpetrator rows from row from.
func vpRows(from, n int) []string {
	var out []string
	// Each thousand its own region and perpetrator's gender: other
	// victims, not the same rows again.
	region := []string{"Europe", "Asia", "Europe"}[min(from/1000, 2)]
	ipGender := []string{"Female", "Female", "Male"}[min(from/1000, 2)]
	for i := from; i < from+n; i++ {
		out = append(out, fmt.Sprintf("%d,%s,%s,1,,%s,Europe,1,%s,,Europe,StrangerUnknownOther,No,1,1,1", 2002+i%19, []string{"Female", "Male"}[i/19%2], []string{"Adult", "Minor"}[i/38%2], region, ipGender))
	}
	return out
}

// TestCorrectedAndMergedFilesRefused: a CTDC file whose rejected rows were
// corrected, saved under a new name, imported again every victim (3,800
// cases for 2,000 victims, no word); a merge of two files imported was
// refused with advice that doubled the other file's victims. The rows a
// file would import are looked for under the other files' names: mostly
// found, it is refused, with the way out that fits (the one file's name,
// or a file of the new rows alone).
func TestCorrectedAndMergedFilesRefused(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	header := strings.SplitN(vpFile, "\n", 2)[0]
	write := fileWriter(t, dir)
	rows := vpRows(0, 60)
	bad := append([]string{}, rows...)
	for i := 0; i < len(bad); i += 10 {
		bad[i] = strings.Replace(bad[i], ",Europe,Europe,1,", ",Mars,Europe,1,", 1) // rejected
	}
	first := write("a_bad.csv", header+"\n"+strings.Join(bad, "\n")+"\n")
	if code, out, errs := vigie(t, "", "import", "ctdc", first, "--data", data, "--quiet"); code != 0 || !strings.Contains(out, "imported: 54 rejected: 6") {
		t.Fatalf("first: exit %d %q %q", code, out, errs)
	}
	fixed := write("a_fixed.csv", header+"\n"+strings.Join(rows, "\n")+"\n")
	code, out, errs := vigie(t, "", "import", "ctdc", fixed, "--data", data, "--quiet")
	if code != 5 || !strings.Contains(errs, `this file holds 54 of the 54 rows imported from the file "a_bad.csv"`) || !strings.Contains(errs, `--source "a_bad.csv" (its imported rows are skipped, the 6 others imported)`) {
		t.Fatalf("corrected: exit %d %q %q", code, out, errs)
	}
	if code, out, errs := vigie(t, "", "import", "ctdc", fixed, "--data", data, "--quiet", "--source", "a_bad.csv"); code != 0 || !strings.Contains(out, "imported: 6 rejected: 0") {
		t.Fatalf("corrected under its name: exit %d %q %q", code, out, errs)
	}
	other := write("b.csv", header+"\n"+strings.Join(vpRows(1000, 60), "\n")+"\n")
	if code, out, errs := vigie(t, "", "import", "ctdc", other, "--data", data, "--quiet"); code != 0 || !strings.Contains(out, "imported: 60") {
		t.Fatalf("b: exit %d %q %q", code, out, errs)
	}
	merged := write("merged.csv", header+"\n"+strings.Join(append(vpRows(1000, 60), rows...), "\n")+"\n")
	code, out, errs = vigie(t, "", "import", "ctdc", merged, "--data", data, "--quiet")
	if code != 5 || !strings.Contains(errs, "this file holds the imported rows of other files") || !strings.Contains(errs, `"a_bad.csv" (60/60)`) || !strings.Contains(errs, `"b.csv" (60/60)`) || strings.Contains(errs, `--source "a_bad.csv"`) {
		t.Fatalf("merged: exit %d %q %q", code, out, errs)
	}
	// Completing a file by its name does not let another file's rows in.
	code, out, errs = vigie(t, "", "import", "ctdc", merged, "--data", data, "--quiet", "--source", "a_bad.csv")
	if code != 5 || !strings.Contains(errs, `"b.csv" (60/60)`) {
		t.Fatalf("merged under a_bad.csv: exit %d %q %q", code, out, errs)
	}
	// A month's file of other victims of the same population, under a
	// new name: many of its rows are rows of earlier files, but it holds
	// no earlier file: imported.
	month := write("month.csv", header+"\n"+strings.Join(append(vpRows(0, 10), vpRows(3000, 30)...), "\n")+"\n")
	if code, out, errs := vigie(t, "", "import", "ctdc", month, "--data", data, "--quiet"); code != 0 || !strings.Contains(out, "imported: 40") {
		t.Fatalf("month: exit %d %q %q", code, out, errs)
	}
	if code, list, _ := vigie(t, "", "case", "list", "--data", data, "--limit", "1"); code != 0 || !strings.Contains(list, "total: 160") {
		t.Fatalf("cases: %s", list)
	}
}

// TestTwoImportsAtOnce: two files of one name imported at the same time
// each took itself for the first (the other's rows were not stored yet):
// victims lost; a file and its copy saved again, at the same time, were
// both imported: victims doubled. Imports of one database run one after
// the other now, so each sees the other's rows.
func TestTwoImportsAtOnce(t *testing.T) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) { testTwoImportsAtOnce(t, kind) })
	}
}

func testTwoImportsAtOnce(t *testing.T, kind string) {
	dir := t.TempDir()
	db := []string{"--data", filepath.Join(dir, "data")}
	if kind == "postgres" {
		db = []string{"--db", sqltest.PostgresSchemaURL(t), "--key-file", filepath.Join(dir, "vigie.key")}
	}
	header := strings.SplitN(vpFile, "\n", 2)[0]
	for _, d := range []string{"p1", "p2"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	one := filepath.Join(dir, "p1", "m.csv")
	two := filepath.Join(dir, "p2", "m.csv")
	copyOne := filepath.Join(dir, "m-copy.csv")
	for path, content := range map[string]string{
		one: header + "\n" + strings.Join(vpRows(0, 40), "\n") + "\n", two: header + "\n" + strings.Join(vpRows(2000, 40), "\n") + "\n",
		copyOne: strings.ReplaceAll(header+"\n"+strings.Join(vpRows(0, 40), "\n")+"\n", "\n", "\r\n"),
	} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	codes := make([]int, 3)
	var wg sync.WaitGroup
	for i, path := range []string{one, two, copyOne} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _, _ = vigie(t, "", append([]string{"import", "ctdc", path, "--quiet"}, db...)...)
		}()
	}
	wg.Wait()
	// Whichever runs first, no victim is counted twice, and a file whose
	// rows are not all stored is refused (5), never skipped unsaid: the
	// first of m.csv takes the name (the other m.csv is refused); the
	// copy is refused after the first m.csv, imported before it (then
	// the first m.csv is refused as its copy).
	code, list, _ := vigie(t, "", append([]string{"case", "list", "--limit", "1"}, db...)...)
	if code != 0 {
		t.Fatal(list)
	}
	total := strings.Fields(list[strings.LastIndex(list, "total"):])
	refused := 0
	for _, c := range codes {
		if c == 5 {
			refused++
		} else if c != 0 {
			t.Fatalf("exits %v", codes)
		}
	}
	if len(total) < 2 || !(total[1] == "40" && refused == 2 || total[1] == "80" && refused == 1) {
		t.Fatalf("exits %v, %s", codes, list)
	}
}

// TestIdentitySeventhRound: an import under a new --source interrupted
// and run again was refused as holding the first file's rows, and the
// refusal's advice doubled the rows already imported; under a used name,
// a file much larger than the name's rows was taken for their new version
// when it held 90 % of them by chance, and skipped other victims; an
// HTCDS file under a new --source named none of its rows identical to
// another file's.
func TestIdentitySeventhRound(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	header := strings.SplitN(vpFile, "\n", 2)[0]
	write := fileWriter(t, dir)
	rows := vpRows(0, 25)
	first := write("a.csv", header+"\n"+strings.Join(rows, "\n")+"\n")
	if code, out, errs := vigie(t, "", "import", "ctdc", first, "--data", data, "--quiet"); code != 0 || !strings.Contains(out, "imported: 25") {
		t.Fatalf("a: exit %d %q %q", code, out, errs)
	}
	crlf := write("a-crlf.csv", strings.ReplaceAll(header+"\n"+strings.Join(rows, "\n")+"\n", "\n", "\r\n"))
	if code, out, errs := vigie(t, "", "import", "ctdc", crlf, "--data", data, "--quiet", "--source", "autres"); code != 0 || !strings.Contains(out, "imported: 25") {
		t.Fatalf("--source autres: exit %d %q %q", code, out, errs)
	}
	if code, out, errs := vigie(t, "", "import", "ctdc", crlf, "--data", data, "--quiet", "--source", "autres"); code != 0 || !strings.Contains(out, "skipped: 25") {
		t.Fatalf("the same again: exit %d %q %q", code, out, errs)
	}
	// Under a.csv again: 23 of its 25 rows and 40 other victims.
	if err := os.Mkdir(filepath.Join(dir, "big"), 0o700); err != nil {
		t.Fatal(err)
	}
	big := write("big/a.csv", header+"\n"+strings.Join(append(rows[:23], vpRows(2000, 40)...), "\n")+"\n")
	code, out, errs := vigie(t, "", "import", "ctdc", big, "--data", data, "--quiet")
	if code != 5 || !strings.Contains(errs, "this file holds 23 of its 25 imported rows, and 40 rows it does not have") {
		t.Fatalf("large file under a used name: exit %d %q %q", code, out, errs)
	}
	// HTCDS under a new --source: its rows of another file are named.
	h1 := write("h1.csv", "vic_TraffickingStatus,prs_FirstName\nPossibleVictimOfTrafficking,Ruth\n")
	if code, _, errs := vigie(t, "", "import", "htcds", h1, "--agency", "KIN", "--data", data, "--quiet"); code != 0 {
		t.Fatal(errs)
	}
	h2 := write("h2.csv", "vic_TraffickingStatus,prs_FirstName\nPossibleVictimOfTrafficking,Ruth\nPossibleVictimOfTrafficking,Esther\n")
	code, out, errs = vigie(t, "", "import", "htcds", h2, "--agency", "KIN", "--data", data, "--quiet", "--source", "mars")
	if code != 0 || !strings.Contains(out, "imported: 2") || !strings.Contains(errs, `row 2 is, cell for cell, a row of the file imported as "h1.csv"`) {
		t.Fatalf("htcds --source: exit %d %q %q", code, out, errs)
	}
}

// TestOtherSystemsIDsPerFile: two agencies' files both numbered their
// cases 1 and 2 in the id column: the second file's victims were skipped
// as already imported (the key was "id:1" whatever the file). Another
// system's number names a row within its file; a Vigie case ID (an
// export imported back) names the case everywhere.
func TestOtherSystemsIDsPerFile(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	write := fileWriter(t, dir)
	a := write("ngoa.csv", "id,agency,prs_FirstName,vic_TraffickingStatus\n1,NGOA,Marie,ActualVictimOfTrafficking\n2,NGOA,Jean,ActualVictimOfTrafficking\n")
	b := write("ngob.csv", "id,agency,prs_FirstName,vic_TraffickingStatus\n1,NGOB,Aline,ActualVictimOfTrafficking\n2,NGOB,Paul,ActualVictimOfTrafficking\n")
	for _, f := range []string{a, b} {
		if code, out, errs := vigie(t, "", "import", "htcds", f, "--create-agencies", "--data", data, "--quiet"); code != 0 || !strings.Contains(out, "imported: 2 rejected: 0") {
			t.Fatalf("%s: exit %d %q %q", f, code, out, errs)
		}
	}
	if code, out, _ := vigie(t, "", "import", "htcds", b, "--data", data, "--quiet"); code != 0 || !strings.Contains(out, "skipped: 2") {
		t.Fatalf("rerun: exit %d %q", code, out)
	}
}
