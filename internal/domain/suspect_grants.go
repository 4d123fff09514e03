// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

// suspectGrants are the permission table's lines of the perpetrator
// registry.
//
//   - Justice (police, prosecutors) investigate suspects: they keep the
//     registry of their agency in full, delete included.
//   - Supervisors likewise for their agency: they answer for its records
//     and remove a suspect registered by mistake.
//   - Caseworkers register the suspects a victim names and link them to
//     the victim's case: they already hold those names in the case's
//     perpetrators part (rw), so the registry gives them no name they
//     could not read; they may not delete a suspect.
//   - Coordinators count suspects (gender, age group, citizenship) across
//     agencies: list without read, so every surface answers them with
//     counts and never a name.
//   - Admins: nothing.
//
// Scope follows cases: ScopeAgency covers the suspects the agency
// registered and those linked to a case it reaches (Principal.CanSuspect).
// Every role that reads a suspect's identity also reads victims' personal
// data, so it signs in with a second factor (tested in suspect_test.go).
func suspectGrants() []grant {
	return []grant{
		{RoleJustice, ResSuspect, rw, ScopeAgency},
		{RoleSupervisor, ResSuspect, rw, ScopeAgency},
		{RoleCaseworker, ResSuspect, caseRW, ScopeAgency},
		{RoleCoordinator, ResSuspect, []Action{ActList}, ScopeAll},
	}
}
