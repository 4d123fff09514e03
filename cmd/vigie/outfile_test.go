// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestOutputFileErrors: an --out in a folder that does not exist exits 4
// (not found) and says so, one in a folder that may not be written exits
// 6 — never 7, which tells the operator the database is unreachable.
func TestOutputFileErrors(t *testing.T) {
	data := t.TempDir()
	if code, _, errOut := vigie(t, "", "migrate", "--data", data); code != 0 {
		t.Fatalf("migrate: %d %s", code, errOut)
	}
	locked := filepath.Join(t.TempDir(), "locked")
	if err := os.Mkdir(locked, 0o500); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "no", "such", "folder")
	in := filepath.Join(t.TempDir(), "in.csv")
	rows := "yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation\n2015,Female,18--20,MD,RU\n2015,Female,18--20,MD,RU\n"
	if err := os.WriteFile(in, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"ExportMissingFolder", []string{"export", "htcds", "--data", data, "--format", "csv", "--out", filepath.Join(missing, "x.csv")}, 4, "does not exist"},
		{"AnonymizeMissingFolder", []string{"anonymize", "ctdc", "--k", "2", in, filepath.Join(missing, "out.csv")}, 4, "does not exist"},
		{"ReportMissingFolder", []string{"report", "annual", "--data", data, "--year", "2025", "--format", "csv", "--out", filepath.Join(missing, "r.csv")}, 4, "does not exist"},
	}
	if os.Geteuid() != 0 { // root writes anywhere
		tests = append(tests, struct {
			name string
			args []string
			code int
			msg  string
		}{"ExportLockedFolder", []string{"export", "htcds", "--data", data, "--format", "csv", "--out", filepath.Join(locked, "x.csv")}, 6, "permission denied"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := vigie(t, "", tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.msg) {
				t.Fatalf("exit %d (want %d), stderr %q (want %q)", code, tt.code, errOut, tt.msg)
			}
		})
	}
	// A folder that exists still works.
	out := filepath.Join(t.TempDir(), "x.csv")
	if code, _, errOut := vigie(t, "", "export", "htcds", "--data", data, "--format", "csv", "--out", out); code != 0 {
		t.Fatalf("export into an existing folder: exit %d, %s", code, errOut)
	}
}

// TestImportRejectFolder: a --reject in a folder that does not exist (or
// under a file) is refused before anything is opened or imported — the
// reject file is only created at the first rejected row, which could come
// after thousands of imported rows, and exited 7 then.
func TestImportRejectFolder(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	rows := "yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation\n2015,Female,18--20,MD,RU\n2015,Martian,18--20,MD,RU\n"
	if err := os.WriteFile(in, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, reject string
		code         int
		msg          string
	}{
		{"MissingFolder", filepath.Join(dir, "no", "such", "r.csv"), 4, "does not exist"},
		{"UnderAFile", filepath.Join(in, "r.csv"), 3, "is not a folder"},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			code, out, errOut := vigie(t, "", "import", "ctdc", in, "--data", data, "--quiet", "--reject", c.reject)
			if code != c.code || !strings.Contains(errOut, c.msg) {
				t.Fatalf("exit %d (want %d), stdout %q, stderr %q (want %q)", code, c.code, out, errOut, c.msg)
			}
			if _, err := os.Stat(data); !os.IsNotExist(err) {
				t.Fatalf("the data directory was created (%v): nothing may be opened before the check", err)
			}
		})
	}
	// A folder that exists passes the check: the import goes on to read
	// the file (whose short header it then refuses, naming the columns).
	reject := filepath.Join(t.TempDir(), "r.csv")
	code, _, errOut := vigie(t, "", "import", "ctdc", in, "--data", filepath.Join(t.TempDir(), "data"), "--quiet", "--reject", reject)
	if code != 3 || !strings.Contains(errOut, "header does not match") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

// TestExportOutputs: vigie export writes a device or a pipe as it is — it
// wrote a file beside and renamed it over, so as root --out /dev/full
// replaced the device with a file of victims' data, and /dev/stdout too —,
// says a full disk is one (exit 7, not an internal error), refuses a folder,
// keeps a symbolic link, writes standard output for "-", and leaves no
// temporary file behind.
func TestExportOutputs(t *testing.T) {
	data := t.TempDir()
	if code, _, errOut := vigie(t, "", "migrate", "--data", data); code != 0 {
		t.Fatalf("migrate: %d %s", code, errOut)
	}
	dir := t.TempDir()
	export := func(out string) (int, string, string) {
		return vigie(t, "", "export", "htcds", "--data", data, "--format", "csv", "--out", out)
	}
	const header = "cas_CaseOwner,"

	t.Run("FIFO", func(t *testing.T) {
		fifo := filepath.Join(dir, "fifo")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skip("no FIFO here:", err)
		}
		got := make(chan string, 1)
		go func() {
			// Read and write, so that opening never waits for the writer.
			f, err := os.OpenFile(fifo, os.O_RDWR, 0)
			if err != nil {
				got <- err.Error()
				return
			}
			defer f.Close()
			b := make([]byte, 64<<10)
			n, _ := f.Read(b)
			got <- string(b[:n])
		}()
		// The line goes to stderr, as for "-": on stdout it ended the
		// data of --out /dev/stdout.
		if code, out, errOut := export(fifo); code != 0 || strings.Contains(out, "exported") || !strings.Contains(errOut, "exported: 0 → ") {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		select {
		case s := <-got:
			if !strings.HasPrefix(s, header) {
				t.Fatalf("the pipe read %.80q, want the CSV header", s)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("nothing came through the pipe")
		}
		if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
			t.Fatalf("the FIFO was replaced: %v %v", fi.Mode(), err)
		}
	})

	t.Run("DiskFull", func(t *testing.T) {
		full := filepath.Join(dir, "full") // a /dev/full of our own
		if err := syscall.Mknod(full, syscall.S_IFCHR|0o600, 1<<8|7); err != nil {
			t.Skip("cannot make a /dev/full here (needs root):", err)
		}
		code, _, errOut := export(full)
		if code != 7 || !strings.Contains(errOut, "disk full") || strings.Contains(errOut, "internal") {
			t.Fatalf("exit %d (want 7), stderr %q (want disk full)", code, errOut)
		}
		if fi, err := os.Lstat(full); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
			t.Fatalf("the device was replaced: %v %v", fi.Mode(), err)
		}
	})

	t.Run("Folder", func(t *testing.T) {
		sub := filepath.Join(dir, "sub")
		if err := os.Mkdir(sub, 0o700); err != nil {
			t.Fatal(err)
		}
		code, _, errOut := export(sub)
		if code != 2 || !strings.Contains(errOut, "is a folder") {
			t.Fatalf("exit %d (want 2), stderr %q", code, errOut)
		}
	})

	t.Run("Symlink", func(t *testing.T) {
		real, link := filepath.Join(dir, "real.csv"), filepath.Join(dir, "link.csv")
		if err := os.WriteFile(real, []byte("old\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("real.csv", link); err != nil {
			t.Skip(err)
		}
		if code, _, errOut := export(link); code != 0 {
			t.Fatalf("exit %d, %s", code, errOut)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Fatalf("the link was replaced: %v %v", fi.Mode(), err)
		}
		b, err := os.ReadFile(real)
		if err != nil || !strings.HasPrefix(string(b), header) {
			t.Fatalf("the linked file holds %.40q (%v)", b, err)
		}
		if fi, _ := os.Stat(real); fi.Mode().Perm() != 0o600 {
			t.Fatalf("the export is %v, want -rw-------", fi.Mode().Perm())
		}
	})

	t.Run("Stdout", func(t *testing.T) {
		code, out, errOut := export("-")
		if code != 0 || !strings.HasPrefix(out, header) || !strings.Contains(errOut, "exported: 0 → -") {
			t.Fatalf("exit %d, stdout %.40q, stderr %q", code, out, errOut)
		}
		if _, err := os.Stat(filepath.Join(".", "-")); err == nil {
			t.Fatal(`a file named "-" was written`)
		}
	})

	// Nothing else was left in the folder: no temporary file, named or not.
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		switch e.Name() {
		case "fifo", "full", "sub", "real.csv", "link.csv":
		default:
			t.Errorf("left in the folder: %s", e.Name())
		}
	}
}

// TestOutputUnnamedUntilCommit: on Linux an export being written has no
// name, so that one killed leaves nothing (a hidden .vigie-export-* file of
// victims' data was left before); committed, it has the target's name and
// mode 0600.
func TestOutputUnnamedUntilCommit(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("unnamed files are a Linux feature")
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "cases.csv")
	o, err := createOutput(target, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer o.abort()
	if _, err := io.WriteString(o, "a,b\n"); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("while written, the folder holds %s", ents[0].Name())
	}
	if err := o.commit(); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 || ents[0].Name() != "cases.csv" {
		t.Fatalf("after commit the folder holds %v", ents)
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want -rw-------", fi.Mode().Perm())
	}
}

// TestExportAuditedWhere: the audit entry of an export names the whole
// path of the file written — it held the file's name alone, which did not
// say where the copy of the victims' data went — and "-" as standard
// output.
func TestExportAuditedWhere(t *testing.T) {
	data := t.TempDir()
	dir := t.TempDir()
	out := filepath.Join(dir, "cases.csv")
	if code, _, errOut := vigie(t, "", "migrate", "--data", data); code != 0 {
		t.Fatalf("migrate: %d %s", code, errOut)
	}
	for _, o := range []string{out, "-"} {
		if code, _, errOut := vigie(t, "", "export", "htcds", "--data", data, "--format", "csv", "--out", o); code != 0 {
			t.Fatalf("export --out %s: exit %d, %s", o, code, errOut)
		}
	}
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, "", data)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, err := db.AuditEntries(ctx, domain.AuditFilter{Action: domain.AuditExport, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		files = append(files, fmt.Sprint(e.Detail["file"]))
	}
	want := []string{"- (sortie standard / standard output)", out} // newest first
	if !slices.Equal(files, want) {
		t.Fatalf("audited files %q, want %q", files, want)
	}
}

// TestImportRejectIsTheInput: --reject naming the imported file itself (by
// its name or through a link) is a usage error before anything is opened —
// the reader then met the rows it had just rejected, appended to its own
// input, and the import never ended: it filled the disk (68 GB) in the
// acceptance pass. The input is left as it was.
func TestImportRejectIsTheInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "vp.csv")
	content := "yearRegister,gender,majorityStatus,isForcedLabour,isSexualExploit,UN_COO_Region,UN_COE_Region,IP_Exploiter,IP_Gender,IP_ageBroad,IP_citizen_UNRegion,IP_Relation,IP_PayMoney,IP_RecruiterBroker,IP_TransactionProcess,IP_ControlAbuseKidnap\n" +
		"2019,Female,Adult,1,,Europe,Asia,,,,,,,,,\n2019,Martian,Adult,1,,Europe,Asia,,,,,,,,,\n"
	if err := os.WriteFile(in, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(in, link); err != nil {
		t.Fatal(err)
	}
	for _, reject := range []string{in, link, filepath.Join(dir, ".", "vp.csv")} {
		data := filepath.Join(t.TempDir(), "data")
		code, out, errOut := vigie(t, "", "import", "ctdc", in, "--data", data, "--quiet", "--reject", reject)
		if code != 2 || !strings.Contains(errOut, "is the file being imported") {
			t.Fatalf("--reject %s: exit %d (want 2), stdout %q, stderr %q", reject, code, out, errOut)
		}
		if _, err := os.Stat(data); !os.IsNotExist(err) {
			t.Fatalf("the data directory was created (%v): nothing may be opened before the check", err)
		}
		if b, err := os.ReadFile(in); err != nil || string(b) != content {
			t.Fatalf("the input changed: %v %q", err, b)
		}
	}
	// Another reject file beside it imports the valid row and rejects the other.
	code, out, errOut := vigie(t, "", "import", "ctdc", in, "--data", filepath.Join(t.TempDir(), "data"), "--quiet", "--reject", filepath.Join(dir, "r.csv"))
	if code != 0 || !strings.Contains(out, "imported: 1 rejected: 1") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestReadingCommandsNeedADatabase: export, case list and case show given a
// --data folder without a database (a typo) say so (exit 4) and create
// nothing — they created an empty database and a new master key there and
// answered "exported: 0", exit 0, as if the registry were empty.
func TestReadingCommandsNeedADatabase(t *testing.T) {
	for _, args := range [][]string{
		{"export", "htcds", "--format", "json", "--out", filepath.Join(t.TempDir(), "out.json")},
		{"case", "list"},
		{"case", "show", "KIN-2026-000001"},
	} {
		t.Run(args[0]+"_"+args[1], func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "vigie-dta")
			code, out, errOut := vigie(t, "", append(args, "--data", data)...)
			if code != 4 || !strings.Contains(errOut, "no database in "+data) {
				t.Fatalf("exit %d (want 4), stdout %q, stderr %q", code, out, errOut)
			}
			if _, err := os.Stat(data); !os.IsNotExist(err) {
				t.Fatalf("the data directory was created (%v)", err)
			}
		})
	}
	// Once the database exists (vigie migrate), they work on it.
	data := filepath.Join(t.TempDir(), "data")
	if code, _, errOut := vigie(t, "", "migrate", "--data", data); code != 0 {
		t.Fatalf("migrate: %d %s", code, errOut)
	}
	if code, out, errOut := vigie(t, "", "export", "htcds", "--format", "json", "--out", filepath.Join(t.TempDir(), "out.json"), "--data", data); code != 0 || !strings.Contains(out, "exported: 0") {
		t.Fatalf("export of an empty registry: exit %d, %q %q", code, out, errOut)
	}
}

// TestDefaultRejectPath: the default reject file of each import is its own —
// x.json and x.xlsx (an export in two formats) both wrote x.rejects.csv,
// the second import overwriting the first one's rejects.
func TestDefaultRejectPath(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"/d/x.csv", "/d/x.rejects.csv"},
		{"/d/x.CSV", "/d/x.rejects.csv"},
		{"/d/x.json", "/d/x.json.rejects.csv"},
		{"/d/x.xlsx", "/d/x.xlsx.rejects.csv"},
		{"/d/x", "/d/x.rejects.csv"},
		{"/d/x.rejects.csv", "/d/x.rejects.rejects.csv"},
	} {
		got := defaultRejectPath(c.in)
		if got != c.want {
			t.Errorf("defaultRejectPath(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
