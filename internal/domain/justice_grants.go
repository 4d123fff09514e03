// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

// justiceGrants are the permission table's lines of the justice area (filled in
// by that area).
func justiceGrants() []grant { return nil }
