// SPDX-License-Identifier: AGPL-3.0-or-later

// Package server assembles the whole HTTP handler — JSON API, web pages,
// cross-origin protection and security headers — over one store. It is
// the one place where `vigie serve` and the browser tests build the
// server, so that the tests drive exactly what users get.
package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"vigie/internal/auth"
	"vigie/internal/httpapi"
	"vigie/internal/seal"
	"vigie/internal/sqlstore"
	"vigie/internal/web"
)

// Config is what the handler needs besides the store.
type Config struct {
	DB   *sqlstore.DB
	Keys *seal.Keyring
	Log  *slog.Logger
	// Version is shown by /healthz.
	Version string
	// SecureCookies: users reach Vigie over HTTPS (TLS or a proxy).
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For.
	TrustProxy bool
	// Demo marks every page as a demonstration and shows the demo
	// accounts' current codes (see vigie serve --demo).
	Demo bool
	// Now is the clock (nil: time.Now); tests move it.
	Now func() time.Time
}

// New returns the handler of the API (under /api/ and /healthz) and the
// pages (everywhere else).
func New(c Config) http.Handler {
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	db, keys := c.DB, c.Keys
	mac := func(tag, msg string) []byte { return keys.BlindIndex(tag, msg) }
	// One throttle for the API and the pages: a password guessed on one
	// counts against the limits of the other.
	throttle := auth.NewThrottle(100_000)
	api := httpapi.New(httpapi.Services{Cases: db, Agencies: db, Situations: db, Users: db, Audit: db, Access: db, Search: db, Attachments: db, Training: db,
		Ping: db.Ping, Log: c.Log, Version: c.Version, SecureCookies: c.SecureCookies, TrustProxy: c.TrustProxy,
		Throttle: throttle, MAC: mac, Now: c.Now})
	ws := web.Services{Cases: db, Users: db, Audit: db, Access: db, Search: db, Drafts: db, Agencies: db, Grants: db, Training: db, Log: c.Log, SecureCookies: c.SecureCookies,
		TrustProxy: c.TrustProxy, Now: c.Now, Demo: c.Demo,
		Gate: &auth.Gate{Users: db, Audit: db, Throttle: throttle, MAC: mac, Now: c.Now}}
	pages := web.New(ws)
	// A cross-site request refused: a page for the pages, a problem for
	// the API (the same split as routes).
	refusedPage := web.CrossSiteRefused(ws)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isAPI(r.URL.Path) {
			refusedPage.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"type":"https://vigie.invalid/problems/forbidden","title":"Forbidden","status":403,"detail":"requête d'un autre site refusée / cross-site request refused"}`+"\n")
	}))
	return securityHeaders(cop.Handler(routes(api, pages)))
}

// securityHeaders are sent with every response: no sniffing, no framing,
// no referrer (URLs carry case numbers), nothing loaded from elsewhere.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

// isAPI tells the paths routes gives to the API.
func isAPI(path string) bool {
	return path == "/api" || strings.HasPrefix(path, "/api/") || path == "/healthz"
}

// routes mounts the API under /api/ and /healthz, and the web pages
// everywhere else.
func routes(api, pages http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", api)
	mux.Handle("/healthz", api)
	mux.Handle("/", pages)
	return mux
}
