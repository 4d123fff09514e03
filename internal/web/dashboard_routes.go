// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import "net/http"

// dashboardRoutes registers the coordinators' dashboard: charts and maps
// of the statistics, drawn on the server (no script).
func (w *site) dashboardRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /dashboard", w.signedIn(w.dashboardPage))
}
