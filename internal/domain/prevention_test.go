// SPDX-License-Identifier: AGPL-3.0-or-later

package domain_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"vigie/internal/domain"
)

var preventionToday = domain.NewDate(2026, 11, 27)

func TestPreventionGrants(t *testing.T) {
	for _, c := range []struct {
		role domain.Role
		res  domain.Resource
		act  domain.Action
		want domain.Scope
	}{
		{domain.RoleCaseworker, domain.ResProvider, domain.ActRead, domain.ScopeAll},
		{domain.RoleCaseworker, domain.ResProvider, domain.ActUpdate, domain.ScopeNone},
		{domain.RoleSupervisor, domain.ResProvider, domain.ActUpdate, domain.ScopeAll},
		{domain.RoleSupervisor, domain.ResProvider, domain.ActDelete, domain.ScopeNone},
		{domain.RoleAdmin, domain.ResProvider, domain.ActDelete, domain.ScopeAll},
		{domain.RoleJustice, domain.ResProvider, domain.ActList, domain.ScopeAll},
		{domain.RoleCaseworker, domain.ResAwareness, domain.ActCreate, domain.ScopeAgency},
		{domain.RoleCaseworker, domain.ResAwareness, domain.ActDelete, domain.ScopeNone},
		{domain.RoleSupervisor, domain.ResAwareness, domain.ActDelete, domain.ScopeAgency},
		{domain.RoleCoordinator, domain.ResAwareness, domain.ActList, domain.ScopeAll},
		{domain.RoleCoordinator, domain.ResAwareness, domain.ActCreate, domain.ScopeNone},
		{domain.RoleJustice, domain.ResAwareness, domain.ActRead, domain.ScopeNone},
		{domain.RoleAdmin, domain.ResAwareness, domain.ActRead, domain.ScopeNone},
	} {
		if got := domain.Allowed([]domain.Role{c.role}, c.res, c.act); got != c.want {
			t.Errorf("%s %s %s: %s, want %s", c.role, c.act, c.res, got, c.want)
		}
	}
}

func TestProvinceAliases(t *testing.T) {
	for in, want := range map[string]string{"Nord-Kivu": "CD-NK", "kinshasa": "CD-KN", "Bas-Congo": "CD-BC", "CD-HK": "CD-HK", " équateur ": "CD-EQ"} {
		if got, ok := domain.Province.Normalize(in); !ok || got != want {
			t.Errorf("%q → %q %v, want %q", in, got, ok, want)
		}
	}
	if len(domain.Province.Values) != 26 {
		t.Errorf("%d provinces", len(domain.Province.Values))
	}
}

// FuzzProviderJSON: whatever a client sends, decoding and validating
// never panics, and what validates keeps the directory's rules.
func FuzzProviderJSON(f *testing.F) {
	f.Add(`{"name":"Maison","type":"NGO","provinces":["CD-KN"],"services":["Shelter"],"beds_total":3,"beds_free":1,"capacity_date":"2026-01-02"}`)
	f.Add(`{"name":"<script>","type":"Other","provinces":["CD-KN","CD-KN"],"services":[],"beds_free":-1}`)
	f.Add(`{"name":"\u0000","capacity_date":"31/12/2026","phone":"+243"}`)
	f.Fuzz(func(t *testing.T, s string) {
		var p domain.Provider
		if json.Unmarshal([]byte(s), &p) != nil {
			return
		}
		if p.Validate(preventionToday) != nil {
			return
		}
		if strings.TrimSpace(p.Name) == "" || !utf8.ValidString(p.Name) || len(p.Services) == 0 || len(p.Provinces) == 0 {
			t.Fatalf("valid provider %+v", p)
		}
		if p.BedsFree != nil && p.BedsTotal != nil && *p.BedsFree > *p.BedsTotal {
			t.Fatalf("more free beds than beds: %+v", p)
		}
		for _, v := range p.Provinces {
			if !domain.ValidProvince(v) {
				t.Fatalf("province %q", v)
			}
		}
	})
}

// FuzzAwarenessJSON: the same for awareness activities.
func FuzzAwarenessJSON(f *testing.F) {
	f.Add(`{"type":"Radio","date":"2026-10-03","province":"CD-NK","agency":"GOM","reached":{"female_children":1}}`)
	f.Add(`{"type":"Radio","date":"2027-10-03","province":"CD-NK","agency":"GOM","reached":{"male_adults":-5}}`)
	f.Fuzz(func(t *testing.T, s string) {
		var a domain.Awareness
		if json.Unmarshal([]byte(s), &a) != nil || a.Validate(preventionToday) != nil {
			return
		}
		r := a.Reached
		for _, n := range []int{r.FemaleChildren, r.FemaleAdults, r.MaleChildren, r.MaleAdults} {
			if n < 0 || n > domain.MaxReached {
				t.Fatalf("count %d in a valid activity", n)
			}
		}
		if a.Date.After(preventionToday) || a.Date.IsZero() || !domain.ValidProvince(a.Province) {
			t.Fatalf("valid activity %+v", a)
		}
	})
}
