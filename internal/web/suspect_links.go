// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strconv"
	"strings"

	"vigie/internal/auth"
	"vigie/internal/domain"
	"vigie/internal/reach"
)

// linkForm links a suspect to a victim's case (roles, relation,
// organisation) or to one of the agency's trafficking situations.
type linkForm struct {
	Number string // the suspect's
	Name   string
	// LinkID and Version are set when an existing link is edited: its
	// case or situation stays, shown as text.
	LinkID       string
	Version      int64
	Case         string
	Situation    string
	Roles        map[string]bool
	Relation     string
	Organisation string
	Errors       map[string]string
	Conflict     bool
	RoleOptions  []option
	Relations    []option
	Situations   []option
}

func (s *site) linkFormFor(r *http.Request, acc domain.SuspectAccess, name string) *linkForm {
	f := &linkForm{Number: acc.Number, Name: name, Roles: map[string]bool{},
		RoleOptions: enumOptions(r, domain.RoleInProcess), Relations: enumOptions(r, domain.PerpetratorRelation)}
	p := visitorFrom(r).p
	if p.Allowed(domain.ResSituation, domain.ActRead) == domain.ScopeNone {
		return f
	}
	if st, err := s.situations(); err == nil {
		if list, err := st.Situations(r.Context(), p.Agency); err == nil {
			for _, x := range list {
				f.Situations = append(f.Situations, option{x.ID, x.Title})
			}
		}
	}
	return f
}

// linkSuspectPage is GET /suspects/{ref}/link (?case=NUMBER to link to
// that case).
func (s *site) linkSuspectPage(w http.ResponseWriter, r *http.Request) {
	acc, st, check, err := s.suspectCheck(r, domain.ActUpdate)
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
	f := s.linkFormFor(r, acc, x.Name())
	f.Case = caseParam(r.URL.Query().Get("case"))
	s.render(w, r, http.StatusOK, "suspect_link", "suspect.link.title", f)
}

// linkSuspect is POST /suspects/{ref}/links. A case the visitor does not
// reach, and a situation of another agency, are answered as ones that do
// not exist.
func (s *site) linkSuspect(w http.ResponseWriter, r *http.Request) {
	acc, st, _, err := s.suspectCheck(r, domain.ActUpdate)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := r.PostForm
	l := &domain.SuspectLink{SuspectID: acc.SuspectID, CaseNumber: strings.TrimSpace(v.Get("case_number")), SituationID: v.Get("situation_id"),
		Roles: v["roles"], Relation: v.Get("relation"), Organisation: v.Get("organisation")}
	f := s.linkFormFor(r, acc, v.Get("name"))
	f.Case, f.Situation, f.Relation, f.Organisation = l.CaseNumber, l.SituationID, l.Relation, l.Organisation
	for _, x := range l.Roles {
		f.Roles[x] = true
	}
	status := http.StatusUnprocessableEntity
	err = l.Validate()
	if err == nil {
		if status, err = s.reachLinkTarget(r, l, f); err == nil {
			err = st.LinkSuspect(r.Context(), l)
		}
	}
	switch {
	case err == nil && l.CaseNumber != "":
		redirect(w, "/cases/"+l.CaseNumber+"#suspects")
	case err == nil:
		redirect(w, "/suspects/"+acc.Number+"?saved=1")
	case domain.KindOf(err) == domain.KindInvalid || domain.KindOf(err) == domain.KindNotFound:
		if f.Errors == nil {
			f.Errors = fieldMessages(err)
		}
		s.render(w, r, status, "suspect_link", "suspect.link.title", f)
	case domain.KindOf(err) == domain.KindConflict:
		f.Conflict = true
		s.render(w, r, http.StatusConflict, "suspect_link", "suspect.link.title", f)
	default:
		s.fail(w, r, err)
	}
}

// reachLinkTarget checks the case or situation of a new link, as the
// API does; what is out of reach is "not found" on its field (404).
func (s *site) reachLinkTarget(r *http.Request, l *domain.SuspectLink, f *linkForm) (int, error) {
	p := visitorFrom(r).p
	if l.SituationID != "" {
		for _, o := range f.Situations {
			if o.Value == l.SituationID {
				return 0, nil
			}
		}
		f.Errors = map[string]string{"situation_id": "suspect.link.situation_not_found"}
		return http.StatusNotFound, domain.Errorf(domain.KindNotFound, "situation %s does not exist", reach.Ref(l.SituationID))
	}
	acc, number, err := s.checker().Case(r.Context(), p, l.CaseNumber, domain.ResSuspect, domain.ActUpdate)
	if domain.KindOf(err) == domain.KindNotFound || domain.KindOf(err) == domain.KindForbidden {
		f.Errors = map[string]string{"case_number": "suspect.link.case_not_found"}
		return http.StatusNotFound, domain.Errorf(domain.KindNotFound, "case not found")
	}
	if err != nil {
		return 0, err
	}
	l.CaseID, l.CaseNumber = acc.CaseID, number
	return 0, nil
}

// reachedLink returns the suspect and its link id, if the visitor
// reaches the link's case or situation; otherwise it does not exist.
func (s *site) reachedLink(r *http.Request, st domain.SuspectService, acc domain.SuspectAccess) (*domain.Suspect, *domain.SuspectLink, error) {
	x, err := st.Suspect(r.Context(), acc.SuspectID)
	if err != nil {
		return nil, nil, err
	}
	visitorFrom(r).p.RedactLinks(x)
	for _, l := range x.Links {
		if l.ID == r.PathValue("id") {
			return x, l, nil
		}
	}
	return nil, nil, domain.Errorf(domain.KindNotFound, "link %s does not exist", reach.Ref(r.PathValue("id")))
}

// editLinkPage is GET /suspects/{ref}/links/{id}/edit: the roles,
// relation and organisation of a link, at its version.
func (s *site) editLinkPage(w http.ResponseWriter, r *http.Request) {
	acc, st, check, err := s.suspectCheck(r, domain.ActUpdate)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	x, l, err := s.reachedLink(r, st, acc)
	if err == nil {
		err = check.Read(r.Context(), acc)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := s.linkFormFor(r, acc, x.Name())
	f.LinkID, f.Version, f.Case, f.Situation, f.Relation, f.Organisation = l.ID, l.Version, l.CaseNumber, l.SituationID, l.Relation, l.Organisation
	for _, v := range l.Roles {
		f.Roles[v] = true
	}
	s.render(w, r, http.StatusOK, "suspect_link", "suspect.link.edit", f)
}

// editLink is POST /suspects/{ref}/links/{id}/edit, at the version
// shown: a stale one saves nothing and keeps what was typed.
func (s *site) editLink(w http.ResponseWriter, r *http.Request) {
	acc, st, _, err := s.suspectCheck(r, domain.ActUpdate)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, cur, err := s.reachedLink(r, st, acc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := r.PostForm
	l := &domain.SuspectLink{Meta: domain.Meta{ID: cur.ID}, SuspectID: acc.SuspectID, Roles: v["roles"], Relation: v.Get("relation"), Organisation: v.Get("organisation")}
	l.Version, _ = strconv.ParseInt(v.Get("version"), 10, 64)
	f := s.linkFormFor(r, acc, v.Get("name"))
	f.LinkID, f.Version, f.Case, f.Situation, f.Relation, f.Organisation = cur.ID, l.Version, cur.CaseNumber, cur.SituationID, l.Relation, l.Organisation
	for _, x := range l.Roles {
		f.Roles[x] = true
	}
	err = st.UpdateSuspectLink(r.Context(), l)
	switch domain.KindOf(err) {
	case "":
		redirect(w, "/suspects/"+acc.Number+"?saved=1")
	case domain.KindInvalid:
		f.Errors = fieldMessages(err)
		s.render(w, r, http.StatusUnprocessableEntity, "suspect_link", "suspect.link.edit", f)
	case domain.KindConflict:
		f.Conflict = true
		s.render(w, r, http.StatusConflict, "suspect_link", "suspect.link.edit", f)
	default:
		s.fail(w, r, err)
	}
}

// unlinkSuspect is POST /suspects/{ref}/links/{id}/delete, at the
// version shown; a link to a case the visitor does not reach does not
// exist for them.
func (s *site) unlinkSuspect(w http.ResponseWriter, r *http.Request) {
	acc, st, _, err := s.suspectCheck(r, domain.ActUpdate)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	x, err := st.Suspect(r.Context(), acc.SuspectID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	visitorFrom(r).p.RedactLinks(x)
	id := r.PathValue("id")
	found := false
	for _, l := range x.Links {
		found = found || l.ID == id
	}
	if !found {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	v, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err := st.UnlinkSuspect(r.Context(), acc.SuspectID, id, v); err != nil {
		s.failSuspectChange(w, r, err)
		return
	}
	redirect(w, "/suspects/"+acc.Number+"?saved=1")
}

// caseSuspects is the case page's block of suspects (suspect.part.html):
// nil for roles that may not read suspects on the case.
type caseSuspects struct {
	Number, CSRF      string
	Items             []*domain.Suspect
	CanCreate, CanAdd bool
}

// caseSuspectsBlock lists the suspects linked to the case, audited as one
// read naming their numbers.
func (s *site) caseSuspectsBlock(r *http.Request, c *domain.Case, acc domain.CaseAccess) (*caseSuspects, error) {
	p := visitorFrom(r).p
	if !p.Can(domain.ResSuspect, domain.ActRead, acc) {
		return nil, nil
	}
	st, err := s.suspects()
	if err != nil {
		return nil, err
	}
	list, err := st.CaseSuspects(r.Context(), acc.CaseID)
	if err != nil {
		return nil, err
	}
	if err := (&reach.Suspects{Audit: s.Audit}).ReadList(r.Context(), p, acc.CaseID, c.Number, list); err != nil {
		return nil, err
	}
	b := &caseSuspects{Number: c.Number, CSRF: auth.CSRFToken(visitorFrom(r).raw), Items: list, CanAdd: p.Can(domain.ResSuspect, domain.ActUpdate, acc) && !acc.BreakGlass}
	b.CanCreate = b.CanAdd && p.Allowed(domain.ResSuspect, domain.ActCreate) != domain.ScopeNone
	return b, nil
}

type suspectFindData struct {
	Case    string
	Name    string
	Matches []domain.SuspectMatch
	Short   bool
}

// findSuspectForCase is POST /cases/{ref}/suspects/find: the registered
// suspects the visitor reaches whose name or alias may be the one typed
// (posted, never in a URL), each to be linked to the case.
func (s *site) findSuspectForCase(w http.ResponseWriter, r *http.Request) {
	_, number, err := s.checker().Case(r.Context(), visitorFrom(r).p, r.PathValue("ref"), domain.ResSuspect, domain.ActUpdate)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.suspects()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := suspectFindData{Case: number, Name: strings.TrimSpace(r.PostFormValue("name"))}
	x := &domain.Suspect{Identity: &domain.SuspectIdentity{LastName: d.Name}}
	if len([]rune(d.Name)) < 2 || len([]rune(d.Name)) > domain.MaxShortText {
		d.Short = true
		s.render(w, r, http.StatusUnprocessableEntity, "suspect_find", "suspect.find.title", d)
		return
	}
	if d.Matches, err = s.suspectDuplicates(r, st, x, ""); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "suspect_find", "suspect.find.title", d)
}
