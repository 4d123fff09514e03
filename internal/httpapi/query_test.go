// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"net/url"
	"testing"

	"vigie/internal/domain"
)

// FuzzParseCaseFilter: any query string is either a valid filter or an
// invalid-kind error; never a panic, never a silent unfiltered list.
func FuzzParseCaseFilter(f *testing.F) {
	for _, s := range []string{
		"", "gender=Feminine&limit=10", "status=Active&status=Closed", "genre=x", "limit=-1", "limit=99999999999999999999",
		"registered_from=2026-02-30", "updated_from=2026-01-01T00:00:00Z", "cursor=%ff%fe", "year_from=2020&year_to=2010",
		"citizenship=cd", "sort=-number", "exploitation=ForcedLabour&age_group=Child", "%zz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		filter, err := parseCaseFilter(q)
		if err != nil {
			if domain.KindOf(err) != domain.KindInvalid {
				t.Fatalf("error of kind %s: %v", domain.KindOf(err), err)
			}
			return
		}
		if filter.Limit < 1 || filter.Limit > domain.MaxPageSize || filter.Sort == "" {
			t.Fatalf("accepted filter with limit %d sort %q", filter.Limit, filter.Sort)
		}
		for k := range q {
			known := false
			for _, p := range listParams {
				known = known || p == k
			}
			if !known {
				t.Fatalf("unknown parameter %q accepted", k)
			}
		}
	})
}
