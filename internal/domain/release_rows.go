// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import "strings"

// ReleaseColumns are the columns of the rows a release is made from, one
// row per victim (screenings of people found not to be victims are left
// out). All come from the cases' plain, de-identified columns — no name,
// date, number or free text is ever read — and carry the CTDC Global
// Dataset's names and coding where it has them; "province" is Vigie's.
var ReleaseColumns = []string{
	"yearOfRegistration", "gender", "ageBroad", "majorityStatus", "citizenship", "CountryOfExploitation",
	"typeOfExploitConcatenated", "isForcedLabour", "isSexualExploit", "isOtherExploit", "isForcedMarriage",
	"isForcedMilitary", "isOrganRemoval", "province",
}

// CaseStats is what a release reads of a case.
type CaseStats struct {
	Year                                   int
	Gender, AgeGroup, AgeBand, Citizenship string
	Country, Exploitation, Province        string
}

// ctdcMissing is CTDC's code for a missing value.
const ctdcMissing = "-99"

// ReleaseRow is the row of a case, in ReleaseColumns order. CTDC codes
// gender as Female, Male or Unknown: a transgender woman is Female and a
// transgender man Male; non-conforming and unspecified are Unknown (a
// category of a handful of people would single them out). A case with
// several citizenships is counted under the first, so that one victim is
// one row and one cell of every table.
func ReleaseRow(c CaseStats, row []string) []string {
	row = row[:0]
	gender := "Unknown"
	switch c.Gender {
	case "Feminine", "TransgenderFeminine":
		gender = "Female"
	case "Masculine", "TransgenderMasculine":
		gender = "Male"
	}
	majority := "Unknown"
	switch c.AgeGroup {
	case "Child":
		majority = "Minor"
	case "Adult":
		majority = "Adult"
	}
	// One value per victim, as in CTDC's releases: the first citizenship
	// and the first country of exploitation.
	cit, _, _ := strings.Cut(c.Citizenship, ";")
	country, _, _ := strings.Cut(c.Country, ";")
	expl := strings.Split(c.Exploitation, ";")
	flag := func(v string) string {
		for _, e := range expl {
			if e == v {
				return "1"
			}
		}
		return "0"
	}
	row = append(row, itoa(c.Year), gender, orMissing(c.AgeBand), majority, orMissing(cit), orMissing(country),
		orMissing(c.Exploitation), flag("ForcedLabour"), flag("SexualExploitation"), flag("Other"),
		flag("ForcedMarriage"), flag("ForcedMilitaryByNonStateActors"), flag("OrganRemoval"), orMissing(c.Province))
	return row
}

func orMissing(s string) string {
	if s == "" {
		return ctdcMissing
	}
	return s
}

func itoa(n int) string {
	if n <= 0 {
		return ctdcMissing
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
