// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import "net/http"

// trainingRoutes registers the pages of the training of officials: curricula, sessions, participants, the training-of-trainers cascade.
func (s *site) trainingRoutes(mux *http.ServeMux) {
	_ = mux
}
