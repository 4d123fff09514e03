// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"net/http"

	"vigie/internal/domain"
)

func (a *api) listAgencies(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResAgency, domain.ActList); err != nil {
		return err
	}
	list, err := a.Agencies.Agencies(r.Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []*domain.Agency{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
	return nil
}

func (a *api) createAgency(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResAgency, domain.ActCreate); err != nil {
		return err
	}
	var ag domain.Agency
	if err := decodeJSON(w, r, &ag); err != nil {
		return err
	}
	ag.Meta = domain.Meta{}
	if err := a.Agencies.CreateAgency(r.Context(), &ag); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/agencies/"+ag.Code)
	writeJSON(w, http.StatusCreated, &ag)
	return nil
}

func (a *api) getAgency(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResAgency, domain.ActRead); err != nil {
		return err
	}
	ag, err := a.Agencies.Agency(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ag)
	return nil
}

func (a *api) createSituation(w http.ResponseWriter, r *http.Request) error {
	var s domain.Situation
	if err := decodeJSON(w, r, &s); err != nil {
		return err
	}
	// The cases of a situation are read only here: a case joins one
	// through its own situation_id (PUT /api/v1/cases/{ref}), where its
	// version and the caller's reach over it are checked. Dropping them
	// silently would answer 201 with none of the cases linked.
	if len(s.CaseNumbers) > 0 {
		return fieldError("case_numbers", "validation.read_only", "read only: link each case with its situation_id (PUT /api/v1/cases/{ref})")
	}
	s.Meta = domain.Meta{}
	pr := principal(r)
	scope, err := requireScope(r, domain.ResSituation, domain.ActCreate)
	if err != nil {
		return err
	}
	if s.Agency == "" {
		s.Agency = pr.Agency
	}
	if scope == domain.ScopeAgency && s.Agency != pr.Agency {
		return fieldError("agency", "validation.forbidden_agency", "you may create situations only for your agency ("+pr.Agency+")")
	}
	if err := a.Situations.CreateSituation(r.Context(), &s); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/situations/"+s.ID)
	writeJSON(w, http.StatusCreated, &s)
	return nil
}

func (a *api) getSituation(w http.ResponseWriter, r *http.Request) error {
	scope := principal(r).Allowed(domain.ResSituation, domain.ActRead)
	s, err := a.Situations.Situation(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	// A situation of another agency is "not found", like a missing one.
	if scope == domain.ScopeNone || (scope == domain.ScopeAgency && s.Agency != principal(r).Agency) {
		return domain.Errorf(domain.KindNotFound, "situation %s does not exist", r.PathValue("id"))
	}
	writeJSON(w, http.StatusOK, s)
	return nil
}
