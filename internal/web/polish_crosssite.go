// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"log/slog"
	"net/http"
	"time"
)

// CrossSiteRefused answers a page request that the cross-origin
// protection refused (a form posted from another site): a small page
// in the visitor's language (cookie, else Accept-Language), 403, instead
// of the API's problem+json. Its language link leads home: the refused
// request's page may be one that only answers a POST.
func CrossSiteRefused(s Services) http.Handler {
	if s.Log == nil {
		s.Log = slog.Default()
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	w := &site{Services: s, routes: http.NewServeMux()}
	return w.lang(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.render(rw, r, http.StatusForbidden, "error", "error.title",
			map[string]any{"Message": "polish.cross_site", "Status": http.StatusForbidden})
	}))
}
