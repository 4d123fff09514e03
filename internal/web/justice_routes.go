// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import "net/http"

// justiceRoutes registers the justice area's pages (filled in by that area).
func (w *site) justiceRoutes(mux *http.ServeMux) {}
