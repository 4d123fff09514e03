// SPDX-License-Identifier: AGPL-3.0-or-later

package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"vigie/internal/ctdc"
	"vigie/internal/domain"
	"vigie/internal/importer"
	"vigie/internal/report"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

const ctdcGlobal = "../../../shared/data/ctdc/The Global Dataset 27 Nov 2017_0 - recovered.csv"

// ctdcFile reads the shared CTDC file; without it the test is skipped,
// except in CI (CI=true), where it fails.
func ctdcFile(tb testing.TB) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.FromSlash(ctdcGlobal))
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatal(err)
		}
		tb.Skip("CTDC data file not available: ", err)
	}
	return b
}

// expected counts the CTDC file with a plain loop over its cells, from
// the data dictionary's meaning of each column (independently of the
// importer): for each year, victims by sex, by age band, nationals and
// foreigners, by form of exploitation, and where they were identified.
type expected struct {
	total                       int64
	sex, band, nat, form, where map[string]int64
}

func countCTDC(t *testing.T, b []byte, year int) expected {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	e := expected{sex: map[string]int64{}, band: map[string]int64{}, nat: map[string]int64{}, form: map[string]int64{}, where: map[string]int64{}}
	one := func(r []string, name string) bool { return r[col[name]] == "1" }
	for _, r := range recs[1:] {
		if y, _ := strconv.Atoi(r[col["yearOfRegistration"]]); y != year {
			continue
		}
		e.total++
		switch r[col["gender"]] {
		case "Female":
			e.sex["Feminine"]++
		case "Male":
			e.sex["Masculine"]++
		default:
			e.sex[""]++
		}
		e.band[r[col["ageBroad"]]]++
		switch c := r[col["citizenship"]]; c {
		case "CD", "ZR":
			e.nat["national"]++
		case "00", "ZZ", "-99", "":
			e.nat[""]++
		default:
			e.nat["foreign"]++
		}
		both := one(r, "isSexAndLabour")
		forms := map[string]bool{
			"ForcedLabour":                   one(r, "isForcedLabour") || both,
			"SexualExploitation":             one(r, "isSexualExploit") || both,
			"Other":                          one(r, "isOtherExploit"),
			"ForcedMarriage":                 one(r, "isForcedMarriage"),
			"OrganRemoval":                   one(r, "isOrganRemoval"),
			"ForcedMilitaryByNonStateActors": one(r, "isForcedMilitary"),
		}
		none := true
		for f, yes := range forms {
			if yes {
				e.form[f]++
				none = false
			}
		}
		if none {
			e.form[""]++
		}
		switch c := r[col["CountryOfExploitation"]]; c {
		case "CD", "ZR":
			e.where["Country"]++
		case "00", "ZZ", "-99", "":
			e.where[""]++
		default:
			e.where["Abroad"]++
		}
	}
	return e
}

// cell is a table's figure at a row and column key (All for a total).
func cell(t *testing.T, tb *report.Table, row, col string) int64 {
	t.Helper()
	ri, ci := -1, -1
	for i, k := range tb.RowKeys {
		if k == row {
			ri = i
		}
	}
	for j, k := range tb.ColKeys {
		if k == col {
			ci = j
		}
	}
	switch {
	case row == report.All && col == report.All:
		return tb.Total
	case row == report.All && ci >= 0:
		return tb.ColTotals[ci]
	case col == report.All && ri >= 0:
		return tb.RowTotals[ri]
	case ri >= 0 && ci >= 0:
		return tb.Cells[ri][ci]
	}
	return 0
}

// The golden test: the CTDC Global Dataset imported as the CLI does, and
// the report of its busiest years checked against counts made from the
// CSV itself; every table's rows and columns reconcile.
func TestReportOnCTDCFile(t *testing.T) {
	b := ctdcFile(t)
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		if testing.Short() {
			t.Skip("imports 47,102 records")
		}
		ctx := context.Background()
		if _, err := db.EnsureAgency(ctx, "CTDC", "CTDC"); err != nil {
			t.Fatal(err)
		}
		rd, err := ctdc.NewReader(bytes.NewReader(b), ctdc.Options{Agency: "CTDC", Source: "global"})
		if err != nil {
			t.Fatal(err)
		}
		res, err := importer.Run(ctx, db, func() (int, *domain.Case, []domain.RowError, error) {
			rec, rejects, err := rd.Next()
			if rec == nil {
				return 0, nil, rejects, err
			}
			return rec.Row, rec.Case, rejects, err
		}, importer.Options{RejectPath: filepath.Join(t.TempDir(), "rejects.csv")})
		if err != nil || res.Rejected != 0 {
			t.Fatalf("import: %+v %v", res, err)
		}
		for _, year := range []int{2016, 2015, 2012} {
			want := countCTDC(t, b, year)
			r, err := report.Build(ctx, sources(db), report.Period{From: year, To: year}, "")
			if err != nil {
				t.Fatal(err)
			}
			check := func(table, row, col string, n int64) {
				t.Helper()
				if got := cell(t, r.Table(table), row, col); got != n {
					t.Errorf("%d %s[%s][%s] = %d, the CSV says %d", year, table, row, col, got, n)
				}
			}
			check("victims_sex_age", report.All, report.All, want.total)
			for sex, n := range want.sex {
				check("victims_sex_age", sex, report.All, n)
				check("victims_band_sex", report.All, sex, n)
			}
			for band, n := range want.band {
				if band == "-99" {
					band = ""
				}
				check("victims_band_sex", band, report.All, n)
			}
			for nat, n := range want.nat {
				check("victims_province_nationality", report.All, nat, n)
			}
			for form, n := range want.form {
				check("victims_form_sex", form, report.All, n)
			}
			for where, n := range want.where {
				check("victims_identified_sex", where, report.All, n)
			}
			var detail int64
			for _, n := range r.Table("victims_detail").RowTotals {
				detail += n
			}
			if detail < want.total {
				t.Errorf("%d: the detail table counts %d, fewer than the %d victims", year, detail, want.total)
			}
			for _, tb := range r.Tables {
				if tb.Section == "victims" {
					checkTable(t, tb)
				}
			}
		}
	})
}
