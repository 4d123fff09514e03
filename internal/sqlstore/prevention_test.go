// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

func intp(n int) *int { return &n }

// NewProvider returns a valid shelter in Kinshasa and Kongo-Central.
func NewProvider(name string) *domain.Provider {
	return &domain.Provider{Name: name, Type: "NGO", Phone: "+243812345678", Email: "contact@abri.cd",
		Provinces: []string{"CD-KN", "CD-BC"}, Services: []string{"Shelter", "Psychosocial"},
		BedsTotal: intp(20), BedsFree: intp(5), CapacityDate: domain.NewDate(2026, 11, 20)}
}

// NewAwareness returns a valid activity of agency.
func NewAwareness(agency string) *domain.Awareness {
	return &domain.Awareness{Type: "Radio", Date: domain.NewDate(2026, 10, 3), Province: "CD-NK", Locality: "Goma",
		Agency: agency, Audience: "Auditeurs", Reached: domain.Reached{FemaleChildren: 1, FemaleAdults: 2, MaleChildren: 3, MaleAdults: 4}}
}

func auditCount(tb testing.TB, db *sqlstore.DB, res domain.Resource, action string) int {
	tb.Helper()
	es, err := db.AuditEntries(context.Background(), domain.AuditFilter{Action: action, Limit: 500})
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	for _, e := range es {
		if e.Resource == string(res) {
			n++
		}
	}
	return n
}

func TestProviders(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		p := NewProvider("Maison <script>alert(1)</script> Espoir")
		p.AgencyCode = "KIN"
		if err := db.CreateProvider(ctx, p); err != nil {
			t.Fatal(err)
		}
		if p.ID == "" || p.Version != 1 {
			t.Fatalf("created %+v", p.Meta)
		}
		med := NewProvider("Hôpital du Nord")
		med.Provinces, med.Services, med.BedsTotal, med.BedsFree = []string{"CD-NK"}, []string{"Medical"}, nil, nil
		if err := db.CreateProvider(ctx, med); err != nil {
			t.Fatal(err)
		}
		if n := auditCount(t, db, domain.ResProvider, domain.AuditCreate); n != 2 {
			t.Errorf("%d create entries, want 2", n)
		}

		t.Run("ErrInvalid", func(t *testing.T) {
			for name, mut := range map[string]func(*domain.Provider){
				"no name":           func(p *domain.Provider) { p.Name = " " },
				"long name":         func(p *domain.Provider) { p.Name = strings.Repeat("x", 10000) },
				"control":           func(p *domain.Provider) { p.Notes = "a\x1bb" },
				"province":          func(p *domain.Provider) { p.Provinces = []string{"CD-XX"} },
				"no service":        func(p *domain.Provider) { p.Services = nil },
				"free over total":   func(p *domain.Provider) { p.BedsFree = intp(30) },
				"negative":          func(p *domain.Provider) { p.BedsTotal = intp(-1) },
				"phone":             func(p *domain.Provider) { p.Phone = "0812" },
				"unknown agency":    func(p *domain.Provider) { p.AgencyCode = "NOPE" },
				"future capacity":   func(p *domain.Provider) { p.CapacityDate = domain.NewDate(2027, 1, 1) },
				"duplicate service": func(p *domain.Provider) { p.Services = []string{"Legal", "Legal"} },
			} {
				q := NewProvider("X")
				mut(q)
				if err := db.CreateProvider(ctx, q); domain.KindOf(err) != domain.KindInvalid {
					t.Errorf("%s: got %v, want invalid", name, err)
				}
			}
		})

		t.Run("List", func(t *testing.T) {
			for _, c := range []struct {
				f    domain.ProviderFilter
				want int
			}{
				{domain.ProviderFilter{}, 2},
				{domain.ProviderFilter{Service: "Shelter"}, 1},
				{domain.ProviderFilter{Province: "CD-NK"}, 1},
				{domain.ProviderFilter{Province: "CD-KN", Service: "Medical"}, 0},
				{domain.ProviderFilter{Query: "hôpital"}, 1},
				{domain.ProviderFilter{Query: "%"}, 0},
				{domain.ProviderFilter{Limit: 1}, 2},
			} {
				list, total, err := db.Providers(ctx, c.f)
				if err != nil {
					t.Fatal(err)
				}
				if total != c.want && !(c.want == 0 && len(list) == 0) {
					t.Errorf("%+v: total %d, want %d", c.f, total, c.want)
				}
				if c.f.Limit == 1 && len(list) != 1 {
					t.Errorf("limit 1: %d rows", len(list))
				}
			}
			if _, _, err := db.Providers(ctx, domain.ProviderFilter{Service: "Spa"}); domain.KindOf(err) != domain.KindInvalid {
				t.Errorf("unknown service: %v", err)
			}
		})

		t.Run("UpdateAndStale", func(t *testing.T) {
			got, err := db.Provider(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != p.Name || got.AgencyCode != "KIN" || *got.BedsFree != 5 {
				t.Fatalf("read %+v", got)
			}
			got.BedsFree = intp(0)
			if err := db.UpdateProvider(ctx, got); err != nil {
				t.Fatal(err)
			}
			if got.Version != 2 {
				t.Errorf("version %d", got.Version)
			}
			stale := *p // version 1
			stale.Notes = "old"
			wantKind(t, db.UpdateProvider(ctx, &stale), domain.KindConflict)
			wantKind(t, db.DeleteProvider(ctx, p.ID, 1), domain.KindConflict)
			if n := auditCount(t, db, domain.ResProvider, domain.AuditUpdate); n != 1 {
				t.Errorf("%d update entries, want 1", n)
			}
			if err := db.DeleteProvider(ctx, p.ID, 2); err != nil {
				t.Fatal(err)
			}
			_, err = db.Provider(ctx, p.ID)
			wantKind(t, err, domain.KindNotFound)
			_, err = db.Provider(ctx, "not-a-uuid")
			wantKind(t, err, domain.KindNotFound)
			wantKind(t, db.DeleteProvider(ctx, p.ID, 2), domain.KindNotFound)
		})
	})
}

func TestAwareness(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateAgency(t, db, "GOM")
		a := NewAwareness("GOM")
		b := NewAwareness("GOM")
		b.Type, b.Date = "School", domain.NewDate(2026, 6, 1)
		c := NewAwareness("KIN")
		c.Province, c.Date = "CD-KN", domain.NewDate(2026, 10, 4)
		for _, x := range []*domain.Awareness{a, b, c} {
			if err := db.CreateAwareness(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		t.Run("ErrInvalid", func(t *testing.T) {
			for name, mut := range map[string]func(*domain.Awareness){
				"future":    func(a *domain.Awareness) { a.Date = domain.NewDate(2027, 1, 1) },
				"no date":   func(a *domain.Awareness) { a.Date = domain.Date{} },
				"type":      func(a *domain.Awareness) { a.Type = "Concert" },
				"province":  func(a *domain.Awareness) { a.Province = "" },
				"negative":  func(a *domain.Awareness) { a.Reached.MaleAdults = -3 },
				"huge":      func(a *domain.Awareness) { a.Reached.MaleAdults = domain.MaxReached + 1 },
				"agency":    func(a *domain.Awareness) { a.Agency = "NOPE" },
				"long note": func(a *domain.Awareness) { a.Notes = strings.Repeat("é", 10000) },
				"utf8":      func(a *domain.Awareness) { a.Locality = "\xff" },
			} {
				x := NewAwareness("GOM")
				mut(x)
				if err := db.CreateAwareness(ctx, x); domain.KindOf(err) != domain.KindInvalid {
					t.Errorf("%s: got %v, want invalid", name, err)
				}
			}
		})
		t.Run("ListAndSummary", func(t *testing.T) {
			for _, tc := range []struct {
				f    domain.AwarenessFilter
				want int
			}{
				{domain.AwarenessFilter{}, 3},
				{domain.AwarenessFilter{Agency: "GOM"}, 2},
				{domain.AwarenessFilter{Agency: "ZZZ"}, 0},
				{domain.AwarenessFilter{From: domain.NewDate(2026, 10, 1), To: domain.NewDate(2026, 10, 3)}, 1},
				{domain.AwarenessFilter{Province: "CD-KN"}, 1},
				{domain.AwarenessFilter{Type: "School"}, 1},
			} {
				list, total, err := db.Awarenesses(ctx, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if len(list) != tc.want || (tc.want > 0 && total != tc.want) {
					t.Errorf("%+v: %d rows, total %d, want %d", tc.f, len(list), total, tc.want)
				}
			}
			list, _, _ := db.Awarenesses(ctx, domain.AwarenessFilter{})
			if len(list) == 3 && list[0].ID != c.ID {
				t.Errorf("not newest first: %v", list[0].Date)
			}
			s, err := db.AwarenessSummary(ctx, domain.AwarenessFilter{From: domain.NewDate(2026, 1, 1), To: domain.NewDate(2026, 12, 31)})
			if err != nil {
				t.Fatal(err)
			}
			if s.Activities != 3 || s.Total != 30 || s.Reached.MaleAdults != 12 || len(s.Rows) != 3 {
				t.Errorf("summary %+v", s)
			}
			s, _ = db.AwarenessSummary(ctx, domain.AwarenessFilter{Agency: "GOM", Type: "Radio"})
			if s.Activities != 1 || s.Total != 10 || s.Rows[0].Province != "CD-NK" {
				t.Errorf("GOM radio summary %+v", s)
			}
			_, err = db.AwarenessSummary(ctx, domain.AwarenessFilter{From: domain.NewDate(2026, 12, 1), To: domain.NewDate(2026, 1, 1)})
			wantKind(t, err, domain.KindInvalid)
		})
		t.Run("UpdateAndStale", func(t *testing.T) {
			got, err := db.Awareness(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			got.Reached.MaleAdults = 100
			if err := db.UpdateAwareness(ctx, got); err != nil {
				t.Fatal(err)
			}
			stale := *a
			wantKind(t, db.UpdateAwareness(ctx, &stale), domain.KindConflict)
			moved := *got
			moved.Agency = "KIN"
			wantKind(t, db.UpdateAwareness(ctx, &moved), domain.KindInvalid)
			wantKind(t, db.DeleteAwareness(ctx, a.ID, 1), domain.KindConflict)
			if err := db.DeleteAwareness(ctx, a.ID, 2); err != nil {
				t.Fatal(err)
			}
			if n := auditCount(t, db, domain.ResAwareness, domain.AuditDelete); n != 1 {
				t.Errorf("%d delete entries", n)
			}
		})
	})
}
