// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import "net/http"

// publishRoutes registers the publish area's pages (filled in by that area).
func (w *site) publishRoutes(mux *http.ServeMux) {}
