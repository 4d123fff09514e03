// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import "slices"

// CheckSelfLockout refuses a change by which an admin would disable their
// own account or drop their own admin role: another admin must do it, so
// that the last admin cannot lock everyone out of account management.
// actorID is who makes the change; u is the user as it would become.
func CheckSelfLockout(actorID string, u *User) error {
	if u.ID == actorID && (u.Disabled || !slices.Contains(u.Roles, RoleAdmin)) {
		var p Problems
		p.Add("roles", "validation.self_lockout", "an admin cannot disable themselves or drop their own admin role; ask another admin")
		return p.Err()
	}
	return nil
}

// CheckRoleChange is what an admin may do to an account's roles, beyond
// Validate: before is the account as stored (nil for a new one), after as
// it would become, actorID the admin making the change.
//
//   - The admin role stays alone: admins manage accounts and agencies and
//     read no victim's data, and an account that is admin and supervisor
//     reads every case of its agency (found by the acceptance pass: an
//     admin made itself supervisor of KIN through PUT /api/v1/users and
//     read the victims' phones and health).
//   - No one gives themselves a role: another admin must (least
//     privilege, and a second pair of eyes on every right granted).
//   - CheckSelfLockout.
func CheckRoleChange(actorID string, before, after *User) error {
	var p Problems
	if slices.Contains(after.Roles, RoleAdmin) && slices.ContainsFunc(after.Roles, func(r Role) bool { return r != RoleAdmin }) {
		p.Add("roles", "validation.admin_alone", "the admin role cannot be combined with another role: admins read no case data; create a separate account for casework")
	}
	if before != nil && after.ID == actorID && slices.ContainsFunc(after.Roles, func(r Role) bool { return !slices.Contains(before.Roles, r) }) {
		p.Add("roles", "validation.self_grant", "an admin cannot give themselves a role; ask another admin")
	}
	if err := p.Err(); err != nil {
		return err
	}
	if before != nil {
		return CheckSelfLockout(actorID, after)
	}
	return nil
}
