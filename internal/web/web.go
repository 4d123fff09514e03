// SPDX-License-Identifier: AGPL-3.0-or-later

// Package web serves Vigie's server-rendered pages: plain HTML forms that
// work without JavaScript on cheap phones and slow connections, in French
// first and English beside it. Sign-in rules are auth.Gate's and case
// access rules are the domain's; this package only carries them to HTML.
package web

import (
	"context"
	"log/slog"
	"mime"
	"net/http"
	"time"

	"vigie/internal/auth"
	"vigie/internal/domain"
)

// CaseAccessor tells who reaches a case (the same interface the API uses,
// narrowed to what the pages need).
type CaseAccessor interface {
	CaseAccess(ctx context.Context, ref, userID string) (domain.CaseAccess, string, error)
}

// NameSearcher finds cases by a victim's name through the blind index
// (the store's SearchNames, as the API's person search uses it).
type NameSearcher interface {
	SearchNames(ctx context.Context, name, agencyID string, minScore float64, limit int) ([]domain.NameMatch, error)
}

// Services are what the pages need.
type Services struct {
	Cases  domain.CaseService
	Users  domain.UserService
	Audit  domain.AuditLog
	Access CaseAccessor
	Search NameSearcher
	// Drafts keeps the registration wizard's drafts, sealed.
	Drafts domain.DraftService
	// Agencies and Grants serve the administration and audit pages.
	Agencies domain.AgencyService
	Grants   GrantLister
	// Training keeps the training of officials.
	Training domain.TrainingService
	// Gate must be the one the API uses (same throttle), so that a guess
	// made on a page counts against the same limits as one made on the API.
	Gate *auth.Gate
	Log  *slog.Logger
	// SecureCookies gives cookies the __Host- prefix and Secure, exactly
	// as the API does: one sign-in serves both.
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For's last hop.
	TrustProxy bool
	Now        func() time.Time
	// Demo marks every page as a demonstration (fictitious people) and
	// shows the demo accounts' current second-factor code on the code
	// page; set only by vigie serve --demo, on a database marked demo.
	Demo bool
}

type site struct {
	Services
	// routes finds, for the language link of a page answering a form,
	// the page to show again (qa_lang.go).
	routes *http.ServeMux
}

// New returns the pages' handler, to be mounted at "/".
func New(s Services) http.Handler {
	if s.Log == nil {
		s.Log = slog.Default()
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	pages() // parse the templates now: a broken one stops the server at start
	mux := http.NewServeMux()
	w := &site{Services: s, routes: mux}
	mux.HandleFunc("GET "+cssPath, serveCSS)
	mux.HandleFunc("GET /static/", w.notFoundPage)
	mux.HandleFunc("GET /lang/{lang}", w.switchLang)

	mux.HandleFunc("GET /sign-in", w.signInPage)
	mux.HandleFunc("POST /sign-in", w.signIn)
	mux.HandleFunc("GET /sign-in/code", w.pending(w.codePage))
	mux.HandleFunc("POST /sign-in/code", w.pending(w.csrf(w.code)))
	mux.HandleFunc("GET /sign-in/enrol", w.pending(w.enrolPage))
	mux.HandleFunc("POST /sign-in/enrol", w.pending(w.csrf(w.enrol)))
	mux.HandleFunc("GET /sign-in/enrol/qr.png", w.pending(w.enrolQR))
	mux.HandleFunc("POST /sign-out", w.pending(w.csrf(w.signOut)))

	mux.HandleFunc("GET /{$}", w.signedIn(w.home))
	mux.HandleFunc("GET /cases", w.signedIn(w.caseList))
	mux.HandleFunc("GET /cases/{ref}", w.signedIn(w.casePage))
	// Each area of the pages registers its own routes, in its own file.
	w.registrationRoutes(mux)
	w.caseworkRoutes(mux)
	w.caseeditRoutes(mux)
	w.adminRoutes(mux)
	w.preventionRoutes(mux)
	w.trainingRoutes(mux)
	w.suspectRoutes(mux)
	w.justiceRoutes(mux)
	w.reportRoutes(mux)
	w.dashboardRoutes(mux)
	w.publishRoutes(mux)
	mux.HandleFunc("/", w.notFoundPage)
	return gzipped(limitForms(w.lang(mux)))
}

// maxForm bounds a form's body: the largest form (sign-in) is well under
// a kilobyte, and reading an unbounded body is a cheap way to tie up the
// server.
const maxForm = 64 << 10

// maxUpload bounds a file upload (multipart form): a participant list of
// a few thousand rows, as the API and the CLI take (4 MiB), with room for
// the form's other fields. It is also the memory the upload is parsed
// in, so that no part of a list of names spills to a temporary file.
const maxUpload = 4<<20 + 64<<10

func limitForms(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(maxForm)
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
			limit = maxUpload
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}
