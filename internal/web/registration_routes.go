// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import "net/http"

// registrationRoutes registers the pages of the screening questionnaire and the registration wizard with drafts.
func (s *site) registrationRoutes(mux *http.ServeMux) {
	_ = mux
}
