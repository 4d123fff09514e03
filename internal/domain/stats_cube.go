// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"context"
	"slices"
	"strconv"
	"strings"
)

// CubeRow is one combination of every dimension's values and the number
// of cases that have it: the finest counts a period holds. Every breakdown
// is a sum over these rows (Marginal), so a report of many tables reads
// the cases once. Multi-valued dimensions keep the case's whole list.
type CubeRow struct {
	Year                  int // 0 unknown
	Month                 string
	Province              string
	Gender                string
	AgeGroup              string
	AgeBand               string
	TraffickingStatus     string
	Status                string
	Agency                string // agency code
	ExploitationCountries []string
	Citizenship           []string
	Exploitation          []string
	Services              []string
	Repatriated           string
	N                     int64
}

// CubeService reads the cube of a filter's cases. Months are filled (and
// the rows finer) only when asked for.
type CubeService interface {
	CaseCube(ctx context.Context, f StatsFilter, months bool) ([]CubeRow, error)
}

// Values is the row's values of a dimension: one, or for a multi-valued
// dimension its list ("" when the list is empty).
func (r *CubeRow) Values(d StatsDim) []string {
	one := func(s string) []string { return []string{s} }
	list := func(xs []string) []string {
		if len(xs) == 0 {
			return []string{""}
		}
		return xs
	}
	switch d {
	case StatsYear:
		if r.Year == 0 {
			return one("")
		}
		return one(strconv.Itoa(r.Year))
	case StatsMonth:
		return one(r.Month)
	case StatsGender:
		return one(r.Gender)
	case StatsAgeGroup:
		return one(r.AgeGroup)
	case StatsAgeBand:
		return one(r.AgeBand)
	case StatsExploitation:
		return list(r.Exploitation)
	case StatsCitizenship:
		return list(r.Citizenship)
	case StatsExploitationCountry:
		return list(r.ExploitationCountries)
	case StatsProvince:
		return one(r.Province)
	case StatsAgency:
		return one(r.Agency)
	case StatsStatus:
		return one(r.Status)
	case StatsTraffickingStatus:
		return one(r.TraffickingStatus)
	case StatsAssistance:
		return list(r.Services)
	case StatsRepatriated:
		return one(r.Repatriated)
	case StatsIdentified:
		return one(IdentifiedWhere(r.Province, r.ExploitationCountries))
	}
	return one("")
}

// Marginal sums cube rows by the dimensions of by. A row with several
// values of a multi-valued dimension counts under each; keep, when it
// lists a dimension, restricts that dimension to the listed values. The
// result is sorted by values, without zero rows.
func Marginal(rows []CubeRow, by []StatsDim, keep map[StatsDim][]string) []StatsRow {
	sums := map[string]int64{}
	key := make([]string, len(by))
	var walk func(r *CubeRow, i int)
	walk = func(r *CubeRow, i int) {
		if i == len(by) {
			sums[strings.Join(key, "\x00")] += r.N
			return
		}
		for _, v := range r.Values(by[i]) {
			if vs, ok := keep[by[i]]; ok && !slices.Contains(vs, v) {
				continue
			}
			key[i] = v
			walk(r, i+1)
		}
	}
	for i := range rows {
		walk(&rows[i], 0)
	}
	keys := make([]string, 0, len(sums))
	for k, n := range sums {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := make([]StatsRow, 0, len(keys))
	for _, k := range keys {
		vals := []string{}
		if len(by) > 0 {
			vals = strings.Split(k, "\x00")
		}
		out = append(out, StatsRow{Values: vals, N: sums[k]})
	}
	return out
}
