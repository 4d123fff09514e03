// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// The cost of sealing (issue 3): each benchmark runs the same operation on
// a database written with sealing on ("sealed", the product) and on
// another written with it off ("plain": sqlstore.SetPlaintext makes the
// AES-GCM of the sealed columns an identity; the per-record data key is
// still drawn, wrapped and unwrapped, and the blind index still computed),
// so that sealed − plain is what encrypting the columns costs.
//
//	go test -run '^$' -bench 'CreateCase|ReadCase|ListPage' -benchtime 2s ./internal/sqlstore/
//
// A plain row cannot be opened sealed, so each variant has a database of
// its own, and the switch is set for the whole sub-benchmark (setup and
// timing) and restored when it ends.
//
// On a machine shared with other work, sealed and plain sub-benchmarks
// run minutes apart see different loads; BenchmarkSealingPaired runs the
// two variants alternately, operation by operation, so that both see the
// same load, and reports the medians and their ratio.

// benchModes are the two variants, sealed first.
var benchModes = []struct {
	name  string
	plain bool
}{{"sealed", false}, {"plain", true}}

// forEachBench runs fn as sub-benchmarks mode/database, each on a fresh
// database of its own with agency KIN, sealing switched as the mode says.
func forEachBench(b *testing.B, fn func(b *testing.B, db *sqlstore.DB)) {
	for _, m := range benchModes {
		b.Run(m.name, func(b *testing.B) {
			for _, kind := range []string{"sqlite", "postgres"} {
				b.Run(kind, func(b *testing.B) {
					sqlstore.SetPlaintext(m.plain)
					defer sqlstore.SetPlaintext(false)
					var db *sqlstore.DB
					if kind == "sqlite" {
						db = sqltest.MustOpenSQLite(b, time.Time{})
					} else {
						db = sqltest.MustOpenPostgres(b, time.Time{})
					}
					if _, err := db.EnsureAgency(context.Background(), "KIN", "Division provinciale des affaires sociales, Kinshasa"); err != nil {
						b.Fatal(err)
					}
					fn(b, db)
				})
			}
		})
	}
}

// benchNarrative is a caseworker's comment of about 500 characters.
const benchNarrative = "Entretien mené au centre de transit de Kolwezi en présence de l'assistante sociale. " +
	"La victime déclare avoir été recrutée à Lubumbashi par un voisin qui lui promettait un travail de vendeuse " +
	"et le paiement de ses frais scolaires. Arrivée sur le site minier, on lui a retiré sa carte d'électeur et " +
	"imposé une dette de transport de 150 dollars ; elle travaillait au tri du minerai de 6 h à 19 h sans salaire. " +
	"Elle souhaite rentrer chez sa tante à Likasi et reprendre l'école. Orientée vers l'hôpital pour un bilan " +
	"de santé ; suivi psychosocial prévu chaque semaine."

// benchCase returns a case as a caseworker fills it in: the person with
// names and contacts, the victim context, and one part of each kind.
func benchCase(i int) *domain.Case {
	lat, lon := -10.7148, 25.4667
	children := 1
	firstNames := []string{"Grâce", "Patience", "Espérance", "Merveille", "Divine", "Chancelvie", "Bénédicte", "Thérèse"}
	familyNames := []string{"Mukendi", "Kabila", "Ilunga", "Kalonji", "Mbuyi", "Kasongo", "Tshibangu", "Mwamba", "Kabongo", "Ngalula"}
	return &domain.Case{
		Agency:           "KIN",
		Status:           "Active",
		RegistrationDate: domain.NewDate(2026, 3, 1+i%28),
		CaseOwner:        "Chantal Mbombo",
		Person: domain.Person{
			Salutation: "Mme", FirstName: firstNames[i%len(firstNames)], MiddleName: familyNames[(i+3)%len(familyNames)],
			SecondName: familyNames[i%len(familyNames)], Gender: "Feminine", Birthdate: domain.NewDate(2007, time.Month(1+i%12), 1+i%28),
			MaritalStatus: "Single", NumberOfChildren: &children, PrimaryLanguage: "lin", SecondaryLanguage: "fre",
			HighestLevelOfEducation: "PrimaryEducation", Citizenship: []string{"CD"}, IdentityNumber: fmt.Sprintf("CD-KIN-%08d", i),
			Email: fmt.Sprintf("victime%d@example.org", i), HomePhone: "+243998765432", MobilePhone: fmt.Sprintf("+2438%08d", i%100_000_000),
			MailingStreet: "12, avenue de la Révolution, quartier Matonge", MailingCity: "Kinshasa", MailingState: "Kinshasa",
			MailingCountry: "CD", MailingPostalCode: "B.P. 7245", MailingLatitude: &lat, MailingLongitude: &lon,
		},
		Victim: domain.Victim{
			TraffickingStatus:  "PossibleVictimOfTrafficking",
			TypeOfExploitation: []string{"ForcedLabour"},
			MethodsOfControl:   []string{"DebtBondage", "WithholdsDocuments"},
		},
		Events: []*domain.Event{{Type: "Exploitation", Date: domain.NewDate(2025, 11, 3), Country: "CD", State: "Lualaba", City: "Kolwezi",
			Street: "Site minier de Kasulo", Latitude: &lat, Longitude: &lon, Description: "Tri du minerai de cobalt, logée sur le site."}},
		SupportPlans: []*domain.SupportPlan{{Type: "Education", Objectives: "Réinscription à l'école primaire de Likasi.",
			ActionPlan: "Frais scolaires de l'année 2026-2027, fournitures, suivi mensuel avec la tante.", PlannedEndDate: domain.NewDate(2027, 7, 1)}},
		Consents: []*domain.Consent{{Consent: true, Date: domain.NewDate(2026, 3, 1), RecordedBy: "Chantal Mbombo"}},
		Comments: []*domain.Comment{{Text: benchNarrative, Author: "Chantal Mbombo"}},
		Referrals: []*domain.Referral{{Direction: domain.ReferralIncoming, ReferringOrganisation: "Police nationale congolaise, Kolwezi",
			IncomingReferralDate: domain.NewDate(2026, 2, 27), ReferringPrimaryCaseWorker: "Inspecteur Kalala",
			ReasonForIncomingReferral: "AdditionalServicesRequired", IncomingReferralDetails: "Retirée du site lors d'un contrôle de la police des mines."}},
		Perpetrators: []*domain.Perpetrator{{Person: domain.Person{FirstName: "Jean-Pierre", SecondName: "Kazadi", Gender: "Masculine",
			Citizenship: []string{"CD"}, MobilePhone: "+243970001122", MailingCity: "Lubumbashi"},
			RoleInProcess: []string{"RecruiterOrIntermediary"}, RoleDetails: "Voisin de la famille, a payé le transport.", Organisation: "Coopérative minière"}},
	}
}

// seedCases imports n cases like benchCase (through ImportCases, as the
// import command does, 1,000 per transaction), analyzes the database and
// returns the cases' numbers.
func seedCases(b *testing.B, db *sqlstore.DB, n int) []string {
	b.Helper()
	ctx := context.Background()
	var numbers []string
	for start := 0; start < n; start += 1000 {
		var batch []*domain.Case
		for i := start; i < min(start+1000, n); i++ {
			c := benchCase(i)
			c.SourceKey = fmt.Sprintf("bench-%d", i)
			batch = append(batch, c)
		}
		if _, err := db.ImportCases(ctx, batch); err != nil {
			b.Fatal(err)
		}
		for _, c := range batch {
			numbers = append(numbers, c.Number)
		}
	}
	if err := db.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	return numbers
}

// BenchmarkCreateCase is POST /api/v1/cases's store call: one case with
// its six parts, in one transaction (numbering, counts cube, blind index,
// audit entry).
func BenchmarkCreateCase(b *testing.B) {
	forEachBench(b, func(b *testing.B, db *sqlstore.DB) {
		ctx := context.Background()
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			if err := db.CreateCase(ctx, benchCase(i)); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkReadCase is GET /api/v1/cases/{number}'s store call: a case
// and its six parts, read by number, in turn among 2,000 stored cases.
func BenchmarkReadCase(b *testing.B) {
	forEachBench(b, func(b *testing.B, db *sqlstore.DB) {
		ctx := context.Background()
		numbers := seedCases(b, db, 2000)
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			c, err := db.Case(ctx, numbers[i%len(numbers)])
			if err != nil {
				b.Fatal(err)
			}
			if c.Person.FirstName == "" || len(c.Comments) != 1 {
				b.Fatalf("case %s read without its person or comment", c.Number)
			}
			i++
		}
	})
}

// BenchmarkListPage is GET /api/v1/cases with the default filter (the
// first page of 50, newest first, with the total) over 10,000 cases.
// Lists read plain columns only, so sealing should cost nothing here.
func BenchmarkListPage(b *testing.B) {
	forEachBench(b, func(b *testing.B, db *sqlstore.DB) {
		ctx := context.Background()
		seedCases(b, db, 10_000)
		b.ReportAllocs()
		for b.Loop() {
			p, err := db.FindCases(ctx, domain.CaseFilter{})
			if err != nil {
				b.Fatal(err)
			}
			if p.Total != 10_000 || len(p.Items) != domain.DefaultPageSize {
				b.Fatalf("got %d of %d cases", len(p.Items), p.Total)
			}
		}
	})
}

// BenchmarkSealingPaired runs an operation alternately on a sealed and a
// plain database (switching sealing before each call, in alternating
// order) and reports the median time of each and the overhead of sealing
// = sealed median / plain median − 1. ns/op is the time of the pair.
//
//	go test -run '^$' -bench SealingPaired -benchtime 3s ./internal/sqlstore/
func BenchmarkSealingPaired(b *testing.B) {
	ctx := context.Background()
	ops := []struct {
		name string
		seed int
		run  func(db *sqlstore.DB, numbers []string, i int) error
	}{
		{"create", 0, func(db *sqlstore.DB, _ []string, i int) error { return db.CreateCase(ctx, benchCase(i)) }},
		{"read", 2000, func(db *sqlstore.DB, numbers []string, i int) error {
			_, err := db.Case(ctx, numbers[i%len(numbers)])
			return err
		}},
		{"list", 10_000, func(db *sqlstore.DB, _ []string, _ int) error {
			_, err := db.FindCases(ctx, domain.CaseFilter{})
			return err
		}},
	}
	for _, op := range ops {
		for _, kind := range []string{"sqlite", "postgres"} {
			b.Run(op.name+"/"+kind, func(b *testing.B) {
				defer sqlstore.SetPlaintext(false)
				var dbs [2]*sqlstore.DB // sealed, plain
				var numbers [2][]string
				for m := range dbs {
					sqlstore.SetPlaintext(m == 1)
					if kind == "sqlite" {
						dbs[m] = sqltest.MustOpenSQLite(b, time.Time{})
					} else {
						dbs[m] = sqltest.MustOpenPostgres(b, time.Time{})
					}
					if _, err := dbs[m].EnsureAgency(ctx, "KIN", "Division provinciale des affaires sociales, Kinshasa"); err != nil {
						b.Fatal(err)
					}
					if op.seed > 0 {
						numbers[m] = seedCases(b, dbs[m], op.seed)
					}
				}
				var times [2][]time.Duration
				i := 0
				for b.Loop() {
					for k := range 2 {
						m := (i + k) % 2
						sqlstore.SetPlaintext(m == 1)
						start := time.Now()
						if err := op.run(dbs[m], numbers[m], i); err != nil {
							b.Fatal(err)
						}
						times[m] = append(times[m], time.Since(start))
					}
					i++
				}
				sqlstore.SetPlaintext(false)
				sealed, plain := medianDuration(times[0]), medianDuration(times[1])
				b.ReportMetric(float64(sealed)/1e3, "sealed-µs")
				b.ReportMetric(float64(plain)/1e3, "plain-µs")
				b.ReportMetric(100*(float64(sealed)/float64(plain)-1), "overhead-%")
			})
		}
	}
}

func medianDuration(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
