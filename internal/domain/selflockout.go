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
