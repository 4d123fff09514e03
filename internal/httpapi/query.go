// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"vigie/internal/domain"
)

// listParams are the query parameters of GET /api/v1/cases.
var listParams = []string{"agency", "status", "trafficking_status", "gender", "age_group", "age_band", "exploitation",
	"citizenship", "exploitation_country", "situation_id", "province", "year_from", "year_to", "registered_from", "registered_to",
	"updated_from", "updated_to", "sort", "cursor", "limit"}

// ParseCaseFilter is parseCaseFilter for vigie case list, which passes its
// flags as these parameters so that the command line and the API accept
// and refuse the same values with the same errors.
func ParseCaseFilter(q url.Values) (domain.CaseFilter, error) { return parseCaseFilter(q) }

// CaseListParams are the parameters ParseCaseFilter reads.
func CaseListParams() []string { return append([]string(nil), listParams...) }

// parseCaseFilter reads the list filter from the query string. Unknown
// and repeated parameters are errors, so that a typo never silently
// returns the unfiltered list.
func parseCaseFilter(q url.Values) (domain.CaseFilter, error) {
	var f domain.CaseFilter
	var p domain.Problems
	known := map[string]bool{}
	for _, k := range listParams {
		known[k] = true
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !known[k] {
			p.Add(k, "validation.unknown_parameter", "is not a filter of this list; known: %s", strings.Join(listParams, ", "))
		} else if len(q[k]) > 1 {
			p.Add(k, "validation.repeated_parameter", "is given %d times; give it once", len(q[k]))
		}
	}
	str := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	bad := map[string]bool{}
	integer := func(k string) int {
		s := str(k)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			p.Add(k, "validation.integer", "%q is not a positive whole number", s)
			bad[k] = true
		}
		return n
	}
	date := func(k string) domain.Date {
		d, err := domain.ParseDate(str(k))
		if err != nil {
			p.Add(k, "validation.date_format", "%q is not a date in the form YYYY-MM-DD", str(k))
		}
		return d
	}
	instant := func(k string) time.Time {
		s := str(k)
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			d, derr := domain.ParseDate(s)
			if derr != nil {
				p.Add(k, "validation.datetime_format", "%q is not a date (YYYY-MM-DD) or an RFC 3339 time", s)
				return t
			}
			t = d.Time()
		}
		// Year 1 at midnight is Go's zero time, read as no bound (every
		// case listed), and a date in 9999 ran past the year on SQLite
		// (none listed) but not on PostgreSQL.
		if t.Year() < 1900 || t.Year() > 9998 {
			p.Add(k, "validation.range", "must be between 1900 and 9998")
			return time.Time{}
		}
		return t
	}
	f.Agency = str("agency")
	f.Status = str("status")
	f.TraffickingStatus = str("trafficking_status")
	f.Gender = str("gender")
	f.AgeGroup = str("age_group")
	f.AgeBand = str("age_band")
	f.Exploitation = str("exploitation")
	f.Citizenship = str("citizenship")
	f.ExploitationCountry = str("exploitation_country")
	f.SituationID = str("situation_id")
	f.Province = str("province")
	if n, ok := domain.Province.Normalize(f.Province); ok {
		f.Province = n // a province's name (Nord-Kivu) as its code (CD-NK)
	}
	f.YearFrom, f.YearTo = integer("year_from"), integer("year_to")
	f.RegisteredFrom, f.RegisteredTo = date("registered_from"), date("registered_to")
	f.UpdatedFrom, f.UpdatedTo = instant("updated_from"), instant("updated_to")
	if d, err := domain.ParseDate(str("updated_to")); err == nil && !d.IsZero() {
		// A date ends the period after that day, as registered_to
		// does (the store compares updated_at < updated_to).
		f.UpdatedTo = d.Time().AddDate(0, 0, 1)
	}
	f.Sort = str("sort")
	f.Cursor = str("cursor")
	f.Limit = integer("limit")
	if str("limit") != "" && f.Limit == 0 && !bad["limit"] {
		// limit=0 asks for no page; an empty limit= is ignored, as
		// every other empty parameter is (a form's blank field).
		p.Add("limit", "validation.range", "must be between 1 and %d", domain.MaxPageSize)
	}
	if err := p.Err(); err != nil {
		return f, err
	}
	// Field-level checks (enums, ranges) are the domain's.
	return f, f.Validate()
}
