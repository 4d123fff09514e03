// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import "net/http"

// suspectRoutes registers the suspect area's pages (filled in by that area).
func (w *site) suspectRoutes(mux *http.ServeMux) {}
