// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
)

// The style sheet is served under a name that holds a hash of its
// content, so that browsers keep it for a year without asking again (one
// request saved per page on a slow connection) and a new version gets a
// new name.
var (
	css     = mustRead("static/vigie.css")
	cssPath = func() string {
		sum := sha256.Sum256(css)
		return "/static/vigie." + hex.EncodeToString(sum[:])[:16] + ".css"
	}()
)

func mustRead(name string) []byte {
	b, err := files.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return b
}

func serveCSS(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(css)
}
