// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore/sqltest"
)

const globalDataset = "../../../shared/data/ctdc/The Global Dataset 27 Nov 2017_0 - recovered.csv"

func needShared(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing under CI: %v", path, err)
		}
		t.Skipf("%s is absent (%v): the CTDC data stays in ../shared", path, err)
	}
}

// inputCounts tallies the CTDC file itself, independently of Vigie's
// mapping: rows per year × gender and rows per exploitation flag = 1.
func inputCounts(t *testing.T, path string) map[string]int {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, _ := r.Read()
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	gender := map[string]string{"Female": "Feminine", "Male": "Masculine", "Unknown": "NonSpecifiedUnknown", "-99": ""}
	flags := map[string]string{"isForcedLabour": "ForcedLabour", "isSexualExploit": "SexualExploitation", "isOtherExploit": "Other", "isForcedMarriage": "ForcedMarriage", "isForcedMilitary": "ForcedMilitaryByNonStateActors", "isOrganRemoval": "OrganRemoval"}
	out := map[string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		out["year="+rec[col["yearOfRegistration"]]+" gender="+gender[rec[col["gender"]]]]++
		types := map[string]bool{}
		for flag, typ := range flags {
			if rec[col[flag]] == "1" {
				types[typ] = true
			}
		}
		if rec[col["isSexAndLabour"]] == "1" {
			types["ForcedLabour"], types["SexualExploitation"] = true, true
		}
		for typ := range types {
			out["type="+typ]++
		}
		out["rows"]++
	}
	return out
}

// storedCounts tallies the same figures from a database.
func storedCounts(t *testing.T, data string) map[string]int {
	t.Helper()
	return tallyStored(t, dbFlags{data: data}, nil)
}

// tallyStored counts the cases of the database d opens by year × gender,
// by form of exploitation and in all; more, when given, adds its own
// figures for each case.
func tallyStored(t *testing.T, d dbFlags, more func(c *domain.Case, out map[string]int)) map[string]int {
	t.Helper()
	db, err := d.open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]int{}
	err = db.ExportCases(context.Background(), domain.CaseFilter{}, func(c *domain.Case) error {
		out[fmt.Sprintf("year=%d gender=%s", c.RegistrationYear, c.Person.Gender)]++
		for _, typ := range c.Victim.TypeOfExploitation {
			out["type="+typ]++
		}
		if more != nil {
			more(c, out)
		}
		out["rows"]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameCounts(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %s = %d, want %d", what, k, got[k], n)
		}
	}
	for k, n := range got {
		if _, ok := want[k]; !ok && n != 0 {
			t.Errorf("%s: unexpected %s = %d", what, k, n)
		}
	}
}

// TestCTDCImportExportRoundTrip is the check: counts by year,
// gender and form of exploitation after an import, and after an export in
// each format re-imported into a fresh database, match the input exactly.
func TestCTDCImportExportRoundTrip(t *testing.T) {
	needShared(t, globalDataset)
	if testing.Short() {
		t.Skip("imports 47,102 rows several times")
	}
	want := inputCounts(t, globalDataset)
	dir := t.TempDir()
	data := filepath.Join(dir, "first")
	code, out, errs := vigie(t, "", "import", "ctdc", globalDataset, "--data", data, "--reject", filepath.Join(dir, "rejects.csv"))
	if code != 0 || !strings.HasSuffix(out, "imported: 47102 rejected: 0\n") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	sameCounts(t, "after import", storedCounts(t, data), want)
	code, out, _ = vigie(t, "", "import", "ctdc", globalDataset, "--data", data)
	if code != 0 || !strings.HasSuffix(out, "imported: 0 rejected: 0\n") {
		t.Fatalf("second import must create nothing: exit %d\n%s", code, out)
	}
	for _, format := range []string{"csv", "xlsx", "json"} {
		t.Run(format, func(t *testing.T) {
			file := filepath.Join(dir, "export."+format)
			if code, out, errs := vigie(t, "", "export", "htcds", "--format", format, "--out", file, "--data", data); code != 0 || !strings.Contains(out, "exported: 47102") {
				t.Fatalf("export: %d %s %s", code, out, errs)
			}
			if info, _ := os.Stat(file); info.Mode().Perm() != 0o600 {
				t.Errorf("export file mode %v: it holds personal data", info.Mode())
			}
			fresh := filepath.Join(dir, "from-"+format)
			code, out, errs := vigie(t, "", "import", "htcds", file, "--data", fresh, "--create-agencies")
			if code != 0 || !strings.HasSuffix(out, "imported: 47102 rejected: 0\n") {
				t.Fatalf("re-import: exit %d\n%s%s", code, out, errs)
			}
			sameCounts(t, "after "+format+" round trip", storedCounts(t, fresh), want)
		})
	}
}

// TestImportOnPostgres runs the CLI against PostgreSQL: import of the
// victim–perpetrator dataset, a filtered list, and an idempotent re-run.
func TestImportOnPostgres(t *testing.T) {
	const vp = "../../../shared/data/ctdc/CTDC_VPsynthetic_condensed.csv"
	needShared(t, vp)
	url := sqltest.PostgresSchemaURL(t)
	// The key file goes to a temporary data directory, never beside the
	// test's sources.
	data := t.TempDir()
	code, out, errs := vigie(t, "", "import", "ctdc", vp, "--db", url, "--agency", "VP", "--data", data)
	if code != 0 || !strings.HasSuffix(out, "imported: 21195 rejected: 0\n") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = vigie(t, "", "case", "list", "--db", url, "--gender", "Masculine", "--limit", "1", "--data", data)
	if code != 0 || !strings.Contains(out, "total: 7995") {
		t.Fatalf("list: exit %d\n%s", code, out)
	}
	code, out, _ = vigie(t, "", "import", "ctdc", vp, "--db", url, "--agency", "VP", "--data", data)
	if code != 0 || !strings.HasSuffix(out, "imported: 0 rejected: 0\n") {
		t.Fatalf("re-import: exit %d\n%s", code, out)
	}
}
