// SPDX-License-Identifier: AGPL-3.0-or-later

// Package httpapi serves Vigie's JSON API under /api/v1 and /healthz.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"vigie/internal/auth"
	"vigie/internal/domain"
	"vigie/internal/reach"
)

// Services are what the API needs from storage and from the keyring.
type Services struct {
	Cases      domain.CaseService
	Agencies   domain.AgencyService
	Situations domain.SituationService
	Users      domain.UserService
	Audit      domain.AuditLog
	Access     CaseAccessor
	Search     NameSearcher
	// Attachments keeps the cases' files, sealed with the cases' keys.
	Attachments AttachmentStore
	// Training keeps the training of officials (sessions, trainees, cascade).
	Training domain.TrainingService
	Ping     func(context.Context) error
	Log      *slog.Logger
	Version  string
	// Throttle slows password guessing (nil: a default one).
	Throttle *auth.Throttle
	// MAC keys the device cookies (seal.Keyring.BlindIndex).
	MAC func(tag, msg string) []byte
	// SecureCookies marks cookies Secure with the __Host- prefix: set it
	// whenever users reach Vigie over HTTPS (directly or through a proxy).
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For's last hop.
	TrustProxy bool
	// Now is the clock (tests move it).
	Now func() time.Time
}

// route is one entry of the route table: the only place routes are
// declared, so that the OpenAPI and authorisation tests can compare them
// with the document and the permission matrix. Other areas of the API
// (prevention, training…) append their routes to it from their own files'
// init functions, with their operations (see addArea).
type route struct {
	method, pattern string
	access          access
	handle          func(*api, http.ResponseWriter, *http.Request) error
}

var routes = []route{
	{"GET", "/healthz", public, (*api).health},
	{"GET", "/api/v1/openapi.json", public, (*api).openapi},

	{"POST", "/api/v1/auth/sign-in", public, (*api).signIn},
	{"GET", "/api/v1/auth/session", partial, (*api).session},
	{"POST", "/api/v1/auth/second-factor", partial, (*api).secondFactor},
	{"POST", "/api/v1/auth/totp/enrol", partial, (*api).totpEnrol},
	{"POST", "/api/v1/auth/totp/confirm", partial, (*api).totpConfirm},
	{"POST", "/api/v1/auth/sign-out", partial, (*api).signOut},
	{"POST", "/api/v1/auth/sign-out-everywhere", signedIn, (*api).signOutEverywhere},
	{"POST", "/api/v1/auth/password", signedIn, (*api).changePassword},
	{"GET", "/api/v1/tokens", signedIn, (*api).listTokens},
	{"POST", "/api/v1/tokens", signedIn, (*api).createToken},
	{"DELETE", "/api/v1/tokens/{id}", signedIn, (*api).revokeToken},

	{"GET", "/api/v1/users", signedIn, (*api).listUsers},
	{"POST", "/api/v1/users", signedIn, (*api).createUser},
	{"GET", "/api/v1/users/{id}", signedIn, (*api).getUser},
	{"PUT", "/api/v1/users/{id}", signedIn, (*api).updateUser},
	{"GET", "/api/v1/audit", signedIn, (*api).listAudit},

	{"GET", "/api/v1/agencies", signedIn, (*api).listAgencies},
	{"POST", "/api/v1/agencies", signedIn, (*api).createAgency},
	{"GET", "/api/v1/agencies/{code}", signedIn, (*api).getAgency},
	{"GET", "/api/v1/cases", signedIn, (*api).listCases},
	{"POST", "/api/v1/cases", signedIn, (*api).createCase},
	{"GET", "/api/v1/cases/{ref}", signedIn, (*api).getCase},
	{"PUT", "/api/v1/cases/{ref}", signedIn, (*api).updateCase},
	{"POST", "/api/v1/cases/{ref}/break-glass", signedIn, (*api).breakGlass},
	{"GET", "/api/v1/cases/{ref}/audit", signedIn, (*api).caseAudit},
	{"GET", "/api/v1/cases/{ref}/attachments", signedIn, (*api).listAttachments},
	{"POST", "/api/v1/cases/{ref}/attachments", signedIn, (*api).addAttachment},
	{"GET", "/api/v1/cases/{ref}/attachments/{id}", signedIn, (*api).getAttachment},
	{"DELETE", "/api/v1/cases/{ref}/attachments/{id}", signedIn, (*api).deleteAttachment},
	{"GET", "/api/v1/cases/{ref}/{part}", signedIn, (*api).listParts},
	{"POST", "/api/v1/cases/{ref}/{part}", signedIn, (*api).addPart},
	{"PUT", "/api/v1/cases/{ref}/{part}/{id}", signedIn, (*api).updatePart},
	{"DELETE", "/api/v1/cases/{ref}/{part}/{id}", signedIn, (*api).deletePart},
	{"GET", "/api/v1/persons/search", signedIn, (*api).searchPersons},
	{"GET", "/api/v1/referrals/incoming", signedIn, (*api).incomingReferrals},
	{"POST", "/api/v1/situations", signedIn, (*api).createSituation},
	{"GET", "/api/v1/situations/{id}", signedIn, (*api).getSituation},
}

type api struct {
	Services
	doc   []byte
	gate  *auth.Gate
	reach *reach.Checker
}

// New returns the API handler.
func New(s Services) http.Handler {
	if s.Log == nil {
		s.Log = slog.Default()
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Throttle == nil {
		s.Throttle = auth.NewThrottle(100_000)
	}
	a := &api{Services: s}
	a.reach = &reach.Checker{Access: s.Access, Audit: s.Audit}
	a.gate = &auth.Gate{Users: s.Users, Audit: s.Audit, Throttle: s.Throttle, MAC: s.MAC, Now: s.Now}
	a.doc = buildOpenAPI(s.Version)
	mux := http.NewServeMux()
	for _, rt := range routes {
		rt := rt
		mux.HandleFunc(rt.method+" "+rt.pattern, func(w http.ResponseWriter, r *http.Request) {
			r, err := a.guard(rt, r)
			if err == nil {
				err = rt.handle(a, w, r)
			}
			if err != nil {
				writeError(w, r, a.Log, err)
			}
		})
	}
	// Unknown API paths answer in problem+json too, not with an HTML page.
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, a.Log, domain.Errorf(domain.KindNotFound, "no API route %s %s; see /api/v1/openapi.json", r.Method, r.URL.Path))
	})
	return mux
}

func (a *api) health(w http.ResponseWriter, r *http.Request) error {
	if err := a.Ping(r.Context()); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": a.Version})
	return nil
}

func (a *api) openapi(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(a.doc)
	return nil
}

// Route is one route of the API as the router serves it.
type Route struct {
	Method, Pattern string
	// Public routes answer without credentials.
	Public bool
}

// Routes lists the routes the router serves, for tests that must cover
// every one (authorisation matrix, OpenAPI).
func Routes() []Route {
	out := make([]Route, len(routes))
	for i, rt := range routes {
		out[i] = Route{Method: rt.method, Pattern: rt.pattern, Public: rt.access == public}
	}
	return out
}

// addArea adds an area's routes and their OpenAPI operations; it is
// called from init functions, before New reads the table.
func addArea(rs []route, ops map[string]operation) {
	routes = append(routes, rs...)
	for k, op := range ops {
		if _, dup := operations[k]; dup {
			panic("httpapi: operation " + k + " declared twice")
		}
		operations[k] = op
	}
}
