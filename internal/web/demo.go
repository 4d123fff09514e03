// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"github.com/pquerna/otp/totp"
)

// demoCode is the current TOTP code of the visitor waiting on the code
// page, in demo mode only: a newcomer trying `vigie serve --demo` has no
// authenticator set up for the printed accounts, and the demo holds only
// fictitious people. Elsewhere, and on every other page, it is empty.
func (s *site) demoCode(r *http.Request, page string) string {
	v := visitorFrom(r)
	if !s.Demo || page != "code" || v == nil || !v.pending || v.user == nil {
		return ""
	}
	c, err := s.Users.Credentials(r.Context(), v.user.ID)
	if err != nil || c.TOTPSecret == "" {
		return ""
	}
	code, err := totp.GenerateCode(c.TOTPSecret, s.Now())
	if err != nil {
		return ""
	}
	return code
}
