// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
)

// formTooLarge reports whether the form's body went past maxForm. The
// form then reads as empty, its CSRF token included, and the refusal
// said "your role does not allow this": a caseworker who pasted a long
// statement in a non-Latin script (each letter is up to 9 bytes once
// form-encoded) was told the wrong reason.
func formTooLarge(r *http.Request) bool {
	var tooLarge *http.MaxBytesError
	return errors.As(r.ParseForm(), &tooLarge)
}
