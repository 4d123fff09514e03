// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import "github.com/google/uuid"

// newID returns a time-ordered UUID (version 7): records sort by creation
// and index inserts stay at the right edge of the B-tree.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// isUUID reports whether s is a UUID in canonical form.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	_, err := uuid.Parse(s)
	return err == nil
}
