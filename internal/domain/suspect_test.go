// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// TestSuspectGrants: who may do what on the registry, refusals first.
func TestSuspectGrants(t *testing.T) {
	for _, c := range []struct {
		role Role
		act  Action
		want Scope
	}{
		{RoleAdmin, ActList, ScopeNone},
		{RoleAdmin, ActRead, ScopeNone},
		{RoleCoordinator, ActRead, ScopeNone},
		{RoleCoordinator, ActCreate, ScopeNone},
		{RoleCoordinator, ActList, ScopeAll},
		{RoleCaseworker, ActDelete, ScopeNone},
		{RoleCaseworker, ActRead, ScopeAgency},
		{RoleCaseworker, ActCreate, ScopeAgency},
		{RoleCaseworker, ActUpdate, ScopeAgency},
		{RoleSupervisor, ActDelete, ScopeAgency},
		{RoleJustice, ActDelete, ScopeAgency},
		{RoleJustice, ActCreate, ScopeAgency},
	} {
		if got := Allowed([]Role{c.role}, ResSuspect, c.act); got != c.want {
			t.Errorf("%s %s: %v, want %v", c.role, c.act, got, c.want)
		}
	}
	// Whoever reads a suspect's identity signs in with a second factor.
	for _, r := range Roles {
		if Allowed([]Role{r}, ResSuspect, ActRead) != ScopeNone && !slices.Contains(PersonalDataRoles(), r) {
			t.Errorf("%s reads suspects without a second factor", r)
		}
	}
}

func TestCanSuspect(t *testing.T) {
	acc := SuspectAccess{SuspectID: "s", AgencyID: "kin", CaseAgencies: []string{"gom"}}
	p := func(agency string, roles ...Role) *Principal { return &Principal{AgencyID: agency, Roles: roles} }
	for _, c := range []struct {
		name string
		p    *Principal
		act  Action
		want bool
	}{
		{"another agency, no linked case", p("lub", RoleJustice), ActRead, false},
		{"coordinator", p("kin", RoleCoordinator), ActRead, false},
		{"admin", p("kin", RoleAdmin), ActRead, false},
		{"caseworker deletes", p("kin", RoleCaseworker), ActDelete, false},
		{"linked agency deletes", p("gom", RoleSupervisor), ActDelete, false},
		{"read-only token updates", &Principal{AgencyID: "kin", Roles: []Role{RoleJustice}, ReadOnly: true}, ActUpdate, false},
		{"own agency", p("kin", RoleCaseworker), ActUpdate, true},
		{"through a linked case", p("gom", RoleCaseworker), ActRead, true},
		{"own agency's justice deletes", p("kin", RoleJustice), ActDelete, true},
	} {
		if got := c.p.CanSuspect(c.act, acc); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	s := &Suspect{Links: []*SuspectLink{{CaseNumber: "KIN-2026-000001", Reach: []string{"kin"}}, {CaseNumber: "GOM-2026-000001", Reach: []string{"gom", "kin"}}, {CaseNumber: "LUB-2026-000001", Reach: []string{"lub"}}}}
	p("gom", RoleCaseworker).RedactLinks(s)
	if len(s.Links) != 1 || s.Links[0].CaseNumber != "GOM-2026-000001" || s.HiddenLinks != 2 {
		t.Fatalf("redacted: %+v, %d hidden", s.Links, s.HiddenLinks)
	}
}

func TestSuspectValidate(t *testing.T) {
	today := NewDate(2026, 11, 27)
	s := &Suspect{Identity: &SuspectIdentity{FirstName: " Albert ", LastName: "Mukendi", Birthdate: NewDate(2010, 1, 1)}}
	if err := s.Validate(today); err != nil {
		t.Fatal(err)
	}
	if s.AgeGroup != "Child" || s.AgeBand != "0--29" || s.Identity.FirstName != "Albert" {
		t.Fatalf("%+v %+v", s, s.Identity)
	}
	// Only an alias, or only a description, is enough to register.
	for _, id := range []*SuspectIdentity{{Aliases: []string{"Le Colonel"}}, {Description: "Grand, cicatrice à la joue"}} {
		if err := (&Suspect{Identity: id}).Validate(today); err != nil {
			t.Errorf("%+v: %v", id, err)
		}
	}
	for _, bad := range []*Suspect{
		{Identity: &SuspectIdentity{LastName: "A", Aliases: make([]string, MaxSuspectAliases+1)}},
		{AgeGroup: "Elder", Identity: &SuspectIdentity{LastName: "A"}},
		{AgeBand: "12", Identity: &SuspectIdentity{LastName: "A"}},
		{Identity: &SuspectIdentity{LastName: "A", Documents: []IdentityDocument{{Type: "Passport"}}}},
		{Identity: &SuspectIdentity{LastName: "A\u009b"}},
	} {
		if KindOf(bad.Validate(today)) != KindInvalid {
			t.Errorf("%+v accepted", bad.Identity)
		}
	}
	for _, l := range []SuspectLink{
		{}, {CaseNumber: "KIN-2026-000001", SituationID: "x"},
		{SituationID: "x", Relation: "FriendAcquaintance"},
		{CaseNumber: "KIN-2026-000001", Roles: []string{"Exploiter", "Exploiter"}},
		{CaseNumber: "KIN-2026-000001", Organisation: "a\nb"},
	} {
		if KindOf(l.Validate()) != KindInvalid {
			t.Errorf("link %+v accepted", l)
		}
	}
}

func TestSuspectNumbers(t *testing.T) {
	n := FormatSuspectNumber("KIN", 2026, 7)
	if n != "KIN-S-2026-000007" || !ValidSuspectNumber(n) {
		t.Fatal(n)
	}
	for _, bad := range []string{"KIN-2026-000007", "K-S-2026-000007", "KIN-S-26-000007", "KIN-S-2026-7", "kin-s-2026-000007", "KIN-S-2026-000007 ", "KIN-S-2026-99999999999999999999"} {
		if ValidSuspectNumber(bad) {
			t.Errorf("%q taken for a suspect number", bad)
		}
	}
	if _, _, _, ok := ParseCaseNumber(n); ok {
		t.Fatal("a suspect number parses as a case number")
	}
}

// FuzzSuspect: any JSON a client sends either fails validation or leaves
// names and numbers on one line without control characters, and a
// suspect number is recognised only in its one shape.
func FuzzSuspect(f *testing.F) {
	f.Add(`{"identity":{"first_name":"Albert","aliases":["Le Colonel"],"documents":[{"type":"Passport","number":"OP1"}]}}`, "KIN-S-2026-000001")
	f.Add(`{"identity":{"last_name":"a\u0000b"}}`, "KIN-S-2026-")
	f.Add(`{"gender":"Masculine","identity":{"last_name":"<script>","birthdate":"2030-01-01"}}`, "ÉÉ-S-2026-000001")
	f.Fuzz(func(t *testing.T, body, number string) {
		if ValidSuspectNumber(number) {
			if _, _, _, ok := ParseCaseNumber(number); ok || strings.Count(number, "-") != 3 || !strings.Contains(number, "-S-") {
				t.Fatalf("%q taken for a suspect number", number)
			}
		}
		var s Suspect
		if json.Unmarshal([]byte(body), &s) != nil {
			return
		}
		if s.Validate(NewDate(2026, 11, 27)) != nil {
			return
		}
		for _, v := range append([]string{s.Identity.FirstName, s.Identity.MiddleName, s.Identity.LastName}, s.Identity.Aliases...) {
			if strings.IndexFunc(v, unicode.IsControl) >= 0 {
				t.Fatalf("a control character in %q", v)
			}
		}
		if s.AgeGroup == "" {
			t.Fatal("no age group")
		}
	})
}
