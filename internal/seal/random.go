// SPDX-License-Identifier: AGPL-3.0-or-later

package seal

import "crypto/rand"

// randomBytes returns n bytes from the operating system's CSPRNG. Since Go
// 1.24 crypto/rand.Read never returns an error: it crashes the program
// rather than hand out weak randomness, so there is no error to propagate.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}
