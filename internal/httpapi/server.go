// SPDX-License-Identifier: AGPL-3.0-or-later

// Package httpapi serves Vigie's JSON API under /api/v1 and /healthz.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

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
	{"POST", "/api/v1/cases/{ref}/referrals/{id}/answer", signedIn, (*api).answerReferral},
	{"GET", "/api/v1/cases/{ref}/referrals/{id}/answer", signedIn, (*api).getReferralAnswer},
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
			if err == nil && checksRequest(rt) {
				err = checkRequest(r)
			}
			if err == nil {
				err = rt.handle(a, w, r)
			}
			if err != nil {
				writeError(w, r, a.Log, err)
			}
		})
	}
	// Unknown API paths answer in problem+json too, not with an HTML page;
	// a known path asked with another method answers 405 with Allow.
	unrouted := func(w http.ResponseWriter, r *http.Request) {
		if allow := allowedMethods(mux, r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			writeError(w, r, a.Log, domain.Errorf(domain.KindMethod, "%s is not a method of %s; allowed: %s", r.Method, r.URL.Path, strings.Join(allow, ", ")))
			return
		}
		writeError(w, r, a.Log, domain.Errorf(domain.KindNotFound, "no API route %s %s; see /api/v1/openapi.json", r.Method, r.URL.Path))
	}
	mux.HandleFunc("/api/", unrouted)
	mux.HandleFunc("/healthz", unrouted)
	return mux
}

// allowedMethods lists the methods the router serves at r's path, for a
// request that none of them matched.
func allowedMethods(mux *http.ServeMux, r *http.Request) []string {
	var allow []string
	for _, m := range []string{"GET", "HEAD", "POST", "PUT", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); strings.HasPrefix(pattern, m+" ") || (m == "HEAD" && strings.HasPrefix(pattern, "GET ")) {
			allow = append(allow, m)
		}
	}
	return allow
}

// checksRequest tells the routes checkRequest applies to: all but the
// two that read nothing of the request (/healthz, the OpenAPI document).
func checksRequest(rt route) bool { return rt.access != public || rt.method != "GET" }

// checkRequest refuses what no handler should read silently: a query
// string that does not decode (net/url drops such a pair, and with it a
// filter, so that the list would come back unfiltered) and a body in a
// content coding (gzip…) that the handlers would read as JSON or as the
// file itself.
func checkRequest(r *http.Request) error {
	if err := checkQuery(r.URL.RawQuery); err != nil {
		return err
	}
	if ce := strings.TrimSpace(r.Header.Get("Content-Encoding")); ce != "" && !strings.EqualFold(ce, "identity") {
		return domain.Errorf(domain.KindInvalid, "Content-Encoding %q is not accepted: send the body uncompressed", ce)
	}
	return nil
}

// checkQuery names the first parameter of raw that url.ParseQuery would
// drop: a bad percent-escape, a semicolon (not a separator since Go 1.17),
// or bytes that are not UTF-8.
func checkQuery(raw string) error {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		key, value, _ := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(key)
		if err != nil || !utf8.ValidString(name) {
			name = key
		}
		switch {
		case strings.Contains(pair, ";"):
			return fieldError(name, "validation.query_encoding", "holds a semicolon: separate parameters with &, and write a semicolon in a value as %3B")
		case err != nil:
			return fieldError(name, "validation.query_encoding", "the parameter's name is not valid percent-encoding")
		}
		v, err := url.QueryUnescape(value)
		if err != nil {
			return fieldError(name, "validation.query_encoding", "the value is not valid percent-encoding (a % must be followed by two hexadecimal digits; write % itself as %25)")
		}
		if !utf8.ValidString(name) || !utf8.ValidString(v) {
			return fieldError(name, "validation.query_encoding", "is not valid UTF-8 once decoded")
		}
	}
	return nil
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
