// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"context"
	"slices"
	"strconv"
)

// StatsDim is a dimension that counts of cases are broken down by. The
// annual report, the coordinators' dashboard and the public release all
// count through the one query of StatsService.
type StatsDim string

const (
	StatsYear                StatsDim = "year"  // registration year; "" unknown
	StatsMonth               StatsDim = "month" // "2026-03"; "" when only the year is known
	StatsGender              StatsDim = "gender"
	StatsAgeGroup            StatsDim = "age_group" // Child, Adult, Unknown
	StatsAgeBand             StatsDim = "age_band"  // the CTDC bands (vig_AgeBand)
	StatsExploitation        StatsDim = "exploitation"
	StatsCitizenship         StatsDim = "citizenship"
	StatsExploitationCountry StatsDim = "exploitation_country"
	StatsProvince            StatsDim = "province"
	StatsAgency              StatsDim = "agency" // agency code
	StatsStatus              StatsDim = "status"
	StatsTraffickingStatus   StatsDim = "trafficking_status"
	StatsAssistance          StatsDim = "service"     // the types of the case's support plans
	StatsRepatriated         StatsDim = "repatriated" // Yes, No, "" unknown
	// StatsIdentified is where the victim was identified: "Country" when
	// the case has a province or was exploited in the country, "Abroad"
	// when it has no province and was exploited elsewhere, "" unknown
	// (see IdentifiedWhere).
	StatsIdentified StatsDim = "identified"
)

// IdentifiedWhere is the value of StatsIdentified for a case's province
// and countries of exploitation. A victim is identified in the country when
// an agency registered them in one of its provinces, or when they were
// exploited in the country; a victim without a province who was
// exploited abroad was identified abroad (by a consulate, a partner
// abroad, or a foreign authority that referred them).
// A victim exploited at home and abroad was identified in the country.
func IdentifiedWhere(province string, countries []string) string {
	if province != "" {
		return "Country"
	}
	abroad := false
	for _, c := range countries {
		switch c {
		case NationalCountry:
			return "Country"
		case UnknownCountry:
		default:
			abroad = true
		}
	}
	if abroad {
		return "Abroad"
	}
	return ""
}

// StatsDims lists every dimension.
var StatsDims = []StatsDim{StatsYear, StatsMonth, StatsGender, StatsAgeGroup, StatsAgeBand, StatsExploitation,
	StatsCitizenship, StatsExploitationCountry, StatsProvince, StatsAgency, StatsStatus, StatsTraffickingStatus, StatsAssistance, StatsRepatriated, StatsIdentified}

// MultiValued reports whether a case may hold several values of d (forms
// of exploitation, citizenships, countries of exploitation, services): broken down by d, such a case counts
// once under each of its values, so the rows add up to more than the
// cases; a case with none counts under "".
func (d StatsDim) MultiValued() bool {
	return d == StatsExploitation || d == StatsCitizenship || d == StatsExploitationCountry || d == StatsAssistance
}

// StatsFilter selects the cases counted: a period of registration years,
// an agency, a province, victims only, and any further dimension's values.
type StatsFilter struct {
	// YearFrom, YearTo: registration years, inclusive; 0 leaves that end
	// open. A case registered with a span of years (RegistrationPeriod)
	// counts when the span lies inside them, under the unknown year of a
	// breakdown by year; a case of unknown year counts in no period.
	YearFrom, YearTo int
	Agency           string // agency code; "" every agency
	Province         string // vig_Province code; "" every province (and none)
	// Victims leaves out the screenings decided "not a victim".
	Victims bool
	// In keeps the cases whose value of a dimension is one of the listed
	// ("" stands for unknown). For a multi-valued dimension a case
	// matches when any of its values is listed, and a breakdown by that
	// dimension keeps only the listed values.
	In map[StatsDim][]string
	// Not leaves out the cases whose value of a dimension is one of the
	// listed (for a multi-valued dimension: any of its values).
	Not map[StatsDim][]string
}

// StatsQuery asks for the number of cases per combination of the By
// dimensions' values.
type StatsQuery struct {
	By     []StatsDim
	Filter StatsFilter
}

// StatsRow is one combination's count; Values are in the order of By.
type StatsRow struct {
	Values []string `json:"values"`
	N      int64    `json:"n"`
}

// StatsCasePage is one page of the de-identified cases behind a figure.
type StatsCasePage struct {
	Items      []CaseSummary `json:"items"`
	Total      int64         `json:"total"`
	NextCursor string        `json:"next_cursor,omitempty"`
}

// StatsService counts cases and lists the cases behind a count. Neither
// reads a sealed column: counts and lists come from the plain,
// de-identified columns only.
type StatsService interface {
	// CaseCounts returns one row per combination present (rows with
	// N = 0 are left out), sorted by Values.
	CaseCounts(ctx context.Context, q StatsQuery) ([]StatsRow, error)
	// StatsCases lists the cases a filter counts, by creation order,
	// after the cursor of the previous page (limit 1..MaxPageSize).
	StatsCases(ctx context.Context, f StatsFilter, cursor string, limit int) (*StatsCasePage, error)
}

// Validate checks the query's dimensions and filter.
func (q *StatsQuery) Validate() error {
	var p Problems
	seen := map[StatsDim]bool{}
	for i, d := range q.By {
		switch {
		case !slices.Contains(StatsDims, d):
			p.Add("by["+strconv.Itoa(i)+"]", "validation.enum", "%q is not a dimension", truncate(string(d), 40))
		case seen[d]:
			p.Add("by["+strconv.Itoa(i)+"]", "validation.duplicate_value", "%s is listed twice", d)
		}
		seen[d] = true
	}
	p.Merge("", q.Filter.problems())
	return p.Err()
}

// MaxStatsValues bounds the values listed for one dimension of a filter.
const MaxStatsValues = 300

// Validate checks the filter's values before any query runs.
func (f *StatsFilter) Validate() error { return f.problems().Err() }

func (f *StatsFilter) problems() Problems {
	var p Problems
	for _, y := range []struct {
		field string
		v     int
	}{{"year_from", f.YearFrom}, {"year_to", f.YearTo}} {
		if y.v != 0 && (y.v < MinRegistrationYear || y.v > 9999) {
			p.Add(y.field, "validation.range", "%d is not a year between %d and 9999", y.v, MinRegistrationYear)
		}
	}
	if f.YearFrom != 0 && f.YearTo != 0 && f.YearFrom > f.YearTo {
		p.Add("year_from", "validation.range", "is after year_to")
	}
	if f.Agency != "" && !ValidAgencyCode(f.Agency) {
		p.Add("agency", "validation.agency_code", "%q is not an agency code", truncate(f.Agency, 40))
	}
	if f.Province != "" && !Province.Valid(f.Province) {
		p.Add("province", "validation.enum", "%q is not a province code (CD-KN, CD-NK, …)", truncate(f.Province, 40))
	}
	check := func(prefix string, d StatsDim, vs []string) {
		field := prefix + string(d)
		if !slices.Contains(StatsDims, d) {
			p.Add(field, "validation.enum", "%q is not a dimension", truncate(string(d), 40))
			return
		}
		if len(vs) > MaxStatsValues {
			p.Add(field, "validation.range", "lists %d values, at most %d", len(vs), MaxStatsValues)
		}
		for _, v := range vs {
			if len(v) > 40 {
				p.Add(field, "validation.too_long", "a value is longer than 40 characters")
				break
			}
		}
	}
	for d, vs := range f.In {
		check("in.", d, vs)
	}
	for d, vs := range f.Not {
		check("not.", d, vs)
	}
	return p
}
