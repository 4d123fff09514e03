// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

// ResReport is the annual report: its figures, its locked versions and
// the lists of cases behind a figure. A figure is a count, never a
// record; the list behind it also needs ResCase list in the same scope,
// and opening a case from it goes through the case's own access rules.
const ResReport Resource = "report"

// reportGrants are the permission table's lines of the report area.
//
// The national committee (coordinators) reads every agency's figures and
// locks the national report (a new version needs a reason). A supervisor
// reads and locks the report of their agency; a caseworker reads their
// agency's figures, and drills down only into their agency's cases.
// Justice officers and admins have no use for it.
func reportGrants() []grant {
	return []grant{
		{RoleCoordinator, ResReport, []Action{ActRead, ActList, ActCreate, ActUpdate}, ScopeAll},
		{RoleSupervisor, ResReport, []Action{ActRead, ActList, ActCreate, ActUpdate}, ScopeAgency},
		{RoleCaseworker, ResReport, []Action{ActRead, ActList}, ScopeAgency},
	}
}
