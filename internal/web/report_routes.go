// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import "net/http"

// reportRoutes registers the report area's pages (filled in by that area).
func (w *site) reportRoutes(mux *http.ServeMux) {}
