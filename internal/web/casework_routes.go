// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import "net/http"

// caseworkRoutes registers the pages of the case editing, referrals with consent, closure and reopening.
func (s *site) caseworkRoutes(mux *http.ServeMux) {
	_ = mux
}
