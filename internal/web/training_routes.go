// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"

	"vigie/internal/domain"
)

// trainingRoutes registers the pages of the training of officials: curricula, sessions, participants, the training-of-trainers cascade.
func (s *site) trainingRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /training", s.signedIn(s.trainingList))
	mux.HandleFunc("GET /training/curricula", s.signedIn(s.curriculaPage))
	mux.HandleFunc("POST /training/curricula", s.signedIn(s.csrf(s.createCurriculum)))
	mux.HandleFunc("GET /training/sessions/new", s.signedIn(s.trainingNew))
	mux.HandleFunc("POST /training/sessions", s.signedIn(s.csrf(s.trainingCreate)))
	mux.HandleFunc("GET /training/sessions/{id}", s.signedIn(s.trainingSessionPage))
	mux.HandleFunc("GET /training/sessions/{id}/edit", s.signedIn(s.trainingEdit))
	mux.HandleFunc("POST /training/sessions/{id}/edit", s.signedIn(s.csrf(s.trainingUpdate)))
	mux.HandleFunc("POST /training/sessions/{id}/participants", s.signedIn(s.csrf(s.trainingAddPerson)))
	mux.HandleFunc("POST /training/sessions/{id}/participants/{aid}", s.signedIn(s.csrf(s.trainingUpdatePerson)))
	mux.HandleFunc("GET /training/sessions/{id}/participants/{aid}", s.signedIn(s.trainingPersonPage))
	mux.HandleFunc("POST /training/sessions/{id}/participants/{aid}/person", s.signedIn(s.csrf(s.trainingCorrectPerson)))
	mux.HandleFunc("POST /training/sessions/{id}/participants/{aid}/delete", s.signedIn(s.csrf(s.trainingRemovePerson)))
	mux.HandleFunc("POST /training/sessions/{id}/import", s.signedIn(s.multipart(s.csrf(s.trainingImport), s.trainingImportTooLarge)))
	mux.HandleFunc("GET /training/sessions/{id}/participants/{aid}/certificate", s.signedIn(s.trainingCertificate))
	mux.HandleFunc("GET /training/sessions/{id}/cascade", s.signedIn(s.trainingCascadePage))
}

// multipart reads a multipart form (a file upload) before the CSRF check,
// which reads the token from the parsed form. The pages' upload limit
// (maxUpload) is the API's and the CLI's (4 MiB), and the whole upload is
// parsed in memory. An upload past it is answered by tooLarge, the form's
// page again with the reason: its token cannot be read from a body left
// unread, but that page changes nothing, and the session cookie
// (SameSite=Strict) never comes with another site's form.
func (s *site) multipart(h, tooLarge http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := r.ParseMultipartForm(maxUpload)
		var big *http.MaxBytesError
		if errors.As(err, &big) {
			tooLarge(w, r)
			return
		}
		if r.MultipartForm != nil {
			defer func() { _ = r.MultipartForm.RemoveAll() }()
		}
		h(w, r)
	}
}

// mayTrain reports whether the visitor may change a session organised by
// agency (a code): coordinators everywhere, supervisors their agency's.
func mayTrain(r *http.Request, act domain.Action, agency string) bool {
	p := visitorFrom(r).p
	switch p.Allowed(domain.ResTraining, act) {
	case domain.ScopeAll:
		return true
	case domain.ScopeAgency:
		return agency == "" || agency == p.Agency
	}
	return false
}
