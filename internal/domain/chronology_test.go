// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import "testing"

// TestChronology: no date of the victim's file precedes the victim's birth
// (a trafficking event in 1995 for a victim born in 2009 was stored and
// counted), and the age when trafficked is not greater than the victim's
// age today. Each mistake is named at its own field.
func TestChronology(t *testing.T) {
	today := NewDate(2026, 11, 29)
	birth := NewDate(2009, 5, 2)
	before, same := NewDate(2009, 5, 1), birth
	age := func(n int) *int { return &n }
	tests := []struct {
		name   string
		change func(c *Case)
		field  string // "" when valid
		code   string
	}{
		{"OK/NothingDated", func(c *Case) {}, "", ""},
		{"OK/EventOnBirthDay", func(c *Case) { c.Events[0].Date = same }, "", ""},
		{"OK/NoBirthDate", func(c *Case) { c.Person.Birthdate = Date{}; c.Events[0].Date = NewDate(1950, 1, 1) }, "", ""},
		{"OK/AgeToday", func(c *Case) { c.Victim.AgeWhenTrafficked = age(17) }, "", ""},
		{"OK/AgeWithoutBirthDate", func(c *Case) { c.Person.Birthdate = Date{}; c.Victim.AgeWhenTrafficked = age(90) }, "", ""},
		{"ErrEvent", func(c *Case) { c.Events[0].Date = before }, "events[0].hte_Date", "validation.before_birth"},
		{"ErrSecondEvent", func(c *Case) {
			c.Events = append(c.Events, &Event{Type: "Recruitment", Date: NewDate(1995, 1, 1)})
		}, "events[1].hte_Date", "validation.before_birth"},
		{"ErrPlannedEnd", func(c *Case) {
			c.SupportPlans = []*SupportPlan{{Type: "SocialCare", PlannedEndDate: before}}
		}, "support_plans[0].spl_PlannedEndDate", "validation.before_birth"},
		{"ErrActualEnd", func(c *Case) {
			c.SupportPlans = []*SupportPlan{{Type: "SocialCare", ActualEndDate: before}}
		}, "support_plans[0].spl_ActualEndDate", "validation.before_birth"},
		{"ErrConsent", func(c *Case) { c.Consents = []*Consent{{Consent: true, Date: before}} }, "consents[0].vig_ConsentDate", "validation.before_birth"},
		{"ErrIncoming", func(c *Case) {
			c.Referrals = []*Referral{{Direction: ReferralIncoming, ReferringOrganisation: "OIM", IncomingReferralDate: before}}
		}, "referrals[0].cas_IncomingReferralDate", "validation.before_birth"},
		{"ErrOutgoing", func(c *Case) {
			c.Referrals = []*Referral{{Direction: ReferralOutgoing, ReferredOrganisation: "OIM", OutgoingReferralDate: before}}
		}, "referrals[0].cas_OutgoingReferralDate", "validation.before_birth"},
		{"ErrStatusDate", func(c *Case) { c.Victim.TraffickingStatusDate = before }, "victim.vig_TraffickingStatusDate", "validation.before_birth"},
		{"ErrAge", func(c *Case) { c.Victim.AgeWhenTrafficked = age(18) }, "victim.vic_AgeWhenTrafficked", "validation.age_after_birth"},
		{"OK/NullPart", func(c *Case) { c.Events = append(c.Events, nil) }, "events[1]", "validation.null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Case{Agency: "KIN", Status: "Active", RegistrationDate: NewDate(2026, 3, 14), RegistrationYear: 2026,
				Person: Person{Birthdate: birth},
				Victim: Victim{TraffickingStatus: "ActualVictimOfTrafficking"},
				Events: []*Event{{Type: "Exploitation"}},
			}
			tt.change(c)
			fe := FieldErrors(c.Validate(today))
			if tt.field == "" {
				if len(fe) != 0 {
					t.Fatalf("refused: %+v", fe)
				}
				return
			}
			if len(fe) != 1 || fe[0].Field != tt.field || fe[0].Code != tt.code {
				t.Fatalf("got %+v, want one %s on %s", fe, tt.code, tt.field)
			}
		})
	}
}

// TestPartBeforeBirth: a part added to a stored case is checked against
// its birth date, by the part's own field names.
func TestPartBeforeBirth(t *testing.T) {
	birth := NewDate(2009, 5, 2)
	if pr := PartBeforeBirth(birth, &Event{Type: "Transit", Date: NewDate(2008, 1, 1)}); len(pr) != 1 || pr[0].Field != "hte_Date" {
		t.Fatalf("event before birth: %+v", pr)
	}
	if pr := PartBeforeBirth(birth, &Event{Type: "Transit", Date: NewDate(2010, 1, 1)}); len(pr) != 0 {
		t.Fatalf("event after birth: %+v", pr)
	}
	if pr := PartBeforeBirth(Date{}, &Consent{Date: NewDate(1990, 1, 1)}); len(pr) != 0 {
		t.Fatalf("no birth date: %+v", pr)
	}
	var nilEvent *Event
	if pr := PartBeforeBirth(birth, nilEvent); len(pr) != 0 {
		t.Fatalf("null part: %+v", pr)
	}
	if pr := PartBeforeBirth(birth, &Comment{Text: "x"}); len(pr) != 0 {
		t.Fatalf("comment: %+v", pr)
	}
}
