// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"strconv"

	"vigie/internal/domain"
)

// morePerson adds to the case page the person's fields that the edit
// pages change and the first lines do not show, so that what was saved
// can be read back. The case was redacted first: a role without the
// contact group gets these fields empty, and empty fields are not shown.
func morePerson(b *lines, p *domain.Person) {
	b.text("prs_Salutation", p.Salutation)
	b.text("prs_Title", p.Title)
	if p.Deceased != nil && *p.Deceased {
		b.text("prs_Deceased", b.l.T("common.yes"))
	}
	b.text("prs_HomePhone", p.HomePhone)
	b.text("prs_MailingStreet", p.MailingStreet)
	b.text("prs_MailingState", p.MailingState)
	b.text("prs_MailingPostalCode", p.MailingPostalCode)
	b.text("prs_MailingCountry", p.MailingCountry)
	b.enum(domain.MaritalStatus, p.MaritalStatus)
	if p.NumberOfChildren != nil {
		b.text("prs_NumberOfChildren", strconv.Itoa(*p.NumberOfChildren))
	}
	b.text("prs_PrimaryLanguage", p.PrimaryLanguage)
	b.text("prs_SecondaryLanguage", p.SecondaryLanguage)
	b.enum(domain.Education, p.HighestLevelOfEducation)
}

// moreVictim is morePerson for the trafficking context.
func moreVictim(b *lines, v *domain.Victim) {
	b.enums(domain.TypeOfSexExploitation, v.TypeOfSexExploitation)
	b.enum(domain.ForcedLabourIndustry, v.ForcedLabourIndustry)
	b.enums(domain.ExploitationWebsitesAndApps, v.ExploitationWebsitesAndApps)
	b.enums(domain.RecruitmentWebsitesAndApps, v.RecruitmentWebsitesAndApps)
	b.enum(domain.RelationshipToTrafficker, v.RelationshipToTrafficker)
}
