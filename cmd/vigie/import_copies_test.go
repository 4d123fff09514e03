// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	if code != 5 || !strings.Contains(errs, `30 of this file's first 30 rows are those of the file imported as "lot.csv"`) || !strings.Contains(out, "imported: 0 rejected: 0") {
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
