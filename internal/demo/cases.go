// SPDX-License-Identifier: AGPL-3.0-or-later

package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"vigie/internal/domain"
)

// generator draws fictitious cases from one random source, so that a
// seed always gives the same demo.
type generator struct {
	r     *rand.Rand
	today domain.Date
}

type situation struct {
	id, agency string
	city       string
	kind       string // a vic_TypeOfExploitation value
}

var situationKinds = []struct{ title, city, kind string }{
	{"Recrutement pour les mines artisanales", "Kolwezi", "ForcedLabour"},
	{"Réseau de bars et maisons closes", "Lubumbashi", "SexualExploitation"},
	{"Enfants placés comme domestiques", "Kinshasa", "Servitude"},
	{"Pêcheries du lac", "Kalemie", "ChildLabour"},
	{"Mariages arrangés contre dot", "Bunia", "ForcedMarriage"},
	{"Mendicité organisée au grand marché", "Kinshasa", "ForcedBegging"},
}

func (g *generator) situations(ctx context.Context, s Store) ([]situation, error) {
	out := make([]situation, len(situationKinds))
	for i, k := range situationKinds {
		agency := Agencies[i%len(Agencies)].Code
		st := &domain.Situation{Agency: agency, Title: fmt.Sprintf("%s, %s (démo)", k.title, k.city)}
		if err := s.CreateSituation(ctx, st); err != nil {
			return nil, fmt.Errorf("demo situation: %w", err)
		}
		out[i] = situation{id: st.ID, agency: agency, city: k.city, kind: k.kind}
	}
	return out, nil
}

// statuses are drawn with these weights: most cases are open.
var statuses = []struct {
	status string
	weight int
}{{"Active", 55}, {"FollowUp", 20}, {"Closed", 15}, {"ClosedReferred", 10}}

func (g *generator) status() string {
	n := g.r.IntN(100)
	for _, s := range statuses {
		if n < s.weight {
			return s.status
		}
		n -= s.weight
	}
	return "Active"
}

// daysAgo is a date between lo and hi days before today.
func (g *generator) daysAgo(lo, hi int) domain.Date {
	return domain.DateOf(g.today.Time().AddDate(0, 0, -(lo + g.r.IntN(hi-lo+1))))
}

func (g *generator) person(gender string) domain.Person {
	first := pick(g.r, femaleNames)
	if gender == "Masculine" {
		first = pick(g.r, maleNames)
	}
	return domain.Person{FirstName: first, SecondName: pick(g.r, surnames), Gender: gender}
}

// newCase makes the i-th case: a victim, what happened, and what the
// agency did, more of it the older the case.
func (g *generator) newCase(i int, sits []situation) *domain.Case {
	r := g.r
	agency := Agencies[0].Code
	switch n := r.IntN(10); {
	case n >= 8:
		agency = Agencies[2].Code
	case n >= 7:
		agency = Agencies[1].Code
	}
	gender := "Feminine"
	if chance(r, 0.35) {
		gender = "Masculine"
	}
	registered := g.daysAgo(3, 540)
	p := g.person(gender)
	age := 8 + r.IntN(40)
	p.Birthdate = domain.NewDate(registered.Year()-age, time.Month(1+r.IntN(12)), 1+r.IntN(28))
	p.Citizenship = []string{pick(r, []string{"CD", "CD", "CD", "CD", "CG", "AO", "RW", "UG", "ZM"})}
	p.MailingCity = pick(r, cities)
	p.MailingCountry = "CD"
	kind := pick(r, []string{"ForcedLabour", "ForcedLabour", "SexualExploitation", "Servitude", "ChildLabour", "ForcedMarriage", "ForcedBegging"})
	c := &domain.Case{
		Agency: agency, Status: g.status(), RegistrationDate: registered, DataSource: "CaseManagement",
		Person: p,
		Victim: domain.Victim{
			TraffickingStatus:   pick(r, []string{"PossibleVictimOfTrafficking", "PossibleVictimOfTrafficking", "ActualVictimOfTrafficking"}),
			MethodOfRecruitment: []string{pick(r, []string{"ThroughFamilyOrFamilyEvents", "ThroughFriendsOrSocialEvents", "AtWork", "ThroughOnlineSocialNetworks"})},
			MethodsOfControl:    []string{pick(r, []string{"DebtBondage", "FalsePromises", "WithholdsDocuments", "PhysicalThreats", "RestrictsMovement"})},
		},
	}
	city := pick(r, cities)
	if chance(r, 0.3) {
		s := pick(r, sits)
		c.SituationID, city, kind = s.id, s.city, s.kind
		c.Agency = s.agency
	}
	c.Victim.TypeOfExploitation = []string{kind}
	// Identified where the victim lives (no draw from r: the rest of the
	// demo stays as it was).
	c.Province = cityProvince[p.MailingCity]
	if c.Victim.TraffickingStatus == "ActualVictimOfTrafficking" {
		c.Victim.TraffickingStatusDecisionOrg = "Police"
	}
	start := g.daysAgo(600, 1500)
	c.Events = []*domain.Event{
		{Type: "Recruitment", Country: "CD", City: pick(r, cities), Date: start},
		{Type: "Exploitation", Country: "CD", City: city, Date: domain.DateOf(start.Time().AddDate(0, 1+r.IntN(6), 0))},
	}
	c.Comments = []*domain.Comment{{Text: "[DÉMO] Personne fictive, générée pour la démonstration. / Fictitious person, generated for the demo.", Author: "demo"}}
	if chance(r, 0.8) {
		c.Consents = []*domain.Consent{{Consent: true, Date: registered, RecordedBy: "Démo"}}
	}
	if chance(r, 0.6) {
		c.SupportPlans = []*domain.SupportPlan{{Type: pick(r, []string{"Health", "SocialCare", "Legal", "Education", "Livelihood"}),
			// Some end within the week: the home page's follow-ups.
			Objectives: "Objectifs fictifs de la démonstration", PlannedEndDate: domain.DateOf(g.today.Time().AddDate(0, 0, r.IntN(60)-3))}}
	}
	if chance(r, 0.5) {
		c.Perpetrators = []*domain.Perpetrator{{Person: g.person(pick(r, []string{"Masculine", "Masculine", "Feminine"})),
			RoleInProcess: []string{pick(r, []string{"RecruiterOrIntermediary", "Transporter", "Exploiter"})}}}
	}
	g.referral(c)
	if c.Status == "Closed" || c.Status == "ClosedReferred" {
		c.ReasonForCaseClosure = "Clôture fictive (démonstration)"
		// A closed case's plans have ended: no follow-up reminders.
		for _, p := range c.SupportPlans {
			p.ActualEndDate = domain.DateOf(registered.Time().AddDate(0, 0, 1))
		}
	}
	return c
}

// referral sends some cases to another demo agency: the receiving
// caseworker then has cases in their list.
func (g *generator) referral(c *domain.Case) {
	if !chance(g.r, 0.08) && c.Status != "ClosedReferred" {
		return
	}
	to := Agencies[2]
	if c.Agency == to.Code {
		to = Agencies[0]
	}
	if !c.ConsentOnRecord() {
		// A referral to another agency needs the victim's consent.
		c.Consents = append(c.Consents, &domain.Consent{Consent: true, Date: c.RegistrationDate, RecordedBy: "Démo"})
	}
	status := domain.ReferralActive
	if c.Status == "Closed" {
		status = domain.ReferralClosed
	}
	c.Referrals = []*domain.Referral{{Direction: domain.ReferralOutgoing, ReferredOrganisation: to.Name, ReferredAgency: to.Code,
		ReasonForOutgoingReferral: "AdditionalServicesRequired", OutgoingReferralDate: c.RegistrationDate, ReferralStatus: status}}
}

// cityProvince is the province (ISO 3166-2:CD) of each city of the demo.
var cityProvince = map[string]string{
	"Kinshasa": "CD-KN", "Lubumbashi": "CD-HK", "Kolwezi": "CD-LU", "Goma": "CD-NK", "Bukavu": "CD-SK",
	"Kisangani": "CD-TO", "Kananga": "CD-KC", "Mbuji-Mayi": "CD-KE", "Matadi": "CD-BC", "Likasi": "CD-HK",
	"Kalemie": "CD-TA", "Uvira": "CD-SK", "Beni": "CD-NK", "Butembo": "CD-NK", "Bunia": "CD-IT", "Kindu": "CD-MA",
	"Tshikapa": "CD-KS", "Mbandaka": "CD-EQ", "Boma": "CD-BC", "Kikwit": "CD-KL",
}
