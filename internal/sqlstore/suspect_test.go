// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/seal"
	"vigie/internal/sqlstore"
)

// NewSuspect returns a valid suspect of agency; mutate it before creating.
func NewSuspect(agency, first, last string) *domain.Suspect {
	return &domain.Suspect{Agency: agency, Gender: "Masculine", Citizenship: "CD",
		Identity: &domain.SuspectIdentity{FirstName: first, LastName: last, Aliases: []string{"Papa Wemba"},
			Birthdate: domain.NewDate(1980, 2, 3), Phones: []string{"+243998877665"},
			Documents: []domain.IdentityDocument{{Type: "Passport", Number: "OP1234567", Country: "CD"}}}}
}

// MustCreateSuspect registers s.
func MustCreateSuspect(tb testing.TB, db *sqlstore.DB, s *domain.Suspect) *domain.Suspect {
	tb.Helper()
	if err := db.CreateSuspect(context.Background(), s); err != nil {
		tb.Fatalf("registering suspect: %v", err)
	}
	return s
}

// MustLink links a suspect to a case.
func MustLink(tb testing.TB, db *sqlstore.DB, s *domain.Suspect, caseNumber string, roles ...string) *domain.SuspectLink {
	tb.Helper()
	l := &domain.SuspectLink{SuspectID: s.ID, CaseNumber: caseNumber, Roles: roles, Relation: "FriendAcquaintance", Organisation: "Réseau du fleuve"}
	if err := db.LinkSuspect(context.Background(), l); err != nil {
		tb.Fatalf("linking: %v", err)
	}
	return l
}

func TestSuspectCreateAndRead(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		s := MustCreateSuspect(t, db, NewSuspect("KIN", "Albert", "Mukendi"))
		second := MustCreateSuspect(t, db, NewSuspect("KIN", "Jules", "Kalala"))
		if s.Number != "KIN-S-2026-000001" || second.Number != "KIN-S-2026-000002" {
			t.Fatalf("numbers %s, %s; want KIN-S-2026-000001 and …02", s.Number, second.Number)
		}
		// Derived from the birth date (46 on 2026-11-27).
		if s.AgeGroup != "Adult" || s.AgeBand != "39--47" {
			t.Fatalf("age group %q band %q", s.AgeGroup, s.AgeBand)
		}
		for _, ref := range []string{s.ID, s.Number} {
			got, err := db.Suspect(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name() != "Albert Mukendi" || got.Identity.Documents[0].Number != "OP1234567" || got.Agency != "KIN" || got.Version != 1 {
				t.Fatalf("read back %+v %+v", got, got.Identity)
			}
		}
		for _, ref := range []string{"KIN-2026-000001", "00000000-0000-0000-0000-000000000000", "Albert Mukendi", "KIN-S-2026-000099"} {
			_, err := db.Suspect(ctx, ref)
			wantKind(t, err, domain.KindNotFound)
			if strings.Contains(err.Error(), "Albert") {
				t.Fatalf("the error repeats what was typed: %v", err)
			}
		}
		sealed, keys, err := sqlstore.SuspectStored(ctx, db, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, clear := range []string{"Albert", "Mukendi", "Wemba", "OP1234567", "998877665"} {
			if bytes.Contains(sealed, []byte(clear)) {
				t.Fatalf("%q is stored in clear", clear)
			}
		}
		if len(keys) < 6 {
			t.Fatalf("%d blind-index keys for a name and an alias", len(keys))
		}
	})
}

func TestSuspectRefusals(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		for name, mutate := range map[string]func(s *domain.Suspect){
			"unknown agency":   func(s *domain.Suspect) { s.Agency = "XYZ" },
			"no identity":      func(s *domain.Suspect) { s.Identity = nil },
			"nothing to know":  func(s *domain.Suspect) { s.Identity = &domain.SuspectIdentity{} },
			"gender":           func(s *domain.Suspect) { s.Gender = "Male" },
			"citizenship":      func(s *domain.Suspect) { s.Citizenship = "ZZZ" },
			"control":          func(s *domain.Suspect) { s.Identity.LastName = "Mu\x1bkendi" },
			"newline":          func(s *domain.Suspect) { s.Identity.Aliases = []string{"a\nb"} },
			"long":             func(s *domain.Suspect) { s.Identity.FirstName = strings.Repeat("é", 201) },
			"document type":    func(s *domain.Suspect) { s.Identity.Documents[0].Type = "Bogus" },
			"future birthdate": func(s *domain.Suspect) { s.Identity.Birthdate = domain.NewDate(2030, 1, 1) },
			"twice the alias":  func(s *domain.Suspect) { s.Identity.Aliases = []string{"Papa", "papa"} },
		} {
			s := NewSuspect("KIN", "Albert", "Mukendi")
			mutate(s)
			if err := db.CreateSuspect(ctx, s); domain.KindOf(err) != domain.KindInvalid {
				t.Errorf("%s: got %v, want invalid", name, err)
			}
		}
	})
}

func TestSuspectUpdateDeleteAndLinks(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		s := MustCreateSuspect(t, db, NewSuspect("KIN", "Albert", "Mukendi"))
		c1 := MustCreateCase(t, db, NewCase("KIN"))
		c2 := MustCreateCase(t, db, NewCase("KIN"))

		// Update at the version read; a stale one is a conflict.
		edit := *s
		edit.Identity = &domain.SuspectIdentity{FirstName: "Albert", LastName: "Mukendi", Aliases: []string{"Le Grand"}}
		if err := db.UpdateSuspect(ctx, &edit); err != nil {
			t.Fatal(err)
		}
		stale := *s
		stale.Identity = &domain.SuspectIdentity{LastName: "Autre"}
		wantKind(t, db.UpdateSuspect(ctx, &stale), domain.KindConflict)
		got, _ := db.Suspect(ctx, s.ID)
		if got.Version != 2 || got.Identity.Aliases[0] != "Le Grand" || got.AgeGroup != "Adult" {
			t.Fatalf("after update: %+v %+v", got, got.Identity)
		}

		l1 := MustLink(t, db, got, c1.Number, "RecruiterOrIntermediary", "Transporter")
		MustLink(t, db, got, c2.Number, "Exploiter")
		// Once per case.
		wantKind(t, db.LinkSuspect(ctx, &domain.SuspectLink{SuspectID: s.ID, CaseNumber: c1.Number}), domain.KindConflict)
		// A case that does not exist, a situation that does not.
		wantKind(t, db.LinkSuspect(ctx, &domain.SuspectLink{SuspectID: s.ID, CaseNumber: "KIN-2026-009999"}), domain.KindNotFound)
		wantKind(t, db.LinkSuspect(ctx, &domain.SuspectLink{SuspectID: s.ID, SituationID: "x'; DROP TABLE suspects;--"}), domain.KindNotFound)
		// Bad values.
		wantKind(t, db.LinkSuspect(ctx, &domain.SuspectLink{SuspectID: s.ID, CaseNumber: c1.Number, Roles: []string{"Boss"}}), domain.KindInvalid)
		wantKind(t, db.LinkSuspect(ctx, &domain.SuspectLink{SuspectID: s.ID}), domain.KindInvalid)

		// A situation link.
		sit := &domain.Situation{Agency: "KIN", Title: "Réseau de Kolwezi"}
		if err := db.CreateSituation(ctx, sit); err != nil {
			t.Fatal(err)
		}
		if err := db.LinkSuspect(ctx, &domain.SuspectLink{SuspectID: s.ID, SituationID: sit.ID, Roles: []string{"Exploiter"}}); err != nil {
			t.Fatal(err)
		}

		got, _ = db.Suspect(ctx, s.Number)
		if len(got.Links) != 3 || got.Links[0].CaseNumber != c1.Number || got.Links[0].Organisation != "Réseau du fleuve" ||
			strings.Join(got.Links[0].Roles, ",") != "RecruiterOrIntermediary,Transporter" || got.Links[2].SituationID != sit.ID {
			t.Fatalf("links %+v", got.Links)
		}
		onCase, err := db.CaseSuspects(ctx, c2.ID)
		if err != nil || len(onCase) != 1 || onCase[0].Name() != "Albert Mukendi" || len(onCase[0].Links) != 1 || onCase[0].Links[0].Roles[0] != "Exploiter" {
			t.Fatalf("case suspects %+v %v", onCase, err)
		}

		// Link edits follow the version rule.
		l1.Roles, l1.Organisation = []string{"Exploiter"}, "Autre réseau"
		if err := db.UpdateSuspectLink(ctx, l1); err != nil {
			t.Fatal(err)
		}
		l1.Version = 1
		wantKind(t, db.UpdateSuspectLink(ctx, l1), domain.KindConflict)

		// Delete is refused while links remain, then allowed.
		wantKind(t, db.DeleteSuspect(ctx, s.ID, got.Version), domain.KindConflict)
		for _, l := range got.Links {
			v := l.Version
			if l.ID == l1.ID {
				v = 2
			}
			if err := db.UnlinkSuspect(ctx, s.ID, l.ID, v); err != nil {
				t.Fatal(err)
			}
		}
		wantKind(t, db.DeleteSuspect(ctx, s.ID, 1), domain.KindConflict)
		if err := db.DeleteSuspect(ctx, s.ID, got.Version); err != nil {
			t.Fatal(err)
		}
		_, err = db.Suspect(ctx, s.ID)
		wantKind(t, err, domain.KindNotFound)

		es, err := db.AuditEntries(ctx, domain.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range es {
			if e.Resource == string(domain.ResSuspect) {
				n++
				if strings.Contains(strings.ToLower(e.CaseNumber+e.RecordID+anyString(e.Detail)), "mukendi") {
					t.Fatalf("a name in the audit log: %+v", e)
				}
			}
		}
		// create, update, 3 links, link update, 3 unlinks, delete.
		if n != 10 {
			t.Fatalf("%d suspect audit entries, want 10", n)
		}
	})
}

func anyString(m map[string]any) string {
	var b strings.Builder
	for k, v := range m {
		b.WriteString(k)
		if s, ok := v.(string); ok {
			b.WriteString(s)
		}
	}
	return b.String()
}

// TestSuspectAccessAndLists: an agency reaches its suspects and those
// linked to its cases or to cases referred to it, and no other.
func TestSuspectAccessAndLists(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		kin := MustCreateAgency(t, db, "KIN")
		gom := MustCreateAgency(t, db, "GOM")
		lub := MustCreateAgency(t, db, "LUB")
		kinSuspect := MustCreateSuspect(t, db, NewSuspect("KIN", "Albert", "Mukendi"))
		gomSuspect := MustCreateSuspect(t, db, NewSuspect("GOM", "Jules", "Kalala"))
		gomSuspect2 := MustCreateSuspect(t, db, NewSuspect("GOM", "Pierre", "Ilunga"))
		kinCase := MustCreateCase(t, db, NewCase("KIN"))
		// GOM's suspect named by a KIN victim: KIN now reaches him.
		MustLink(t, db, gomSuspect, kinCase.Number, "Exploiter")

		acc, err := db.SuspectAccess(ctx, gomSuspect.Number)
		if err != nil || acc.AgencyID != gom.ID || len(acc.CaseAgencies) != 1 || acc.CaseAgencies[0] != kin.ID {
			t.Fatalf("access %+v %v", acc, err)
		}
		kinUser := &domain.Principal{AgencyID: kin.ID, Roles: []domain.Role{domain.RoleCaseworker}}
		if !kinUser.CanSuspect(domain.ActRead, acc) || !kinUser.CanSuspect(domain.ActUpdate, acc) {
			t.Fatal("KIN cannot read the suspect linked to its case")
		}
		kinSup := &domain.Principal{AgencyID: kin.ID, Roles: []domain.Role{domain.RoleSupervisor}}
		if kinSup.CanSuspect(domain.ActDelete, acc) {
			t.Fatal("KIN may delete GOM's suspect")
		}
		lubUser := &domain.Principal{AgencyID: lub.ID, Roles: []domain.Role{domain.RoleJustice}}
		if lubUser.CanSuspect(domain.ActRead, acc) {
			t.Fatal("LUB reaches a suspect it has no case of")
		}

		ids := func(f domain.SuspectFilter) []string {
			t.Helper()
			list, total, err := db.FindSuspects(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, s := range list {
				out = append(out, s.Number)
			}
			if total != len(out) && f.Limit == 0 {
				t.Fatalf("total %d for %d rows", total, len(out))
			}
			return out
		}
		if got := strings.Join(ids(domain.SuspectFilter{Reach: kin.ID}), " "); got != gomSuspect.Number+" "+kinSuspect.Number {
			t.Fatalf("KIN reaches %s", got)
		}
		if got := strings.Join(ids(domain.SuspectFilter{Reach: gom.ID}), " "); got != gomSuspect2.Number+" "+gomSuspect.Number {
			t.Fatalf("GOM reaches %s", got)
		}
		if got := ids(domain.SuspectFilter{Reach: lub.ID}); len(got) != 0 {
			t.Fatalf("LUB reaches %v", got)
		}
		if got := ids(domain.SuspectFilter{CaseID: kinCase.ID}); len(got) != 1 || got[0] != gomSuspect.Number {
			t.Fatalf("linked to the case: %v", got)
		}
		if got := ids(domain.SuspectFilter{CaseID: "not-a-uuid"}); len(got) != 0 {
			t.Fatalf("malformed case ID: %v", got)
		}
		if got := ids(domain.SuspectFilter{Agency: "GOM", Limit: 1}); len(got) != 1 {
			t.Fatalf("page of 1: %v", got)
		}
		_, total, err := db.FindSuspects(ctx, domain.SuspectFilter{Agency: "GOM", Limit: 1, Offset: 5})
		if err != nil || total != 2 {
			t.Fatalf("past the end: total %d, %v", total, err)
		}
		_, _, err = db.FindSuspects(ctx, domain.SuspectFilter{Gender: "Robot"})
		wantKind(t, err, domain.KindInvalid)

		counts, err := db.CountSuspects(ctx, domain.SuspectFilter{})
		if err != nil || counts.Total != 3 || counts.ByGender["Masculine"] != 3 || counts.ByCitizenship["CD"] != 3 || counts.ByAgeGroup["Adult"] != 3 {
			t.Fatalf("counts %+v %v", counts, err)
		}
	})
}

// TestSuspectDuplicates: the same trafficker registered from two cases,
// spelled differently, is proposed as a duplicate; victims' names never
// answer a suspect check, nor suspects a victims' search.
func TestSuspectDuplicates(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		kin := MustCreateAgency(t, db, "KIN")
		gom := MustCreateAgency(t, db, "GOM")
		first := MustCreateSuspect(t, db, NewSuspect("KIN", "Albert", "Mukendi"))
		MustCreateSuspect(t, db, NewSuspect("KIN", "Jules", "Kalala"))
		MustCreateSuspect(t, db, NewSuspect("GOM", "Albert", "Mukendi"))
		victim := NewCase("KIN")
		victim.Person.FirstName, victim.Person.SecondName = "Albert", "Moukendi"
		MustCreateCase(t, db, victim)

		got, err := db.SuspectDuplicates(ctx, domain.SuspectQuery{Name: "Albert Moukendi"}, kin.ID, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].SuspectID != first.ID || got[0].Score < sqlstore.SuspectDuplicateScore {
			t.Fatalf("candidates %+v", got)
		}
		// By an alias, with the same birth date.
		got, _ = db.SuspectDuplicates(ctx, domain.SuspectQuery{Name: "X", Aliases: []string{"Papa Wemba"}, Birthdate: domain.NewDate(1980, 2, 3)}, kin.ID, 5)
		if len(got) != 2 || !got[0].SameBirthdate {
			t.Fatalf("by alias %+v", got)
		}
		// Every agency's (a national check).
		got, _ = db.SuspectDuplicates(ctx, domain.SuspectQuery{Name: "Albert Mukendi"}, "", 5)
		if len(got) != 2 {
			t.Fatalf("across agencies %+v", got)
		}
		// GOM reaches KIN's suspect only once he is linked to its case.
		got, _ = db.SuspectDuplicates(ctx, domain.SuspectQuery{Name: "Albert Mukendi"}, gom.ID, 5)
		if len(got) != 1 || got[0].Agency != "GOM" {
			t.Fatalf("GOM sees %+v", got)
		}
		gomCase := MustCreateCase(t, db, NewCase("GOM"))
		MustLink(t, db, first, gomCase.Number)
		got, _ = db.SuspectDuplicates(ctx, domain.SuspectQuery{Name: "Albert Mukendi"}, gom.ID, 5)
		if len(got) != 2 {
			t.Fatalf("GOM after the link sees %+v", got)
		}
		// The victims' search does not find suspects.
		m, err := db.SearchNames(ctx, "Jules Kalala", "", 0.5, 10)
		if err != nil || len(m) != 0 {
			t.Fatalf("victims' search found %+v %v", m, err)
		}
		_, err = db.SuspectDuplicates(ctx, domain.SuspectQuery{}, "", 5)
		wantKind(t, err, domain.KindInvalid)
	})
}

// TestSuspectKeysRotate: a suspect's data key is re-wrapped by rotation
// and counted until it is.
func TestSuspectKeysRotate(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		k := seal.NewTestKeyring()
		db.SetKeys(k)
		MustCreateAgency(t, db, "KIN")
		s := MustCreateSuspect(t, db, NewSuspect("KIN", "Albert", "Mukendi"))
		if _, err := k.Rotate(); err != nil {
			t.Fatal(err)
		}
		if n, err := db.KeysUnder(ctx); err != nil || n != 1 {
			t.Fatalf("KeysUnder = %d, %v; want 1 (the suspect)", n, err)
		}
		if _, err := db.RewrapKeys(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if n, err := db.KeysUnder(ctx); err != nil || n != 0 {
			t.Fatalf("KeysUnder after re-wrapping = %d, %v", n, err)
		}
		got, err := db.Suspect(ctx, s.ID)
		if err != nil || got.Name() != "Albert Mukendi" {
			t.Fatalf("after rotation: %v %v", got, err)
		}
	})
}

// TestSuspectQueriesUseIndexes: the registry's lists and lookups can be
// answered from indexes on both databases (no scan of a whole table;
// "SCAN (subquery…)" is SQLite reading the page it built with the total).
func TestSuspectQueriesUseIndexes(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		kin := MustCreateAgency(t, db, "KIN")
		s := MustCreateSuspect(t, db, NewSuspect("KIN", "Albert", "Mukendi"))
		c := MustCreateCase(t, db, NewCase("KIN"))
		MustLink(t, db, s, c.Number, "Exploiter")
		plans, err := sqlstore.SuspectPlansForTest(context.Background(), db, kin.ID, c.ID, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for name, plan := range plans {
			t.Logf("%s:\n%s", name, plan)
			for _, line := range strings.Split(plan, "\n") {
				if db.Dialect() == "sqlite" && strings.Contains(line, "SCAN ") && !strings.Contains(line, "USING") && !strings.Contains(line, "SCAN (subquery") {
					t.Errorf("%s scans a table: %s", name, line)
				}
				if db.Dialect() != "sqlite" && strings.Contains(line, "Seq Scan") {
					t.Errorf("%s scans a table: %s", name, line)
				}
			}
		}
	})
}
