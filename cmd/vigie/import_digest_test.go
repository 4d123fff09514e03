// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"vigie/internal/sqlstore/sqltest"
)

// TestRenamedCopyCreatesNoDuplicates: source keys start with the file's
// name, so a renamed copy of a file already imported would make every row
// again; the import knows the content (SHA-256) and uses the first name's
// source instead. --source NAME still imports the content as a new source.
func TestRenamedCopyCreatesNoDuplicates(t *testing.T) {
	header := "yearRegister,gender,majorityStatus,isForcedLabour,isSexualExploit,UN_COO_Region,UN_COE_Region,IP_Exploiter,IP_Gender,IP_ageBroad,IP_citizen_UNRegion,IP_Relation,IP_PayMoney,IP_RecruiterBroker,IP_TransactionProcess,IP_ControlAbuseKidnap\n"
	rows := "2019,Female,Adult,1,,Europe,Asia,,,,,,,,,\n2018,Male,Minor,,1,Africa,Africa,,,,,,,,,\n2018,Male,Minor,,1,Africa,Africa,,,,,,,,,\n"
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			db := []string{"--data", filepath.Join(dir, "data")}
			if kind == "postgres" {
				db = []string{"--db", sqltest.PostgresSchemaURL(t)}
			}
			write := func(name, content string) string {
				p := filepath.Join(dir, name)
				if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
					t.Fatal(err)
				}
				return p
			}
			first := write("vp.csv", header+rows)
			steps := []struct {
				name       string
				file       string
				args       []string
				line, note string
			}{
				{"first_import", first, nil, "imported: 3 rejected: 0\n", ""},
				{"renamed_copy", write("vp (copy).csv", header+rows), nil, "imported: 0 rejected: 0\n", "vp.csv"},
				{"copy_with_CRLF_is_other_content_but_same_rows", write("vp-crlf.csv", strings.ReplaceAll(header+rows, "\n", "\r\n")), nil, "imported: 3 rejected: 0\n", ""},
				{"explicit_source_imports_again", write("vp2.csv", header+rows), []string{"--source", "second batch"}, "imported: 3 rejected: 0\n", "vp.csv"},
				{"first_file_again", first, nil, "imported: 0 rejected: 0\n", ""},
			}
			for _, s := range steps {
				args := append([]string{"import", "ctdc", s.file, "--quiet"}, s.args...)
				code, out, errs := vigie(t, "", append(args, db...)...)
				if code != 0 || !strings.HasSuffix(out, s.line) || s.note != "" && !strings.Contains(out, s.note) {
					t.Errorf("%s: exit %d\n%s%s\nwant %q and a note naming %q", s.name, code, out, errs, s.line, s.note)
				}
			}
		})
	}
}

// TestImportFromAPipe: a file that is a pipe is read once — the content
// digest, which reads a file twice, is skipped for it, and so is the
// count of rows by which --defer-indexes auto (the default) decides: it
// read the pipe first, and the rows it read were never imported ('imported:
// 0' here, 287 of 30,000 rows through /dev/stdin). Rejects go to the
// current folder, not beside the pipe (/dev/stdin.rejects.csv).
func TestImportFromAPipe(t *testing.T) {
	const header = "yearRegister,gender,majorityStatus,isForcedLabour,isSexualExploit,UN_COO_Region,UN_COE_Region,IP_Exploiter,IP_Gender,IP_ageBroad,IP_citizen_UNRegion,IP_Relation,IP_PayMoney,IP_RecruiterBroker,IP_TransactionProcess,IP_ControlAbuseKidnap\n"
	rows := strings.Repeat("2019,Female,Adult,1,,Europe,Asia,,,,,,,,,\n", 60000) + "2019,Robot,Adult,1,,Europe,Asia,,,,,,,,,\n"
	for _, deferIndexes := range []string{"no", "auto", "yes"} {
		t.Run(deferIndexes, func(t *testing.T) {
			dir := t.TempDir()
			pipe := filepath.Join(dir, "vp.csv")
			if err := syscall.Mkfifo(pipe, 0o600); err != nil {
				t.Skipf("no named pipes here: %v", err)
			}
			go func() {
				f, err := os.OpenFile(pipe, os.O_WRONLY, 0)
				if err != nil {
					return
				}
				defer f.Close()
				f.WriteString(header + rows)
			}()
			work := t.TempDir()
			t.Chdir(work)
			code, out, errs := vigie(t, "", "import", "ctdc", pipe, "--quiet", "--defer-indexes", deferIndexes, "--data", filepath.Join(dir, "data"))
			if code != 0 || !strings.Contains(out, "imported: 60000 rejected: 1\nrejects: vp.rejects.csv\n") {
				t.Errorf("exit %d\n%s%s", code, out, errs)
			}
			if _, err := os.Stat(filepath.Join(work, "vp.rejects.csv")); err != nil {
				t.Errorf("no reject file in the current folder: %v", err)
			}
		})
	}
}
