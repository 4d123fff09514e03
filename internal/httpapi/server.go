// SPDX-License-Identifier: AGPL-3.0-or-later

// Package httpapi serves Vigie's JSON API under /api/v1 and /healthz.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"

	"vigie/internal/domain"
)

// Services are what the API needs from storage.
type Services struct {
	Cases      domain.CaseService
	Agencies   domain.AgencyService
	Situations domain.SituationService
	Ping       func(context.Context) error
	Log        *slog.Logger
	Version    string
}

// route is one entry of the route table: the only place routes are
// declared, so that the OpenAPI test can compare them with the document.
type route struct {
	method, pattern string
	handle          func(*api, http.ResponseWriter, *http.Request) error
}

var routes = []route{
	{"GET", "/healthz", (*api).health},
	{"GET", "/api/v1/openapi.json", (*api).openapi},
	{"GET", "/api/v1/agencies", (*api).listAgencies},
	{"POST", "/api/v1/agencies", (*api).createAgency},
	{"GET", "/api/v1/agencies/{code}", (*api).getAgency},
	{"GET", "/api/v1/cases", (*api).listCases},
	{"POST", "/api/v1/cases", (*api).createCase},
	{"GET", "/api/v1/cases/{ref}", (*api).getCase},
	{"PUT", "/api/v1/cases/{ref}", (*api).updateCase},
	{"GET", "/api/v1/cases/{ref}/{part}", (*api).listParts},
	{"POST", "/api/v1/cases/{ref}/{part}", (*api).addPart},
	{"PUT", "/api/v1/cases/{ref}/{part}/{id}", (*api).updatePart},
	{"DELETE", "/api/v1/cases/{ref}/{part}/{id}", (*api).deletePart},
	{"POST", "/api/v1/situations", (*api).createSituation},
	{"GET", "/api/v1/situations/{id}", (*api).getSituation},
}

type api struct {
	Services
	doc []byte
}

// New returns the API handler.
func New(s Services) http.Handler {
	if s.Log == nil {
		s.Log = slog.Default()
	}
	a := &api{Services: s}
	a.doc = buildOpenAPI(s.Version)
	mux := http.NewServeMux()
	for _, rt := range routes {
		h := rt.handle
		mux.HandleFunc(rt.method+" "+rt.pattern, func(w http.ResponseWriter, r *http.Request) {
			if err := h(a, w, r); err != nil {
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
