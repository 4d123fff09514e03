// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import "strings"

// NationalCountry is the country whose national reporting Vigie serves:
// its citizens are "nationals" in the figures and its provinces are the
// Province picklist.
const NationalCountry = "CD"

// UnknownCountry is the code of an unknown country (CTDC's "00").
const UnknownCountry = "ZZ"

// regionCountries lists, per UN M49 region (the UNRegion values), the ISO
// 3166-1 alpha-2 codes of its countries and territories.
var regionCountries = map[string]string{
	"Africa": "DZ EG LY MA SD TN EH BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW IO TF " +
		"AO CM CF TD CG CD GQ GA ST BW SZ LS NA ZA BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG",
	"Americas": "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI " +
		"BZ CR SV GT HN MX NI PA AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE BM CA GL PM US",
	"Asia": "KZ KG TJ TM UZ CN HK MO KP JP MN KR TW BN KH ID LA MY MM PH SG TH TL VN " +
		"AF BD BT IN IR MV NP PK LK AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE",
	"Europe": "BY BG CZ HU PL MD RO RU SK UA AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB " +
		"AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES XK AT BE FR DE LI LU MC NL CH",
	"Oceania": "AU NZ HM NF CX CC FJ NC PG SB VU GU KI MH FM NR MP PW UM AS CK PF NU PN WS TK TO TV WF",
}

var countryRegion = func() map[string]string {
	m := map[string]string{}
	for region, list := range regionCountries {
		for _, c := range strings.Fields(list) {
			m[c] = region
		}
	}
	return m
}()

// RegionOf returns the UN region of a country code, or "" when the code
// is unknown (Antarctica, a code no longer in use).
func RegionOf(country string) string { return countryRegion[country] }

// RegionCountries returns the country codes of a UN region.
func RegionCountries(region string) []string { return strings.Fields(regionCountries[region]) }
