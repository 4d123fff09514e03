// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"vigie/internal/domain"
)

// The prevention area: the service directory (/api/v1/providers) and
// awareness activities (/api/v1/awareness).
func init() {
	addArea([]route{
		{"GET", "/api/v1/providers", signedIn, (*api).listProviders},
		{"POST", "/api/v1/providers", signedIn, (*api).createProvider},
		{"GET", "/api/v1/providers/{id}", signedIn, (*api).getProvider},
		{"PUT", "/api/v1/providers/{id}", signedIn, (*api).updateProvider},
		{"DELETE", "/api/v1/providers/{id}", signedIn, (*api).deleteProvider},
		{"GET", "/api/v1/awareness", signedIn, (*api).listAwareness},
		{"POST", "/api/v1/awareness", signedIn, (*api).createAwareness},
		{"GET", "/api/v1/awareness/summary", signedIn, (*api).awarenessSummary},
		{"GET", "/api/v1/awareness/{id}", signedIn, (*api).getAwareness},
		{"PUT", "/api/v1/awareness/{id}", signedIn, (*api).updateAwareness},
		{"DELETE", "/api/v1/awareness/{id}", signedIn, (*api).deleteAwareness},
	}, map[string]operation{
		"GET /api/v1/providers":         {"List the service directory by name, filtered by service and province covered, with the total", "", map[int]string{200: "ProviderPage", 422: "Problem"}, providerParams},
		"POST /api/v1/providers":        {"Add a service provider to the directory", "Provider", map[int]string{201: "Provider", 422: "Problem"}, nil},
		"GET /api/v1/providers/{id}":    {"Read a service provider, with its capacity", "", map[int]string{200: "Provider", 404: "Problem"}, nil},
		"PUT /api/v1/providers/{id}":    {"Replace a service provider; needs the edited version (body or If-Match)", "Provider", map[int]string{200: "Provider", 404: "Problem", 409: "Problem", 422: "Problem"}, nil},
		"DELETE /api/v1/providers/{id}": {"Remove a service provider; needs its version (?version= or If-Match)", "", map[int]string{204: "", 404: "Problem", 409: "Problem", 422: "Problem"}, []string{"version"}},
		"GET /api/v1/awareness":         {"List awareness activities, newest first, by period, province, type and organiser agency, with the total", "", map[int]string{200: "AwarenessPage", 422: "Problem"}, awarenessParams},
		"POST /api/v1/awareness":        {"Record an awareness activity of your agency", "Awareness", map[int]string{201: "Awareness", 422: "Problem"}, nil},
		"GET /api/v1/awareness/summary": {"Activities and people reached (by sex and age group) per province and type over a period", "", map[int]string{200: "AwarenessSummary", 422: "Problem"}, awarenessSummaryParams},
		"GET /api/v1/awareness/{id}":    {"Read an awareness activity", "", map[int]string{200: "Awareness", 404: "Problem"}, nil},
		"PUT /api/v1/awareness/{id}":    {"Replace an awareness activity; needs the edited version (body or If-Match)", "Awareness", map[int]string{200: "Awareness", 404: "Problem", 409: "Problem", 422: "Problem"}, nil},
		"DELETE /api/v1/awareness/{id}": {"Delete an awareness activity; needs its version (?version= or If-Match)", "", map[int]string{204: "", 404: "Problem", 409: "Problem", 422: "Problem"}, []string{"version"}},
	})
	schemaTypes["Provider"] = reflect.TypeFor[domain.Provider]()
	schemaTypes["ProviderPage"] = reflect.TypeFor[providerPage]()
	schemaTypes["Awareness"] = reflect.TypeFor[domain.Awareness]()
	schemaTypes["AwarenessPage"] = reflect.TypeFor[awarenessPage]()
	schemaTypes["AwarenessSummary"] = reflect.TypeFor[domain.AwarenessSummary]()
}

var (
	providerParams         = []string{"service", "province", "q", "offset", "limit"}
	awarenessParams        = []string{"from", "to", "province", "type", "agency", "offset", "limit"}
	awarenessSummaryParams = []string{"from", "to", "province", "type", "agency"}
)

type providerPage struct {
	Items []*domain.Provider `json:"items"`
	Total int                `json:"total"`
}

type awarenessPage struct {
	Items []*domain.Awareness `json:"items"`
	Total int                 `json:"total"`
}

// prevention is the store of the directory and the activities: the one
// that stores agencies (sqlstore.DB) implements it too, so the area
// needs no wiring of its own.
func (a *api) prevention() (domain.PreventionService, error) {
	if s, ok := a.Agencies.(domain.PreventionService); ok {
		return s, nil
	}
	return nil, domain.Errorf(domain.KindInternal, "no store for the service directory")
}

// queryParams checks a list's query string: unknown and repeated
// parameters are errors, so that a typo never returns the whole list.
type queryParams struct {
	q url.Values
	p domain.Problems
}

func readQuery(q url.Values, known []string) *queryParams {
	qp := &queryParams{q: q}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch {
		case !contains(known, k):
			qp.p.Add(k, "validation.unknown_parameter", "is not a filter of this list; known: %s", strings.Join(known, ", "))
		case len(q[k]) > 1:
			qp.p.Add(k, "validation.repeated_parameter", "is given %d times; give it once", len(q[k]))
		}
	}
	return qp
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (qp *queryParams) str(k string) string { return strings.TrimSpace(qp.q.Get(k)) }

func (qp *queryParams) integer(k string) int {
	s := qp.str(k)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		qp.p.Add(k, "validation.integer", "%q is not a positive whole number", truncate(s, 40))
	}
	return n
}

func (qp *queryParams) date(k string) domain.Date {
	d, err := domain.ParseDate(qp.str(k))
	if err != nil {
		qp.p.Add(k, "validation.date_format", "%q is not a date in the form YYYY-MM-DD", truncate(qp.str(k), 40))
	}
	return d
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func (a *api) listProviders(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResProvider, domain.ActList); err != nil {
		return err
	}
	qp := readQuery(r.URL.Query(), providerParams)
	f := domain.ProviderFilter{Service: qp.str("service"), Province: qp.str("province"), Query: qp.str("q"), Offset: qp.integer("offset"), Limit: qp.integer("limit")}
	if err := qp.p.Err(); err != nil {
		return err
	}
	s, err := a.prevention()
	if err != nil {
		return err
	}
	list, total, err := s.Providers(r.Context(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*domain.Provider{}
	}
	writeJSON(w, http.StatusOK, providerPage{Items: list, Total: total})
	return nil
}

func (a *api) createProvider(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResProvider, domain.ActCreate); err != nil {
		return err
	}
	var p domain.Provider
	if err := decodeJSON(w, r, &p); err != nil {
		return err
	}
	p.Meta = domain.Meta{}
	if err := checkProviderLink(r, "", p.AgencyCode); err != nil {
		return err
	}
	s, err := a.prevention()
	if err != nil {
		return err
	}
	if err := s.CreateProvider(r.Context(), &p); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/providers/"+p.ID)
	w.Header().Set("ETag", etag(p.Version))
	writeJSON(w, http.StatusCreated, &p)
	return nil
}

func (a *api) getProvider(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResProvider, domain.ActRead); err != nil {
		return err
	}
	s, err := a.prevention()
	if err != nil {
		return err
	}
	p, err := s.Provider(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(p.Version))
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (a *api) updateProvider(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResProvider, domain.ActUpdate); err != nil {
		return err
	}
	var p domain.Provider
	if err := decodeJSON(w, r, &p); err != nil {
		return err
	}
	v, err := expectedVersion(r, p.Version)
	if err != nil {
		return err
	}
	p.Meta = domain.Meta{ID: r.PathValue("id"), Version: v}
	s, err := a.prevention()
	if err != nil {
		return err
	}
	cur, err := s.Provider(r.Context(), p.ID)
	if err != nil {
		return err
	}
	if err := checkProviderLink(r, cur.AgencyCode, p.AgencyCode); err != nil {
		return err
	}
	if err := s.UpdateProvider(r.Context(), &p); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(p.Version))
	writeJSON(w, http.StatusOK, &p)
	return nil
}

func (a *api) deleteProvider(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResProvider, domain.ActDelete); err != nil {
		return err
	}
	v, err := deleteVersion(r)
	if err != nil {
		return err
	}
	s, err := a.prevention()
	if err != nil {
		return err
	}
	if err := s.DeleteProvider(r.Context(), r.PathValue("id"), v); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// awarenessFilter reads a list's or summary's filter. A role that reaches
// its agency's activities only gets them, whatever agency it names: the
// figures of another agency are not theirs to see.
func awarenessFilter(r *http.Request, known []string, act domain.Action) (domain.AwarenessFilter, error) {
	scope, err := requireScope(r, domain.ResAwareness, act)
	if err != nil {
		return domain.AwarenessFilter{}, err
	}
	qp := readQuery(r.URL.Query(), known)
	f := domain.AwarenessFilter{From: qp.date("from"), To: qp.date("to"), Province: qp.str("province"), Type: qp.str("type"), Agency: qp.str("agency")}
	if contains(known, "limit") {
		f.Offset, f.Limit = qp.integer("offset"), qp.integer("limit")
	}
	if err := qp.p.Err(); err != nil {
		return f, err
	}
	if own := principal(r).Agency; scope == domain.ScopeAgency {
		if f.Agency != "" && f.Agency != own {
			return f, domain.Errorf(domain.KindForbidden, "votre rôle ne permet de voir que les activités de votre agence / your role reaches your agency's activities only (%s)", own)
		}
		f.Agency = own
	}
	return f, nil
}

func (a *api) listAwareness(w http.ResponseWriter, r *http.Request) error {
	f, err := awarenessFilter(r, awarenessParams, domain.ActList)
	if err != nil {
		return err
	}
	s, err := a.prevention()
	if err != nil {
		return err
	}
	list, total, err := s.Awarenesses(r.Context(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*domain.Awareness{}
	}
	writeJSON(w, http.StatusOK, awarenessPage{Items: list, Total: total})
	return nil
}

func (a *api) awarenessSummary(w http.ResponseWriter, r *http.Request) error {
	f, err := awarenessFilter(r, awarenessSummaryParams, domain.ActList)
	if err != nil {
		return err
	}
	s, err := a.prevention()
	if err != nil {
		return err
	}
	sum, err := s.AwarenessSummary(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sum)
	return nil
}

// reachAwareness returns the activity if the principal may act on it; an
// activity of another agency is "not found", like a missing one.
func (a *api) reachAwareness(r *http.Request, act domain.Action) (*domain.Awareness, domain.PreventionService, error) {
	scope, err := requireScope(r, domain.ResAwareness, act)
	if err != nil {
		return nil, nil, err
	}
	s, err := a.prevention()
	if err != nil {
		return nil, nil, err
	}
	x, err := s.Awareness(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	if scope == domain.ScopeAgency && x.Agency != principal(r).Agency {
		return nil, nil, domain.Errorf(domain.KindNotFound, "awareness activity %s does not exist", truncate(r.PathValue("id"), 40))
	}
	return x, s, nil
}

func (a *api) createAwareness(w http.ResponseWriter, r *http.Request) error {
	scope, err := requireScope(r, domain.ResAwareness, domain.ActCreate)
	if err != nil {
		return err
	}
	var x domain.Awareness
	if err := decodeJSON(w, r, &x); err != nil {
		return err
	}
	x.Meta = domain.Meta{}
	pr := principal(r)
	if x.Agency == "" {
		x.Agency = pr.Agency
	}
	if scope == domain.ScopeAgency && x.Agency != pr.Agency {
		return fieldError("agency", "validation.forbidden_agency", "you may record activities only for your agency ("+pr.Agency+")")
	}
	s, err := a.prevention()
	if err != nil {
		return err
	}
	if err := s.CreateAwareness(r.Context(), &x); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/awareness/"+x.ID)
	w.Header().Set("ETag", etag(x.Version))
	writeJSON(w, http.StatusCreated, &x)
	return nil
}

func (a *api) getAwareness(w http.ResponseWriter, r *http.Request) error {
	x, _, err := a.reachAwareness(r, domain.ActRead)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(x.Version))
	writeJSON(w, http.StatusOK, x)
	return nil
}

func (a *api) updateAwareness(w http.ResponseWriter, r *http.Request) error {
	var x domain.Awareness
	if err := decodeJSON(w, r, &x); err != nil {
		return err
	}
	v, err := expectedVersion(r, x.Version)
	if err != nil {
		return err
	}
	cur, s, err := a.reachAwareness(r, domain.ActUpdate)
	if err != nil {
		return err
	}
	if x.Agency == "" {
		x.Agency = cur.Agency
	}
	x.Meta = domain.Meta{ID: cur.ID, Version: v}
	if err := s.UpdateAwareness(r.Context(), &x); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(x.Version))
	writeJSON(w, http.StatusOK, &x)
	return nil
}

func (a *api) deleteAwareness(w http.ResponseWriter, r *http.Request) error {
	v, err := deleteVersion(r)
	if err != nil {
		return err
	}
	cur, s, err := a.reachAwareness(r, domain.ActDelete)
	if err != nil {
		return err
	}
	if err := s.DeleteAwareness(r.Context(), cur.ID, v); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// checkProviderLink refuses a change of the agency a provider stands for
// by a role that may not link one (see domain.MayLinkProviderAgency).
func checkProviderLink(r *http.Request, from, to string) error {
	if from != to && !principal(r).MayLinkProviderAgency() {
		return fieldError("agency_code", "validation.provider_agency_admin", "only an administrator may link a provider to a Vigie agency: a referral to it opens the case to that agency")
	}
	return nil
}
