// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import "net/http"

// preventionRoutes registers the pages of the service directory (providers, their services and capacity) and awareness activities.
func (s *site) preventionRoutes(mux *http.ServeMux) {
	_ = mux
}
