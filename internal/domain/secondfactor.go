// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import "context"

// ResetSecondFactor clears a user's authenticator and recovery codes (a
// lost phone), ends every session of theirs and records it: the user
// sets up a new authenticator at their next sign-in. The CLI and the
// administration pages both call it, so the change and its audit entry
// are the same from either.
func ResetSecondFactor(ctx context.Context, users UserService, log AuditLog, u *User) error {
	cred, err := users.Credentials(ctx, u.ID)
	if err != nil {
		return err
	}
	cred.TOTPSecret, cred.TOTPPending, cred.TOTPLastStep, cred.RecoveryCodes = "", "", 0, nil
	if err := users.SetCredentials(ctx, cred); err != nil {
		return err
	}
	if _, err := users.DeleteSessions(ctx, u.ID); err != nil {
		return err
	}
	e := NewAuditEntry(ctx, AuditPermission)
	e.Resource, e.RecordID, e.Detail = string(ResUser), u.ID, map[string]any{"reset": "second_factor", "user": u.Email}
	return log.Audit(ctx, e)
}
