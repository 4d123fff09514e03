// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"slices"
	"time"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// entry is one part of a case on the timeline.
type entry struct {
	Kind  string // message ID of the part's kind
	When  time.Time
	Date  string // When, formatted
	Lines []line
}

// timeline puts the case's parts (those the redaction kept) in date
// order: a part's own date when it has one (an event's, a consent's, a
// referral's), else when it was recorded. capacity holds, by provider
// ID, the free places of the providers the case was referred to, as
// they stand today (referralCapacity), said beside those referrals.
func timeline(l *i18n.Localizer, c *domain.Case, capacity map[string]string) []entry {
	var out []entry
	add := func(k domain.PartKind, m domain.Meta, d domain.Date, b *lines) {
		when := m.CreatedAt
		if !d.IsZero() && !d.Malformed() {
			when = d.Time()
		}
		out = append(out, entry{Kind: "part." + string(k), When: when, Date: l.Date(when.UTC()), Lines: b.out})
	}
	for _, e := range c.Events {
		b := &lines{l: l}
		b.enum(domain.EventType, e.Type)
		b.text("hte_Country", e.Country)
		b.text("hte_City", e.City)
		b.text("hte_Description", e.Description)
		add(domain.PartEvents, e.Meta, e.Date, b)
	}
	for _, p := range c.SupportPlans {
		out = append(out, serviceEntry(l, p)) // caseedit_services.go
	}
	for _, x := range c.Consents {
		b := &lines{l: l}
		yes := l.T("common.no")
		if x.Consent {
			yes = l.T("common.yes")
		}
		b.text("con_Consent", yes)
		b.text("vig_RecordedBy", x.RecordedBy)
		add(domain.PartConsents, x.Meta, x.Date, b)
	}
	for _, x := range c.Comments {
		b := &lines{l: l}
		b.text("cco_CaseComment", x.Text)
		b.text("vig_Author", x.Author)
		add(domain.PartComments, x.Meta, domain.Date{}, b)
	}
	for _, x := range c.Referrals {
		b := &lines{l: l}
		b.out = append(b.out, line{l.T("case.referral.direction"), l.T("referral.direction." + x.Direction)})
		d := x.OutgoingReferralDate
		if x.Direction == domain.ReferralIncoming {
			d = x.IncomingReferralDate
			b.text("cas_ReferringOrganisation", x.ReferringOrganisation)
		} else {
			b.text("cas_ReferredOrganisation", x.ReferredOrganisation)
			if cp := capacity[x.ReferredProvider]; cp != "" && x.ReferredProvider != "" {
				b.out = append(b.out, line{l.T("prevention.refer.capacity_now"), cp})
			}
		}
		if x.ReferralStatus != "" {
			b.out = append(b.out, line{l.T("field.vig_ReferralStatus"), l.T("referral.status." + x.ReferralStatus)})
		}
		add(domain.PartReferrals, x.Meta, d, b)
	}
	for _, x := range c.Perpetrators {
		b := &lines{l: l}
		b.text("prs_FirstName", x.Person.FirstName)
		b.text("prs_SecondName", x.Person.SecondName)
		b.enum(domain.Gender, x.Person.Gender)
		b.enums(domain.RoleInProcess, x.RoleInProcess)
		b.text("per_RoleDetails", x.RoleDetails)
		b.text("per_Organisation", x.Organisation)
		add(domain.PartPerpetrators, x.Meta, domain.Date{}, b)
	}
	slices.SortStableFunc(out, func(a, b entry) int { return a.When.Compare(b.When) })
	return out
}
