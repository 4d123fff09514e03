// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"fmt"
	"reflect"
)

// A victim's file tells a life in order: nothing that happened to the
// victim, nor any step of the case, comes before the victim was born.
// A date before the birth date is a typing mistake (a year for another,
// the birth date in the wrong field) that would put the case in the wrong
// year or age group of every figure; it is refused where it is written,
// naming the birth date, as the registration date already was.

// datedFields lists the dates of a part that must not precede the
// victim's birth, by their field names in the part.
func datedFields(p Part) []datedField {
	switch x := p.(type) {
	case *Event:
		return []datedField{{"hte_Date", x.Date}}
	case *SupportPlan:
		return []datedField{{"spl_PlannedEndDate", x.PlannedEndDate}, {"spl_ActualEndDate", x.ActualEndDate}}
	case *Consent:
		return []datedField{{"vig_ConsentDate", x.Date}}
	case *Referral:
		return []datedField{{"cas_IncomingReferralDate", x.IncomingReferralDate}, {"cas_OutgoingReferralDate", x.OutgoingReferralDate}}
	}
	// Comments carry no date of their own; a perpetrator's dates are the
	// perpetrator's life, not the victim's.
	return nil
}

type datedField struct {
	field string
	date  Date
}

// PartBeforeBirth reports the dates of p that precede birth (the victim's
// birth date; nothing when it is unknown), by their fields in p. The
// stores call it when a part is added to or changed in a stored case, the
// case's own validation for the parts it carries.
func PartBeforeBirth(birth Date, p Part) Problems {
	var pr Problems
	if !knownDate(birth) || p == nil || reflect.ValueOf(p).IsNil() {
		return pr // a null part is refused by validateParts
	}
	for _, f := range datedFields(p) {
		beforeBirth(&pr, f.field, f.date, birth)
	}
	return pr
}

// beforeBirth adds the refusal of d, the date of field, when it precedes
// birth.
func beforeBirth(p *Problems, field string, d, birth Date) {
	if knownDate(d) && d.Before(birth) {
		p.Add(field, "validation.before_birth", "%s est avant la date de naissance de la victime (%s) / %s is before the victim's birth date %s", d, birth, d, birth)
	}
}

// checkChronology adds the case's dates and age that contradict the
// victim's birth date: the trafficking status decision and the dates of
// every part before it, and an age when trafficked greater than the
// victim's age today.
func (c *Case) checkChronology(p *Problems, today Date) {
	birth := c.Person.Birthdate
	if !knownDate(birth) {
		return
	}
	beforeBirth(p, "victim.vig_TraffickingStatusDate", c.Victim.TraffickingStatusDate, birth)
	if a := c.Victim.AgeWhenTrafficked; a != nil && *a >= 0 {
		if now := c.Person.AgeOn(today); now >= 0 && *a > now {
			p.Add("victim.vic_AgeWhenTrafficked", "validation.age_after_birth", "%d %s, or la victime, née le %s, a %d %s aujourd'hui / %d years, but the victim, born %s, is %d today",
				*a, ansFr(*a), birth, now, ansFr(now), *a, birth, now)
		}
	}
	for _, kind := range PartKinds {
		for i, x := range c.Parts(kind) {
			p.Merge(fmt.Sprintf("%s[%d].", kind, i), PartBeforeBirth(birth, x))
		}
	}
}

// knownDate: a date that was given and could be read.
func knownDate(d Date) bool { return !d.IsZero() && !d.Malformed() }

// ansFr is "an" or "ans" after n, as French writes ages (0 and 1 an).
func ansFr(n int) string {
	if n <= 1 {
		return "an"
	}
	return "ans"
}
