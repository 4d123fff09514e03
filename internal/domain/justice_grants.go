// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

// justiceGrants are the permission table's lines of the criminal-justice
// chain.
//
//   - Justice (police, prosecutors) keep their agency's proceedings in
//     full, deletion of one opened by mistake included (CanProceeding:
//     the owning agency only), and read the list of offences to charge.
//   - Caseworkers and supervisors read the status summary of the
//     proceedings in which a victim of a case they reach takes part
//     (CanProceedingSummary): stage, dates, outcome counts and their
//     victim's protection; never a defendant.
//   - Coordinators (the national committee) keep the list of offences —
//     they hold the legal text for the whole country; admins manage
//     accounts, not law — and read the figures (ResStatistics, granted
//     in access.go, as supervisors for their agency). No proceeding.
//   - Admins: nothing.
func justiceGrants() []grant {
	return []grant{
		{RoleJustice, ResJustice, rw, ScopeAgency},
		{RoleJustice, ResJusticeSummary, ro, ScopeAgency},
		{RoleJustice, ResLaw, ro, ScopeAll},
		{RoleCaseworker, ResJusticeSummary, ro, ScopeAgency},
		{RoleSupervisor, ResJusticeSummary, ro, ScopeAgency},
		{RoleCoordinator, ResLaw, caseRW, ScopeAll},
	}
}
