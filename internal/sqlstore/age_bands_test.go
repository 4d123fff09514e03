// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestAgeBandFromBirthDate: a case registered with a birth date and no
// vig_AgeBand (as the API and the pages register) is listed, counted and
// reported under its birth date's band; its record keeps no band.
func TestAgeBandFromBirthDate(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		c := MustCreateCase(t, db, NewCase("KIN")) // born 2009-05-02, registered 2026-03-14: 16
		page, err := db.FindCases(ctx, domain.CaseFilter{AgeBand: "9--17"})
		if err != nil || page.Total != 1 || len(page.Items) != 1 || page.Items[0].ID != c.ID {
			t.Fatalf("age_band 9--17: %+v %v", page, err)
		}
		got, err := db.Case(ctx, c.ID)
		if err != nil || got.Victim.AgeBand != "" {
			t.Fatalf("the record gained a band it was not given: %q %v", got.Victim.AgeBand, err)
		}
		rows, err := db.CaseCounts(ctx, domain.StatsQuery{By: []domain.StatsDim{domain.StatsAgeBand}})
		if err != nil || len(rows) != 1 || !slices.Equal(rows[0].Values, []string{"9--17"}) || rows[0].N != 1 {
			t.Fatalf("statistics by age band: %+v %v", rows, err)
		}
		if err := db.VerifyCounts(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// TestUpgradeRecountsAgeBands: a database of a version before migration
// 0025 (a case with a birth date and no band counted under no band) gets
// the birth date's band when it is next opened with its keys: the
// migration queues the cases with an age group and no band, and
// RecountAgeBands (run at every open, as the key file is read) reads
// their sealed birth dates. A case with a CTDC band only, or a majority
// status only, keeps what it had.
func TestUpgradeRecountsAgeBands(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		born := MustCreateCase(t, db, NewCase("KIN"))
		banded := NewCase("KIN")
		banded.Person.Birthdate, banded.Victim.AgeBand = domain.Date{}, "30--38"
		MustCreateCase(t, db, banded)
		major := NewCase("KIN") // queued (an age group, no band), unchanged
		major.Person.Birthdate, major.Victim.MajorityStatus = domain.Date{}, "Adult"
		MustCreateCase(t, db, major)
		if err := sqlstore.RewindAgeBandsForTest(ctx, db); err != nil {
			t.Fatal(err)
		}
		applied, err := db.Migrate(ctx)
		if err != nil || !slices.Equal(applied, []string{"0025_age_bands.sql"}) {
			t.Fatalf("migrate: %v %v", applied, err)
		}
		// Before the recount the born case is under no band, as before:
		// else this test would prove nothing.
		bands := map[string]int64{"9--17": 0, "30--38": 1}
		for band, want := range bands {
			page, err := db.FindCases(ctx, domain.CaseFilter{AgeBand: band})
			if err != nil || page.Total != want {
				t.Fatalf("%s before the recount: %v %v, want %d", band, page, err, want)
			}
		}
		if err := db.VerifyCounts(ctx); err != nil {
			t.Fatal(err)
		}
		n, err := db.RecountAgeBands(ctx)
		if err != nil || n != 1 {
			t.Fatalf("recounted %d, %v; want 1", n, err)
		}
		if n, err := db.RecountAgeBands(ctx); err != nil || n != 0 {
			t.Fatalf("second run: %d, %v; want 0", n, err)
		}
		bands["9--17"] = 1
		for band, want := range bands {
			page, err := db.FindCases(ctx, domain.CaseFilter{AgeBand: band})
			if err != nil || page.Total != want || len(page.Items) != int(want) {
				t.Fatalf("%s after the recount: %v %v, want %d", band, page, err, want)
			}
			if band == "9--17" && page.Items[0].ID != born.ID {
				t.Fatalf("%s after the recount: %+v", band, page.Items[0])
			}
		}
		if err := db.VerifyCounts(ctx); err != nil {
			t.Fatal(err)
		}
		cube, err := db.CaseCube(ctx, domain.StatsFilter{}, false)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RebuildReportCube(ctx); err != nil {
			t.Fatal(err)
		}
		rebuilt, err := db.CaseCube(ctx, domain.StatsFilter{}, false)
		byText := func(a, b domain.CubeRow) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) }
		slices.SortFunc(cube, byText)
		slices.SortFunc(rebuilt, byText)
		if err != nil || !reflect.DeepEqual(cube, rebuilt) {
			t.Fatalf("the report cube moved by the recount differs from one rebuilt from the cases:\n%+v\n%+v %v", cube, rebuilt, err)
		}
	})
}
