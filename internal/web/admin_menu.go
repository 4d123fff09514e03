// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import "vigie/internal/domain"

// menu says which of the nav's links lead somewhere for the visitor: a
// link that would answer "forbidden" is not shown. The pages themselves
// check the same permissions; the menu is only a convenience.
type menu struct {
	Cases  bool // the case list (an admin reaches no case: /cases is forbidden)
	Search bool // search by name or case number
	Audit  bool // the agency's (or, for admins, the whole) audit trail
	Admin  bool // users and agencies
	// Referrals is the inbox of referrals to the visitor's agency, for
	// the roles that answer them.
	Referrals bool
	// Providers is the service directory; Awareness the awareness
	// activities (prevention area).
	Providers, Awareness bool
	// Training is the training of officials (sessions, cascade).
	Training bool
	// Suspects is the perpetrator registry (counts only for coordinators).
	Suspects bool
	// Dashboard is the statistics' charts and maps.
	Dashboard bool
	// Report is the annual report (an agency's, or the country's).
	Report bool
	// Publish is the public releases (published ones for every case role).
	Publish bool
	// Justice is the agency's criminal proceedings; Law the list of
	// offences charges cite (justice reads it, coordinators keep it).
	Justice, Law bool
}

func menuFor(p *domain.Principal) menu {
	return menu{
		Cases:  p.Allowed(domain.ResCase, domain.ActList) != domain.ScopeNone,
		Search: p.Allowed(domain.ResCase, domain.ActRead) != domain.ScopeNone,
		Audit:  p.Allowed(domain.ResAudit, domain.ActList) != domain.ScopeNone,
		Admin:  canAdmin(p),

		Referrals: p.Allowed(domain.PartResource(domain.PartReferrals), domain.ActUpdate) != domain.ScopeNone,
		Providers: p.Allowed(domain.ResProvider, domain.ActList) != domain.ScopeNone,
		Awareness: p.Allowed(domain.ResAwareness, domain.ActList) != domain.ScopeNone,
		Training:  p.Allowed(domain.ResTraining, domain.ActList) != domain.ScopeNone,
		Suspects:  p.Allowed(domain.ResSuspect, domain.ActList) != domain.ScopeNone,
		Dashboard: p.Allowed(domain.ResStatistics, domain.ActRead) != domain.ScopeNone,
		Report:    p.Allowed(domain.ResReport, domain.ActRead) != domain.ScopeNone,
		Publish:   p.Allowed(domain.ResReleasePublished, domain.ActList) != domain.ScopeNone,
		Justice:   p.Allowed(domain.ResJustice, domain.ActList) != domain.ScopeNone,
		Law:       p.Allowed(domain.ResLaw, domain.ActList) != domain.ScopeNone,
	}
}

// canAdmin: the administration pages are for those who may manage users
// (admins); agencies are listed by every role, but managed by admins.
func canAdmin(p *domain.Principal) bool {
	return p.Allowed(domain.ResUser, domain.ActList) != domain.ScopeNone
}
