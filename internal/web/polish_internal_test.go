// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

func TestOptionOrder(t *testing.T) {
	tests := []struct {
		name     string
		in, want []string
	}{
		{"Other in the middle", []string{"A", "Other", "B"}, []string{"A", "B", "Other"}},
		{"Other then Unknown keep their order", []string{"Unknown", "A", "Other", "B"}, []string{"A", "B", "Unknown", "Other"}},
		{"a catch-all first", []string{"StrangerUnknownOther", "Friend"}, []string{"Friend", "StrangerUnknownOther"}},
		{"a real category with Other in its name stays", []string{"S_OtherServiceActivities", "T_Households"}, []string{"S_OtherServiceActivities", "T_Households"}},
		{"nothing to move", []string{"A", "B"}, []string{"A", "B"}},
		{"empty", nil, []string{}},
	}
	for _, tt := range tests {
		in := slices.Clone(tt.in)
		if got := optionOrder(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
		if !slices.Equal(in, tt.in) {
			t.Errorf("%s: the enum's own list changed", tt.name)
		}
	}
	// Every code list keeps every value once, a catch-all never before
	// a value that is not one.
	for _, e := range []*domain.Enum{domain.MethodsOfControl, domain.Gender, domain.RecruiterRelation, domain.PerpetratorRelation, domain.AgeBand} {
		got := optionOrder(e.Values)
		if len(got) != len(e.Values) {
			t.Fatalf("%s: %v", e.Field, got)
		}
		for i := 1; i < len(got); i++ {
			if catchAll[got[i-1]] && !catchAll[got[i]] {
				t.Errorf("%s: %s before %s", e.Field, got[i-1], got[i])
			}
		}
	}
}

// FuzzAuditDetailLine: whatever an entry's detail holds (it is JSON from
// the store), its line is text, in both languages, without panicking.
func FuzzAuditDetailLine(f *testing.F) {
	f.Add("ref", `"(not a case reference)"`)
	f.Add("roles", `["caseworker","<script>"]`)
	f.Add("fields", `["person.prs_FirstName","victim.","."]`)
	f.Add("size", `12345678901234567890`)
	f.Add("break_glass", `true`)
	f.Add("x", `{"a":[1,null,{"b":"\u0000"}]}`)
	f.Add("", `1e308`)
	f.Fuzz(func(t *testing.T, key, raw string) {
		var v any
		if json.Unmarshal([]byte(raw), &v) != nil {
			return
		}
		for _, l := range i18n.Langs {
			line := detailLine(i18n.For(l), "update", key, v)
			if !strings.Contains(line, ":") || (utf8.ValidString(key) && utf8.ValidString(raw) && !utf8.ValidString(line)) {
				t.Fatalf("%s: %q", l, line)
			}
		}
	})
}
