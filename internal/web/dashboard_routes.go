// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import "net/http"

// dashboardRoutes registers the dashboard area's pages (filled in by that area).
func (w *site) dashboardRoutes(mux *http.ServeMux) {}
