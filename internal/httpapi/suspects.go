// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"net/http"
	"reflect"

	"vigie/internal/domain"
	"vigie/internal/reach"
)

// The perpetrator registry: suspects as persons (/api/v1/suspects),
// their links to victims' cases and situations, and duplicate checks.
// Names travel in bodies only, never in URLs.
func init() {
	addArea([]route{
		{"GET", "/api/v1/suspects", signedIn, (*api).listSuspects},
		{"POST", "/api/v1/suspects", signedIn, (*api).createSuspect},
		{"POST", "/api/v1/suspects/duplicates", signedIn, (*api).suspectDuplicates},
		{"GET", "/api/v1/suspects/{ref}", signedIn, (*api).getSuspect},
		{"PUT", "/api/v1/suspects/{ref}", signedIn, (*api).updateSuspect},
		{"DELETE", "/api/v1/suspects/{ref}", signedIn, (*api).deleteSuspect},
		{"POST", "/api/v1/suspects/{ref}/links", signedIn, (*api).linkSuspect},
		{"PUT", "/api/v1/suspects/{ref}/links/{id}", signedIn, (*api).updateSuspectLink},
		{"DELETE", "/api/v1/suspects/{ref}/links/{id}", signedIn, (*api).unlinkSuspect},
		{"GET", "/api/v1/cases/{ref}/suspects", signedIn, (*api).caseSuspects},
	}, map[string]operation{
		"GET /api/v1/suspects":                     {"List the suspects you reach, newest first, filtered by agency, gender, age group, citizenship, case or situation, with the total; roles that may count suspects but not read them get the counts (by gender, age group, citizenship) and no item", "", map[int]string{200: "SuspectPage", 403: "Problem", 422: "Problem"}, suspectParams},
		"POST /api/v1/suspects":                    {"Register a suspect for your agency (identity sealed); the answer names possible duplicates you reach", "Suspect", map[int]string{201: "SuspectCreated", 403: "Problem", 422: "Problem"}, nil},
		"POST /api/v1/suspects/duplicates":         {"Suspects you reach whose name or an alias may be the one sent (name, aliases, birth date in the body), with scores", "SuspectQuery", map[int]string{200: "SuspectMatches", 403: "Problem", 422: "Problem"}, nil},
		"GET /api/v1/suspects/{ref}":               {"Read a suspect (by ID or number such as KIN-S-2026-000001) with the links you reach; audited", "", map[int]string{200: "Suspect", 404: "Problem"}, nil},
		"PUT /api/v1/suspects/{ref}":               {"Replace a suspect's details; needs the edited version (body or If-Match); the registering agency does not change (another agency is refused, 422)", "Suspect", map[int]string{200: "Suspect", 404: "Problem", 409: "Problem", 422: "Problem"}, nil},
		"DELETE /api/v1/suspects/{ref}":            {"Delete a suspect registered by mistake (registering agency only, no link left); needs its version (?version= or If-Match)", "", map[int]string{204: "", 403: "Problem", 404: "Problem", 409: "Problem"}, []string{"version"}},
		"POST /api/v1/suspects/{ref}/links":        {"Link a suspect to a victim's case (case_number, with roles, relation and organisation) or to a situation (situation_id) you reach", "SuspectLink", map[int]string{201: "SuspectLink", 404: "Problem", 409: "Problem", 422: "Problem"}, nil},
		"PUT /api/v1/suspects/{ref}/links/{id}":    {"Change a link's roles, relation and organisation; needs the edited version", "SuspectLink", map[int]string{200: "SuspectLink", 404: "Problem", 409: "Problem", 422: "Problem"}, nil},
		"DELETE /api/v1/suspects/{ref}/links/{id}": {"Remove a link; needs its version (?version= or If-Match)", "", map[int]string{204: "", 404: "Problem", 409: "Problem"}, []string{"version"}},
		"GET /api/v1/cases/{ref}/suspects":         {"The suspects linked to a case, each with that link; audited", "", map[int]string{200: "SuspectList", 404: "Problem"}, nil},
	})
	schemaTypes["Suspect"] = reflect.TypeFor[domain.Suspect]()
	schemaTypes["SuspectCreated"] = reflect.TypeFor[suspectCreated]()
	schemaTypes["SuspectPage"] = reflect.TypeFor[suspectPage]()
	schemaTypes["SuspectQuery"] = reflect.TypeFor[domain.SuspectQuery]()
	schemaTypes["SuspectMatches"] = reflect.TypeFor[suspectMatches]()
	schemaTypes["SuspectLink"] = reflect.TypeFor[domain.SuspectLink]()
	schemaTypes["SuspectList"] = reflect.TypeFor[suspectList]()
}

var suspectParams = []string{"agency", "gender", "age_group", "citizenship", "case", "situation", "offset", "limit"}

type suspectPage struct {
	Items  []*domain.Suspect     `json:"items"`
	Total  int                   `json:"total"`
	Counts *domain.SuspectCounts `json:"counts,omitempty"`
}

type suspectCreated struct {
	domain.Suspect
	PossibleDuplicates []domain.SuspectMatch `json:"possible_duplicates,omitempty"`
}

type suspectMatches struct {
	Items []domain.SuspectMatch `json:"items"`
}

type suspectList struct {
	Items []*domain.Suspect `json:"items"`
}

// suspects is the registry's store: the one that stores agencies
// (sqlstore.DB) implements it too.
func (a *api) suspects() (domain.SuspectService, error) {
	if s, ok := a.Agencies.(domain.SuspectService); ok {
		return s, nil
	}
	return nil, domain.Errorf(domain.KindInternal, "no store for the perpetrator registry")
}

// suspectReach is the access checker of the registry.
func (a *api) suspectReach() (*reach.Suspects, domain.SuspectService, error) {
	s, err := a.suspects()
	if err != nil {
		return nil, nil, err
	}
	return &reach.Suspects{Access: s, Audit: a.Audit}, s, nil
}

func (a *api) listSuspects(w http.ResponseWriter, r *http.Request) error {
	scope, err := requireScope(r, domain.ResSuspect, domain.ActList)
	if err != nil {
		return err
	}
	p := principal(r)
	qp := readQuery(r.URL.Query(), suspectParams)
	f := domain.SuspectFilter{Agency: qp.str("agency"), Gender: qp.str("gender"), AgeGroup: qp.str("age_group"), Citizenship: qp.str("citizenship"),
		SituationID: qp.str("situation"), Offset: qp.integer("offset"), Limit: qp.integer("limit")}
	if err := qp.p.Err(); err != nil {
		return err
	}
	if scope == domain.ScopeAgency {
		f.Reach = p.AgencyID
	}
	if ref := qp.str("case"); ref != "" {
		acc, _, err := a.reachCase(r, ref, domain.ResSuspect, domain.ActList)
		if err != nil {
			return err
		}
		f.CaseID = acc.CaseID
	}
	if f.SituationID != "" {
		if err := a.reachSituation(r, f.SituationID); err != nil {
			return err
		}
	}
	s, err := a.suspects()
	if err != nil {
		return err
	}
	if p.Allowed(domain.ResSuspect, domain.ActRead) == domain.ScopeNone {
		// Counting, never naming: no item at all.
		c, err := s.CountSuspects(r.Context(), f)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, suspectPage{Items: []*domain.Suspect{}, Total: c.Total, Counts: c})
		return nil
	}
	list, total, err := s.FindSuspects(r.Context(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*domain.Suspect{}
	}
	// A list names; the documents, contact and notes are on the
	// suspect's own page, whose every read is audited.
	for _, x := range list {
		x.Identity = &domain.SuspectIdentity{FirstName: x.Identity.FirstName, MiddleName: x.Identity.MiddleName,
			LastName: x.Identity.LastName, Aliases: x.Identity.Aliases}
	}
	if err := (&reach.Suspects{Audit: a.Audit}).ReadList(r.Context(), p, "", "", list); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, suspectPage{Items: list, Total: total})
	return nil
}

// reachSituation answers "not found" for a situation the caller does not
// reach, as GET /api/v1/situations/{id} does.
func (a *api) reachSituation(r *http.Request, id string) error {
	scope := principal(r).Allowed(domain.ResSituation, domain.ActRead)
	s, err := a.Situations.Situation(r.Context(), id)
	if err != nil && domain.KindOf(err) != domain.KindNotFound {
		return err
	}
	if err != nil || scope == domain.ScopeNone || (scope == domain.ScopeAgency && s.Agency != principal(r).Agency) {
		return domain.Errorf(domain.KindNotFound, "situation %s does not exist", reach.Ref(id))
	}
	return nil
}

// suspectAssigned refuses values only Vigie sets.
func suspectAssigned(s *domain.Suspect) error {
	var p domain.Problems
	assigned(&p, s.Meta, "")
	if s.Number != "" {
		p.Add("number", "validation.assigned", "is assigned by Vigie; leave it out")
	}
	if len(s.Links) > 0 || s.HiddenLinks != 0 {
		p.Add("links", "validation.assigned", "links are made with POST /api/v1/suspects/{ref}/links")
	}
	return p.Err()
}

func (a *api) createSuspect(w http.ResponseWriter, r *http.Request) error {
	scope, err := requireScope(r, domain.ResSuspect, domain.ActCreate)
	if err != nil {
		return err
	}
	var s domain.Suspect
	if err := decodeJSON(w, r, &s); err != nil {
		return err
	}
	if err := suspectAssigned(&s); err != nil {
		return err
	}
	p := principal(r)
	if s.Agency == "" {
		s.Agency = p.Agency
	}
	if scope == domain.ScopeAgency && s.Agency != p.Agency {
		return fieldError("agency", "validation.forbidden_agency", "vous ne pouvez enregistrer des suspects que pour votre agence ("+p.Agency+") / you may register suspects only for your agency ("+p.Agency+")")
	}
	store, err := a.suspects()
	if err != nil {
		return err
	}
	if err := store.CreateSuspect(r.Context(), &s); err != nil {
		return err
	}
	out := suspectCreated{Suspect: s}
	out.PossibleDuplicates = a.suspectDuplicatesOf(r, store, &s)
	w.Header().Set("Location", "/api/v1/suspects/"+s.Number)
	w.Header().Set("ETag", etag(s.Version))
	writeJSON(w, http.StatusCreated, out)
	return nil
}

// suspectDuplicatesOf names the other suspects, within the caller's
// reach, who may be s. A failure only loses the warning.
func (a *api) suspectDuplicatesOf(r *http.Request, store domain.SuspectService, s *domain.Suspect) []domain.SuspectMatch {
	q := domain.SuspectQuery{Name: s.Identity.Name(), Aliases: s.Identity.Aliases, Birthdate: s.Identity.Birthdate}
	if q.Name == "" && len(q.Aliases) == 0 {
		return nil
	}
	list, err := store.SuspectDuplicates(r.Context(), q, suspectSearchReach(principal(r)), 6)
	if err != nil {
		a.Log.Warn("suspect duplicate check failed", "kind", domain.KindOf(err))
		return nil
	}
	var out []domain.SuspectMatch
	for _, m := range list {
		if m.SuspectID != s.ID {
			out = append(out, m)
		}
	}
	return out
}

// suspectSearchReach is the agency a duplicate check is limited to (""
// for every agency).
func suspectSearchReach(p *domain.Principal) string {
	if p.Allowed(domain.ResSuspect, domain.ActRead) == domain.ScopeAll {
		return ""
	}
	return p.AgencyID
}

func (a *api) suspectDuplicates(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResSuspect, domain.ActRead); err != nil {
		return err
	}
	var q domain.SuspectQuery
	if err := decodeJSON(w, r, &q); err != nil {
		return err
	}
	store, err := a.suspects()
	if err != nil {
		return err
	}
	list, err := store.SuspectDuplicates(r.Context(), q, suspectSearchReach(principal(r)), 10)
	if err != nil {
		return err
	}
	if list == nil {
		list = []domain.SuspectMatch{}
	}
	// What was searched is a name: the entry keeps how many were shown.
	e := domain.NewAuditEntry(r.Context(), domain.AuditSearch)
	e.Resource, e.Detail = string(domain.ResSuspect), map[string]any{"results": len(list)}
	if err := a.Audit.Audit(r.Context(), e); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, suspectMatches{Items: list})
	return nil
}

func (a *api) getSuspect(w http.ResponseWriter, r *http.Request) error {
	check, store, err := a.suspectReach()
	if err != nil {
		return err
	}
	acc, err := check.Check(r.Context(), principal(r), r.PathValue("ref"), domain.ActRead)
	if err != nil {
		return err
	}
	s, err := store.Suspect(r.Context(), acc.SuspectID)
	if err != nil {
		return err
	}
	principal(r).RedactLinks(s)
	if err := check.Read(r.Context(), acc); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(s.Version))
	writeJSON(w, http.StatusOK, s)
	return nil
}

func (a *api) updateSuspect(w http.ResponseWriter, r *http.Request) error {
	var s domain.Suspect
	if err := decodeJSON(w, r, &s); err != nil {
		return err
	}
	v, err := expectedVersion(r, s.Version)
	if err != nil {
		return err
	}
	check, store, err := a.suspectReach()
	if err != nil {
		return err
	}
	acc, err := check.Check(r.Context(), principal(r), r.PathValue("ref"), domain.ActUpdate)
	if err != nil {
		return err
	}
	if s.ID != "" && s.ID != acc.SuspectID {
		return fieldError("id", "validation.mismatch", "does not match the suspect in the URL")
	}
	if s.Number != "" && s.Number != acc.Number {
		return fieldError("number", "validation.mismatch", "does not match the suspect in the URL")
	}
	if err := a.sameSuspectAgency(r, s.Agency, acc); err != nil {
		return err
	}
	s.ID, s.Version, s.Links, s.HiddenLinks = acc.SuspectID, v, nil, 0
	if err := store.UpdateSuspect(r.Context(), &s); err != nil {
		return err
	}
	principal(r).RedactLinks(&s)
	w.Header().Set("ETag", etag(s.Version))
	writeJSON(w, http.StatusOK, &s)
	return nil
}

// sameSuspectAgency refuses an update that names another agency than the
// registering one: a suspect stays with the agency that registered them
// (their number carries its code), and the store keeps it whatever the
// body says, so a change asked for would otherwise be silently dropped.
// Leaving the agency out, or repeating it, is fine. Checked after the
// access check, so that the answer tells nothing of a suspect out of
// reach.
func (a *api) sameSuspectAgency(r *http.Request, code string, acc domain.SuspectAccess) error {
	if code == "" {
		return nil
	}
	ag, err := a.Agencies.Agency(r.Context(), code)
	if err != nil && domain.KindOf(err) != domain.KindNotFound {
		return err
	}
	if err != nil || ag.ID != acc.AgencyID {
		return fieldError("agency", "validation.forbidden_agency", "l’organisme d’un suspect ne change pas : c’est celui qui l’a enregistré (omettez agency) / the agency of a suspect does not change: it is the one that registered them (leave agency out)")
	}
	return nil
}

func (a *api) deleteSuspect(w http.ResponseWriter, r *http.Request) error {
	v, err := deleteVersion(r)
	if err != nil {
		return err
	}
	check, store, err := a.suspectReach()
	if err != nil {
		return err
	}
	acc, err := check.Check(r.Context(), principal(r), r.PathValue("ref"), domain.ActDelete)
	if err != nil {
		return err
	}
	if err := store.DeleteSuspect(r.Context(), acc.SuspectID, v); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *api) linkSuspect(w http.ResponseWriter, r *http.Request) error {
	var l domain.SuspectLink
	if err := decodeJSON(w, r, &l); err != nil {
		return err
	}
	var p domain.Problems
	assigned(&p, l.Meta, "")
	if l.SuspectID != "" || l.CaseID != "" {
		p.Add("suspect_id", "validation.assigned", "the suspect is the one in the URL; name the case by case_number")
	}
	if err := p.Err(); err != nil {
		return err
	}
	if err := l.Validate(); err != nil {
		return err
	}
	check, store, err := a.suspectReach()
	if err != nil {
		return err
	}
	acc, err := check.Check(r.Context(), principal(r), r.PathValue("ref"), domain.ActUpdate)
	if err != nil {
		return err
	}
	if err := a.reachLinkTarget(r, &l); err != nil {
		return err
	}
	l.SuspectID = acc.SuspectID
	if err := store.LinkSuspect(r.Context(), &l); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(l.Version))
	writeJSON(w, http.StatusCreated, &l)
	return nil
}

// reachLinkTarget checks that the caller may link suspects to the case
// or situation named (a case out of reach is "not found", like a missing
// one) and fills in the case's ID.
func (a *api) reachLinkTarget(r *http.Request, l *domain.SuspectLink) error {
	if l.SituationID != "" {
		return a.reachSituation(r, l.SituationID)
	}
	acc, number, err := a.reachCase(r, l.CaseNumber, domain.ResSuspect, domain.ActUpdate)
	if err != nil {
		return err
	}
	l.CaseID, l.CaseNumber = acc.CaseID, number
	return nil
}

// reachedLink returns the link id of the suspect if the caller reaches
// its case or situation; otherwise it does not exist for them.
func (a *api) reachedLink(r *http.Request, store domain.SuspectService, acc domain.SuspectAccess, id string) (*domain.SuspectLink, error) {
	s, err := store.Suspect(r.Context(), acc.SuspectID)
	if err != nil {
		return nil, err
	}
	principal(r).RedactLinks(s)
	for _, l := range s.Links {
		if l.ID == id {
			return l, nil
		}
	}
	return nil, domain.Errorf(domain.KindNotFound, "link %s of suspect %s does not exist", reach.Ref(id), acc.Number)
}

func (a *api) updateSuspectLink(w http.ResponseWriter, r *http.Request) error {
	var l domain.SuspectLink
	if err := decodeJSON(w, r, &l); err != nil {
		return err
	}
	v, err := expectedVersion(r, l.Version)
	if err != nil {
		return err
	}
	check, store, err := a.suspectReach()
	if err != nil {
		return err
	}
	acc, err := check.Check(r.Context(), principal(r), r.PathValue("ref"), domain.ActUpdate)
	if err != nil {
		return err
	}
	cur, err := a.reachedLink(r, store, acc, r.PathValue("id"))
	if err != nil {
		return err
	}
	if (l.CaseNumber != "" && l.CaseNumber != cur.CaseNumber) || (l.SituationID != "" && l.SituationID != cur.SituationID) {
		return fieldError("case_number", "validation.mismatch", "a link keeps its case or situation; remove it and link again")
	}
	l.ID, l.SuspectID, l.Version = cur.ID, acc.SuspectID, v
	if err := store.UpdateSuspectLink(r.Context(), &l); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(l.Version))
	writeJSON(w, http.StatusOK, &l)
	return nil
}

func (a *api) unlinkSuspect(w http.ResponseWriter, r *http.Request) error {
	v, err := deleteVersion(r)
	if err != nil {
		return err
	}
	check, store, err := a.suspectReach()
	if err != nil {
		return err
	}
	acc, err := check.Check(r.Context(), principal(r), r.PathValue("ref"), domain.ActUpdate)
	if err != nil {
		return err
	}
	cur, err := a.reachedLink(r, store, acc, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := store.UnlinkSuspect(r.Context(), acc.SuspectID, cur.ID, v); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *api) caseSuspects(w http.ResponseWriter, r *http.Request) error {
	acc, number, err := a.reachCase(r, r.PathValue("ref"), domain.ResSuspect, domain.ActRead)
	if err != nil {
		return err
	}
	store, err := a.suspects()
	if err != nil {
		return err
	}
	list, err := store.CaseSuspects(r.Context(), acc.CaseID)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*domain.Suspect{}
	}
	if err := (&reach.Suspects{Audit: a.Audit}).ReadList(r.Context(), principal(r), acc.CaseID, number, list); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, suspectList{Items: list})
	return nil
}
