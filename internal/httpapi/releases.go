// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"

	"vigie/internal/anonymize"
	"vigie/internal/disclosure"
	"vigie/internal/domain"
	"vigie/internal/publish"
)

// The release area: public releases of de-identified records or
// aggregate tables (/api/v1/releases), drafted, reviewed by a second
// person, approved and published by coordinators; published ones are
// read by every case role.
func init() {
	addArea([]route{
		{"GET", "/api/v1/releases", signedIn, (*api).listReleases},
		{"POST", "/api/v1/releases", signedIn, (*api).createRelease},
		{"GET", "/api/v1/releases/budget", signedIn, (*api).releaseBudget},
		{"GET", "/api/v1/releases/{id}", signedIn, (*api).getRelease},
		{"POST", "/api/v1/releases/{id}/steps", signedIn, (*api).stepRelease},
		{"GET", "/api/v1/releases/{id}/file", signedIn, (*api).releaseFile},
	}, map[string]operation{
		"GET /api/v1/releases":             {"List releases, newest first, with the total: every release for coordinators, published ones for the other case roles", "", map[int]string{200: "ReleasePage", 422: "Problem"}, releaseParams},
		"POST /api/v1/releases":            {"Draft a release from the cases registered in a period: its file is made now (records k-anonymous, or tables suppressed or differentially private) and never changes; 422 on field epsilon when the year's ε budget would be exceeded", "ReleaseRequest", map[int]string{201: "Release", 403: "Problem", 422: "Problem"}, nil},
		"GET /api/v1/releases/budget":      {"The differential-privacy budget spent on each year of a period, and the budget", "", map[int]string{200: "ReleaseBudgets", 403: "Problem", 422: "Problem"}, []string{"from", "to"}},
		"GET /api/v1/releases/{id}":        {"Read a release with its manifest (risk and utility measures)", "", map[int]string{200: "Release", 404: "Problem"}, nil},
		"POST /api/v1/releases/{id}/steps": {"Take a step of the review: review, approve (never by the release's author), publish, or reject with a reason; needs the version seen", "ReleaseStep", map[int]string{200: "Release", 403: "Problem", 404: "Problem", 409: "Problem", 422: "Problem"}, nil},
		"GET /api/v1/releases/{id}/file":   {"Download the release's file (ZIP), byte for byte as approved; audited", "", map[int]string{200: rawFile, 404: "Problem"}, nil},
	})
	schemaTypes["Release"] = reflect.TypeFor[domain.Release]()
	schemaTypes["ReleasePage"] = reflect.TypeFor[releasePage]()
	schemaTypes["ReleaseRequest"] = reflect.TypeFor[releaseRequest]()
	schemaTypes["ReleaseStep"] = reflect.TypeFor[releaseStep]()
	schemaTypes["ReleaseBudgets"] = reflect.TypeFor[releaseBudgets]()
	// A release's config and manifest are stored as JSON (one of two
	// types each, by kind): reflection would read json.RawMessage as an
	// array of integers.
	schemaTypes["RecordsConfig"] = reflect.TypeFor[publish.RecordsConfig]()
	schemaTypes["TablesConfig"] = reflect.TypeFor[disclosure.Config]()
	schemaTypes["RecordsManifest"] = reflect.TypeFor[anonymize.Manifest]()
	schemaTypes["TablesManifest"] = reflect.TypeFor[publish.TablesManifest]()
	fieldSchemas[reflect.TypeFor[domain.Release]()] = map[string]map[string]any{
		"config": {"oneOf": []any{ref("RecordsConfig"), ref("TablesConfig")},
			"description": "How the release was made: RecordsConfig for kind records, TablesConfig for kind tables."},
		"manifest": {"oneOf": []any{ref("RecordsManifest"), ref("TablesManifest"), map[string]any{"type": "null"}},
			"description": "The reviewers' risk and utility measures: RecordsManifest for kind records, TablesManifest for kind tables; null for the roles that read published releases only (measured against the true data)."},
	}
	fieldSchemas[reflect.TypeFor[releaseRequest]()] = map[string]map[string]any{
		"tables": ref("TablesConfig"),
	}
}

var releaseParams = []string{"status", "offset", "limit"}

type releasePage struct {
	Items []*domain.Release `json:"items"`
	Total int               `json:"total"`
}

// releaseRequest is a draft to make. Tables is the tables' config
// (method suppression or dp, threshold, epsilon, tables); empty gives the
// default tables with cell suppression.
type releaseRequest struct {
	Kind  domain.ReleaseKind `json:"kind"`
	Title string             `json:"title"`
	From  int                `json:"period_from"`
	To    int                `json:"period_to"`
	// K is a pointer so that "k": 0 is refused rather than read as the
	// default.
	K      *int            `json:"k,omitempty"`
	Method string          `json:"method,omitempty"`
	QIs    []string        `json:"quasi_identifiers,omitempty"`
	Tables json.RawMessage `json:"tables,omitempty"`
}

type releaseBudgets struct {
	Years []domain.ReleaseBudget `json:"years"`
}

type releaseStep struct {
	Step    domain.ReleaseStep `json:"step"`
	Version int64              `json:"version"`
	Reason  string             `json:"reason,omitempty"`
}

// releaseStore is what the area needs of the store.
type releaseStore interface {
	domain.ReleaseService
	publish.Rows
	ReleaseBudgets(ctx context.Context, from, to int) ([]domain.ReleaseBudget, error)
}

func (a *api) releases() (releaseStore, error) {
	if s, ok := a.Agencies.(releaseStore); ok {
		return s, nil
	}
	return nil, domain.Errorf(domain.KindInternal, "no store for releases")
}

// mayDraft reports whether the caller works on releases before they are
// published (coordinators); the other roles see published ones only.
func mayDraft(r *http.Request) bool {
	return principal(r).Allowed(domain.ResRelease, domain.ActRead) != domain.ScopeNone
}

func (a *api) listReleases(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResReleasePublished, domain.ActList); err != nil {
		return err
	}
	qp := readQuery(r.URL.Query(), releaseParams)
	f := domain.ReleaseFilter{Offset: qp.integer("offset"), Limit: qp.integer("limit")}
	if s := domain.ReleaseStatus(qp.str("status")); s != "" {
		switch s {
		case domain.ReleaseDraft, domain.ReleaseReviewed, domain.ReleaseApproved, domain.ReleasePublished, domain.ReleaseRejected:
			f.Status = &s
		default:
			qp.p.Add("status", "validation.enum", "%q is not draft, reviewed, approved, published or rejected", truncate(string(s), 40))
		}
	}
	if err := qp.p.Err(); err != nil {
		return err
	}
	if !mayDraft(r) {
		pub := domain.ReleasePublished
		if f.Status != nil && *f.Status != pub {
			writeJSON(w, http.StatusOK, releasePage{Items: []*domain.Release{}})
			return nil
		}
		f.Status = &pub
	}
	s, err := a.releases()
	if err != nil {
		return err
	}
	list, total, err := s.Releases(r.Context(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*domain.Release{}
	}
	for _, rel := range list {
		publicView(r, rel)
	}
	writeJSON(w, http.StatusOK, releasePage{Items: list, Total: total})
	return nil
}

func (a *api) createRelease(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResRelease, domain.ActCreate); err != nil {
		return err
	}
	var req releaseRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	s, err := a.releases()
	if err != nil {
		return err
	}
	// The period and kind are checked before the cases are read.
	probe := domain.NewRelease{Kind: req.Kind, Title: req.Title, From: req.From, To: req.To, FileName: "-", File: []byte{0}}
	if err := probe.Validate(domain.DateOf(a.Now())); err != nil {
		return err
	}
	opt := publish.Options{Kind: req.Kind, Title: req.Title, From: req.From, To: req.To, Method: req.Method, QIs: req.QIs, Tables: req.Tables}
	if req.K != nil {
		if *req.K == 0 {
			var p domain.Problems
			p.Add("k", "validation.range", "0: k is between 2 and 1000 (leave k out for 11)")
			return p.Err()
		}
		opt.K = *req.K
	}
	if req.QIs != nil && len(req.QIs) == 0 {
		var p domain.Problems
		p.Add("quasi_identifiers", "validation.required", "an empty list: name the quasi-identifiers, or leave the field out for the default ones")
		return p.Err()
	}
	nr, err := publish.Build(r.Context(), s, opt)
	if err != nil {
		return err
	}
	rel, err := s.CreateRelease(r.Context(), nr)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/releases/"+rel.ID)
	w.Header().Set("ETag", etag(rel.Version))
	writeJSON(w, http.StatusCreated, rel)
	return nil
}

// readableRelease is the release if the caller may see it: any release
// for coordinators, a published one for the other roles; anything else
// is "not found", as a release that does not exist.
func (a *api) readableRelease(r *http.Request) (releaseStore, *domain.Release, error) {
	if _, err := requireScope(r, domain.ResReleasePublished, domain.ActRead); err != nil {
		return nil, nil, err
	}
	s, err := a.releases()
	if err != nil {
		return nil, nil, err
	}
	rel, err := s.Release(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	if rel.State != domain.ReleasePublished && !mayDraft(r) {
		return nil, nil, domain.Errorf(domain.KindNotFound, "release %s does not exist", truncate(r.PathValue("id"), 40))
	}
	return s, rel, nil
}

func (a *api) getRelease(w http.ResponseWriter, r *http.Request) error {
	_, rel, err := a.readableRelease(r)
	if err != nil {
		return err
	}
	publicView(r, rel)
	w.Header().Set("ETag", etag(rel.Version))
	writeJSON(w, http.StatusOK, rel)
	return nil
}

// publicView drops the reviewers' manifest for the roles that only read
// published releases: its figures are measured against the true data
// (the error of the noise, the counts suppressed), which is not itself
// protected; the file's own manifest.json says how the release was made.
func publicView(r *http.Request, rel *domain.Release) {
	if !mayDraft(r) {
		rel.Manifest = nil
	}
}

func (a *api) stepRelease(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResRelease, domain.ActUpdate); err != nil {
		return err
	}
	var req releaseStep
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	v, err := expectedVersion(r, req.Version)
	if err != nil {
		return err
	}
	s, err := a.releases()
	if err != nil {
		return err
	}
	rel, err := s.StepRelease(r.Context(), r.PathValue("id"), v, req.Step, req.Reason)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(rel.Version))
	writeJSON(w, http.StatusOK, rel)
	return nil
}

func (a *api) releaseFile(w http.ResponseWriter, r *http.Request) error {
	s, rel, err := a.readableRelease(r)
	if err != nil {
		return err
	}
	_, data, err := s.ReleaseFile(r.Context(), rel.ID)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", contentDisposition(rel.FileName))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Digest", "sha-256="+rel.FileSHA256)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
	return nil
}

func (a *api) releaseBudget(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResRelease, domain.ActRead); err != nil {
		return err
	}
	qp := readQuery(r.URL.Query(), []string{"from", "to"})
	from, to := qp.integer("from"), qp.integer("to")
	if from == 0 {
		from = a.Now().Year()
	}
	if to == 0 {
		to = from
	}
	if from < domain.MinReleaseYear || to < from || to-from > 200 {
		qp.p.Add("to", "validation.range", "give a period of years from %d, at most 200 years long", domain.MinReleaseYear)
	}
	if err := qp.p.Err(); err != nil {
		return err
	}
	s, err := a.releases()
	if err != nil {
		return err
	}
	b, err := s.ReleaseBudgets(r.Context(), from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, releaseBudgets{Years: b})
	return nil
}
