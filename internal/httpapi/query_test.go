// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"errors"
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

// TestParseCaseFilterRanges: every range of the list whose start is after
// its end is refused, naming the start — updated_from after updated_to
// listed nothing under a total of 0 while the same mistake with years or
// registration dates was refused.
func TestParseCaseFilterRanges(t *testing.T) {
	tests := []struct {
		query string
		field string // "" when the filter is valid
	}{
		{"year_from=2020&year_to=2019", "year_from"},
		{"registered_from=2021-01-01&registered_to=2020-12-31", "registered_from"},
		{"updated_from=2026-12-01&updated_to=2026-01-01", "updated_from"},
		{"updated_from=2026-01-02&updated_to=2026-01-01", "updated_from"},
		{"updated_from=2026-01-01T10:00:00Z&updated_to=2026-01-01T09:59:59Z", "updated_from"},
		{"updated_from=2026-01-01T10:00:00%2B01:00&updated_to=2026-01-01T09:30:00Z", ""},      // 09:00 UTC
		{"updated_from=2026-01-01&updated_to=2026-01-01", ""},                                 // that day
		{"updated_from=2026-01-01T12:00:00Z&updated_to=2026-01-01", ""},                       // to ends the day
		{"updated_from=2026-01-01T10:00:00Z&updated_to=2026-01-01T10:00:00Z", "updated_from"}, // a time ends before it
		{"year_from=2020&year_to=2020", ""},
		{"registered_from=2020-01-01&registered_to=2020-01-01", ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			_, err = parseCaseFilter(q)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var e *domain.Error
			if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != tt.field || e.Fields[0].Code != "validation.range" {
				t.Fatalf("got %v, want one validation.range on %s", err, tt.field)
			}
		})
	}
}

// TestParseCaseFilterSituationID: a situation_id that cannot be an ID is
// refused by name — situation_id=abc listed nothing under a total of 0,
// as if the situation had no case.
func TestParseCaseFilterSituationID(t *testing.T) {
	tests := []struct {
		value string
		ok    bool
	}{
		{"01a22288-735c-7efa-b492-7b33d1932bfa", true},
		{"01A22288-735C-7EFA-B492-7B33D1932BFA", true},
		{"abc", false},
		{"KIN-2026-000001", false},
		{"01a22288735c7efab4927b33d1932bfa", false},
		{"01a22288-735c-7efa-b492-7b33d1932bfz", false},
		{"01a22288-735c-7efa-b492_7b33d1932bfa", false},
	}
	for _, tt := range tests {
		_, err := parseCaseFilter(url.Values{"situation_id": {tt.value}})
		if tt.ok != (err == nil) {
			t.Errorf("%s: %v", tt.value, err)
		}
		if fe := domain.FieldErrors(err); !tt.ok && (len(fe) != 1 || fe[0].Field != "situation_id" || fe[0].Code != "validation.identifier") {
			t.Errorf("%s: %+v, want validation.identifier on situation_id", tt.value, fe)
		}
	}
}

// TestEmptyLimitIsIgnored: a blank limit= (a form's empty field) is the
// default page, as every other blank parameter is ignored; limit=0 and a
// limit that is not a number stay refused on their field.
func TestEmptyLimitIsIgnored(t *testing.T) {
	for _, tt := range []struct {
		raw string
		ok  bool
	}{{"limit=", true}, {"limit=%20", true}, {"gender=&limit=", true}, {"limit=0", false}, {"limit=x", false}, {"limit=501", false}} {
		q, _ := url.ParseQuery(tt.raw)
		f, err := parseCaseFilter(q)
		if tt.ok != (err == nil) {
			t.Fatalf("%s: %v, want ok=%v", tt.raw, err, tt.ok)
		}
		if tt.ok && f.Limit != domain.DefaultPageSize {
			t.Fatalf("%s: limit %d, want the default %d", tt.raw, f.Limit, domain.DefaultPageSize)
		}
		if !tt.ok && domain.FieldErrors(err)[0].Field != "limit" {
			t.Fatalf("%s: refused on %v", tt.raw, domain.FieldErrors(err))
		}
	}
}
