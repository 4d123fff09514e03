// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strconv"

	"vigie/internal/domain"
)

type suspectData struct {
	S *domain.Suspect
	// Countries of the documents, and the suspect's, are shown as codes.
	CanEdit, CanDelete, CanLink bool
	Saved                       bool
}

// suspectPage is GET /suspects/{ref}: the suspect's identity and the
// cases and situations the visitor reaches among their links; the read
// is audited, as a case's is.
func (s *site) suspectPage(w http.ResponseWriter, r *http.Request) {
	acc, st, check, err := s.suspectCheck(r, domain.ActRead)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	x, err := st.Suspect(r.Context(), acc.SuspectID)
	if err == nil {
		err = check.Read(r.Context(), acc)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := visitorFrom(r).p
	p.RedactLinks(x)
	d := suspectData{S: x, Saved: r.URL.Query().Get("saved") != "",
		CanEdit: p.CanSuspect(domain.ActUpdate, acc), CanDelete: p.CanSuspect(domain.ActDelete, acc) && len(x.Links) == 0 && x.HiddenLinks == 0}
	d.CanLink = d.CanEdit
	s.render(w, r, http.StatusOK, "suspect", "suspect.title", d)
}

// deleteSuspect is POST /suspects/{ref}/delete, at the version shown; a
// suspect still linked is refused (409).
func (s *site) deleteSuspect(w http.ResponseWriter, r *http.Request) {
	acc, st, _, err := s.suspectCheck(r, domain.ActDelete)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err := st.DeleteSuspect(r.Context(), acc.SuspectID, v); err != nil {
		s.failSuspectChange(w, r, err)
		return
	}
	redirect(w, "/suspects?deleted=1")
}

// failSuspectChange is fail for a change that may meet a newer version
// or a link still there: 409 with a sentence, nothing done.
func (s *site) failSuspectChange(w http.ResponseWriter, r *http.Request, err error) {
	if domain.KindOf(err) == domain.KindConflict {
		s.render(w, r, http.StatusConflict, "error", "error.title", map[string]any{"Message": "suspect.conflict", "Status": http.StatusConflict})
		return
	}
	s.fail(w, r, err)
}
