// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

// Province is the picklist of the 26 provinces of the Democratic Republic
// of the Congo (2015 division), by ISO 3166-2:CD code, the key that the
// boundary files in ../shared/data/geo use too. Labels (French official
// names) are in the catalogs under enum.vig_Province.CODE. The French
// names and common spellings are accepted as aliases, so that the CLI and
// imports can take "Nord-Kivu" or "Bas-Congo" for CD-NK and CD-BC.
var Province = newEnum("vig_Province", []string{
	"CD-KN", "CD-BC", "CD-KG", "CD-KL", "CD-MN", "CD-KS", "CD-KC", "CD-KE", "CD-LO",
	"CD-SA", "CD-MA", "CD-SK", "CD-NK", "CD-IT", "CD-HU", "CD-TO", "CD-BU", "CD-NU",
	"CD-MO", "CD-SU", "CD-EQ", "CD-TU", "CD-TA", "CD-HL", "CD-LU", "CD-HK",
}, provinceAliases)

var provinceAliases = map[string]string{
	"Kinshasa": "CD-KN", "Ville-Province de Kinshasa": "CD-KN",
	"Kongo-Central": "CD-BC", "Kongo Central": "CD-BC", "Bas-Congo": "CD-BC",
	"Kwango": "CD-KG", "Kwilu": "CD-KL",
	"Mai-Ndombe": "CD-MN", "Maï-Ndombe": "CD-MN", "Mayi-Ndombe": "CD-MN",
	"Kasaï": "CD-KS", "Kasai": "CD-KS",
	"Kasaï-Central": "CD-KC", "Kasaï Central": "CD-KC", "Kasai-Central": "CD-KC", "Central Kasai": "CD-KC",
	"Kasaï-Oriental": "CD-KE", "Kasaï Oriental": "CD-KE", "Kasai-Oriental": "CD-KE",
	"Lomami": "CD-LO", "Sankuru": "CD-SA", "Maniema": "CD-MA",
	"Sud-Kivu": "CD-SK", "Sud Kivu": "CD-SK", "South Kivu": "CD-SK",
	"Nord-Kivu": "CD-NK", "Nord Kivu": "CD-NK", "North Kivu": "CD-NK",
	"Ituri":     "CD-IT",
	"Haut-Uele": "CD-HU", "Haut-Uélé": "CD-HU", "Haut Uele": "CD-HU", "Upper Uele": "CD-HU",
	"Tshopo":   "CD-TO",
	"Bas-Uele": "CD-BU", "Bas-Uélé": "CD-BU", "Bas Uele": "CD-BU", "Lower Uele": "CD-BU",
	"Nord-Ubangi": "CD-NU", "Nord-Oubangui": "CD-NU",
	"Mongala":    "CD-MO",
	"Sud-Ubangi": "CD-SU", "Sud-Oubangui": "CD-SU",
	"Équateur": "CD-EQ", "Equateur": "CD-EQ",
	"Tshuapa":    "CD-TU",
	"Tanganyika": "CD-TA", "Tanganika": "CD-TA",
	"Haut-Lomami": "CD-HL", "Lualaba": "CD-LU", "Haut-Katanga": "CD-HK",
}

// ValidProvince reports whether code is one of the 26 province codes.
func ValidProvince(code string) bool { return Province.Valid(code) }

// checkProvinces reports unknown and repeated province codes.
func checkProvinces(p *Problems, field string, codes []string) {
	checkEnumsAs(p, field, Province, codes)
}
