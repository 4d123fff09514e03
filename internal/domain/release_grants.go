// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

// releaseGrants are the permission table's lines of the release area.
// The national committee (coordinators) drafts, reviews, approves and
// publishes releases (the workflow itself keeps an author from reviewing
// or approving their own); once published, a release is public data and
// every case role may read it. Admins have no line: they run the system,
// not its statistics.
func releaseGrants() []grant {
	return []grant{
		{RoleCoordinator, ResRelease, caseRW, ScopeAll},
		{RoleCoordinator, ResReleasePublished, ro, ScopeAll},
		{RoleSupervisor, ResReleasePublished, ro, ScopeAll},
		{RoleCaseworker, ResReleasePublished, ro, ScopeAll},
		{RoleJustice, ResReleasePublished, ro, ScopeAll},
	}
}
