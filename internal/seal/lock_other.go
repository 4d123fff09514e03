// SPDX-License-Identifier: AGPL-3.0-or-later

//go:build !unix

package seal

// lockKeyFile is a no-op where flock does not exist. Two processes rotating
// at the very same moment can then lose one's new key; the survivor refuses
// the file afterwards (checkSuccessor), so the loss is reported, not silent.
func lockKeyFile(string) (unlock func(), err error) { return func() {}, nil }
