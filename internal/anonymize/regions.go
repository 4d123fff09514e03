// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import "strings"

// unRegions is the UN M49 geoscheme (regions and sub-regions) with the ISO
// 3166-1 alpha-2 codes of each sub-region. Y1 is CTDC's code for Kosovo.
// Countries of exploitation and citizenships generalise country →
// sub-region → region → "-99".
var unRegions = []struct {
	region string
	subs   []struct{ name, codes string }
}{
	{"Africa", []struct{ name, codes string }{
		{"Northern Africa", "DZ EG LY MA SD TN EH"},
		{"Eastern Africa", "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW IO TF"},
		{"Middle Africa", "AO CM CF TD CG CD GQ GA ST"},
		{"Southern Africa", "BW SZ LS NA ZA"},
		{"Western Africa", "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG"},
	}},
	{"Americas", []struct{ name, codes string }{
		{"Caribbean", "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI"},
		{"Central America", "BZ CR SV GT HN MX NI PA"},
		{"South America", "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE"},
		{"Northern America", "BM CA GL PM US"},
	}},
	{"Asia", []struct{ name, codes string }{
		{"Central Asia", "KZ KG TJ TM UZ"},
		{"Eastern Asia", "CN HK MO KP JP MN KR TW"},
		{"South-eastern Asia", "BN KH ID LA MY MM PH SG TH TL VN"},
		{"Southern Asia", "AF BD BT IN IR MV NP PK LK"},
		{"Western Asia", "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE"},
	}},
	{"Europe", []struct{ name, codes string }{
		{"Eastern Europe", "BY BG CZ HU PL MD RO RU SK UA"},
		{"Northern Europe", "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB"},
		{"Southern Europe", "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES Y1 XK"},
		{"Western Europe", "AT BE FR DE LI LU MC NL CH"},
	}},
	{"Oceania", []struct{ name, codes string }{
		{"Australia and New Zealand", "AU CX CC HM NZ NF"},
		{"Melanesia", "FJ NC PG SB VU"},
		{"Micronesia", "GU KI MH FM NR MP PW UM"},
		{"Polynesia", "AS CK PF NU PN WS TK TO TV WF"},
	}},
}

// countryHierarchy builds the hierarchy of a country column: every ISO
// code under its sub-region and region, then "ZZ" (unknown country) and
// "-99" (missing) directly under the root "-99" (suppressed).
func countryHierarchy(column string) *Hierarchy {
	root := Group("-99")
	for _, r := range unRegions {
		g := Group(r.region)
		for _, s := range r.subs {
			sub := Group(s.name)
			for _, c := range strings.Fields(s.codes) {
				sub.Children = append(sub.Children, Leaf(c))
			}
			g.Children = append(g.Children, sub)
		}
		root.Children = append(root.Children, g)
	}
	root.Children = append(root.Children, Leaf("ZZ"), Leaf("-99"))
	return MustHierarchy(column, root)
}
