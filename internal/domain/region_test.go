// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"strings"
	"testing"
)

// Every country code of the picklist but Antarctica has one region, and
// the regions are UNRegion values.
func TestRegionOf(t *testing.T) {
	for region := range regionCountries {
		if !UNRegion.Valid(region) {
			t.Errorf("%s is not a UNRegion value", region)
		}
		if len(RegionCountries(region)) < 20 {
			t.Errorf("%s has %d countries", region, len(RegionCountries(region)))
		}
	}
	seen := map[string]int{}
	for _, list := range regionCountries {
		for _, c := range strings.Fields(list) {
			seen[c]++
		}
	}
	for c, n := range seen {
		if n != 1 {
			t.Errorf("%s is in %d regions", c, n)
		}
	}
	for _, c := range CountryCodes() {
		if RegionOf(c) == "" && c != "AQ" && c != "ZZ" {
			t.Errorf("country %s has no region", c)
		}
	}
	for c, want := range map[string]string{"CD": "Africa", "FR": "Europe", "US": "Americas", "CN": "Asia", "FJ": "Oceania", "ZZ": ""} {
		if got := RegionOf(c); got != want {
			t.Errorf("RegionOf(%s) = %q, want %q", c, got, want)
		}
	}
}
