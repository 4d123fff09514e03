// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strings"

	"vigie/internal/domain"
)

type curriculaData struct {
	Curricula []*domain.Curriculum
	CanCreate bool
	Form      domain.Curriculum
	Modules   string
	Errors    map[string]string
	Created   string
}

// mayCreateCurricula: curricula are national, kept by the national
// committee (coordinators).
func mayCreateCurricula(r *http.Request) bool {
	return visitorFrom(r).p.Allowed(domain.ResTraining, domain.ActCreate) == domain.ScopeAll
}

// curriculaPage is GET /training/curricula: the curricula and, for
// coordinators, the form to add one.
func (s *site) curriculaPage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResTraining, domain.ActList) {
		return
	}
	s.renderCurricula(w, r, http.StatusOK, curriculaData{Created: r.URL.Query().Get("created")})
}

func (s *site) renderCurricula(w http.ResponseWriter, r *http.Request, status int, d curriculaData) {
	list, err := s.Training.Curricula(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	created := d.Created
	d.Created = ""
	for _, c := range list {
		if c.Code == created {
			d.Created = created
		}
	}
	d.Curricula, d.CanCreate = list, mayCreateCurricula(r)
	s.render(w, r, status, "training_curricula", "training.curricula.title", d)
}

// createCurriculum is POST /training/curricula; the modules are typed one
// per line.
func (s *site) createCurriculum(w http.ResponseWriter, r *http.Request) {
	if !mayCreateCurricula(r) {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	c := domain.Curriculum{Code: strings.ToUpper(strings.TrimSpace(r.PostFormValue("code"))), Title: strings.TrimSpace(r.PostFormValue("title")),
		Description: strings.TrimSpace(r.PostFormValue("description"))}
	modules := r.PostFormValue("modules")
	for _, line := range strings.Split(modules, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			c.Modules = append(c.Modules, domain.Module{Title: line})
		}
	}
	err := s.Training.CreateCurriculum(r.Context(), &c)
	if err == nil {
		redirect(w, "/training/curricula?created="+c.Code)
		return
	}
	msgs := fieldMessages(err)
	if domain.KindOf(err) == domain.KindConflict {
		msgs = map[string]string{"code": "training.curricula.code_used"}
	}
	if msgs == nil {
		s.fail(w, r, err)
		return
	}
	// A module's error is shown on the modules field.
	for k, v := range msgs {
		if strings.HasPrefix(k, "modules") {
			msgs["modules"] = v
		}
	}
	s.renderCurricula(w, r, http.StatusBadRequest, curriculaData{Form: c, Modules: modules, Errors: msgs})
}
