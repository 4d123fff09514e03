// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// situationStore is what the situation page needs; the store behind
// Services.Cases serves it (sqlstore.DB), as it serves the casework
// pages (see caseworkStore).
type situationStore interface {
	domain.SituationService
	Situations(ctx context.Context, agency string) ([]*domain.Situation, error)
}

func (s *site) situations() (situationStore, error) {
	st, ok := s.Cases.(situationStore)
	if !ok {
		return nil, domain.Errorf(domain.KindInternal, "the case store does not list situations")
	}
	return st, nil
}

// reachSituation checks that the visitor may change the case and read
// its agency's situations. Situations are the owning agency's own: an
// agency the case is referred to neither lists nor creates them.
func (s *site) reachSituation(r *http.Request) (domain.CaseAccess, string, error) {
	p := visitorFrom(r).p
	acc, number, err := s.checker().Case(r.Context(), p, r.PathValue("ref"), domain.ResCase, domain.ActUpdate)
	if err == nil && (acc.AgencyID != p.AgencyID || !p.Can(domain.ResSituation, domain.ActRead, acc)) {
		s.checker().Denied(r.Context(), number, domain.ResSituation, domain.ActRead, "forbidden", acc.AgencyID)
		err = domain.Errorf(domain.KindForbidden, "your role may not link situations")
	}
	return acc, number, err
}

const situationField = "situation_id"

// situationPage builds the form: a choice among the agency's situations
// (or none), and a title to create a new one instead.
func (s *site) situationPage(r *http.Request, c *domain.Case, list []*domain.Situation, typed, cur map[string]string, theirs []string) *editPage {
	d := &editPage{Title: "caseedit.situation.title", Action: "/cases/" + c.Number + "/situation", Submit: "case.save",
		Number: c.Number, Version: c.Version, Base: map[string]string{situationField: c.SituationID}}
	sel := formField{Name: situationField, Label: "caseedit.situation.field", Kind: "select", Value: typed[situationField]}
	for _, x := range list {
		sel.Options = append(sel.Options, option{x.ID, x.Title})
	}
	for _, name := range theirs {
		if name == situationField {
			sel.OtherSet = true
			for _, x := range list {
				if x.ID == cur[situationField] {
					sel.Other = x.Title
				}
			}
		}
	}
	d.Inputs = []editInput{{F: sel}}
	if visitorFrom(r).p.Allowed(domain.ResSituation, domain.ActCreate) != domain.ScopeNone {
		d.Inputs = append(d.Inputs, editInput{F: formField{Name: "new_situation", Label: "caseedit.situation.new",
			Help: "caseedit.situation.new_help", Kind: "text", Max: domain.MaxShortText, Value: typed["new_situation"]}})
	}
	return d
}

// editSituationPage is GET /cases/{ref}/situation.
func (s *site) editSituationPage(w http.ResponseWriter, r *http.Request) {
	acc, number, err := s.reachSituation(r)
	var c *domain.Case
	var list []*domain.Situation
	if err == nil {
		c, list, err = s.situationData(r, acc)
	}
	if err == nil {
		err = s.auditCaseRead(r, acc, number, []domain.Resource{domain.ResCase, domain.ResSituation})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showEdit(w, r, http.StatusOK, s.situationPage(r, c, list, map[string]string{situationField: c.SituationID}, nil, nil))
}

func (s *site) situationData(r *http.Request, acc domain.CaseAccess) (*domain.Case, []*domain.Situation, error) {
	st, err := s.situations()
	if err != nil {
		return nil, nil, err
	}
	c, err := s.Cases.Case(r.Context(), acc.CaseID)
	if err != nil {
		return nil, nil, err
	}
	list, err := st.Situations(r.Context(), c.Agency)
	return c, list, err
}

// editSituation is POST /cases/{ref}/situation: links the case to one of
// its agency's situations, to a new one, or to none; with editCase's
// conflict rule on the link.
func (s *site) editSituation(w http.ResponseWriter, r *http.Request) {
	acc, number, err := s.reachSituation(r)
	var c *domain.Case
	var list []*domain.Situation
	if err == nil {
		c, list, err = s.situationData(r, acc)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	typed := map[string]string{situationField: r.PostFormValue(situationField), "new_situation": r.PostFormValue("new_situation")}
	base := map[string]string{situationField: r.PostFormValue("base." + situationField)}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if version != c.Version {
		s.situationConflict(w, r, acc, number, c, list, typed, base)
		return
	}
	id, err := s.pickSituation(r, c, typed)
	if err == nil {
		c.SituationID = id
		err = s.Cases.UpdateCase(r.Context(), c)
	}
	if domain.KindOf(err) == domain.KindConflict {
		if c, list, err = s.situationData(r, acc); err != nil {
			s.fail(w, r, err)
			return
		}
		s.situationConflict(w, r, acc, number, c, list, typed, base)
		return
	}
	d := s.situationPage(r, c, list, typed, nil, nil)
	d.Version, d.Base = version, base
	s.finish(w, r, d, err, map[string]string{"title": "new_situation"})
}

// pickSituation is the situation the form asks for: a new one when a
// title is typed (the role must be allowed to create situations), else
// the chosen one, which must be of the case's agency (another agency's
// situation would show it this case's number) — answered as the API
// does, like a missing one.
func (s *site) pickSituation(r *http.Request, c *domain.Case, typed map[string]string) (string, error) {
	st, err := s.situations()
	if err != nil {
		return "", err
	}
	if title := strings.TrimSpace(typed["new_situation"]); title != "" {
		if visitorFrom(r).p.Allowed(domain.ResSituation, domain.ActCreate) == domain.ScopeNone {
			return "", domain.Errorf(domain.KindForbidden, "your role may not create situations")
		}
		x := &domain.Situation{Agency: c.Agency, Title: title}
		if err := st.CreateSituation(r.Context(), x); err != nil {
			return "", err
		}
		return x.ID, nil
	}
	id := typed[situationField]
	if id == "" {
		return "", nil
	}
	x, err := st.Situation(r.Context(), id)
	if err != nil && domain.KindOf(err) != domain.KindNotFound {
		return "", err
	}
	if err != nil || x.Agency != c.Agency {
		var p domain.Problems
		p.Add(situationField, "validation.unknown_situation", "does not refer to a situation of the case's agency")
		return "", p.Err()
	}
	return id, nil
}

func (s *site) situationConflict(w http.ResponseWriter, r *http.Request, acc domain.CaseAccess, number string, c *domain.Case, list []*domain.Situation, typed, base map[string]string) {
	if err := s.auditCaseRead(r, acc, number, []domain.Resource{domain.ResCase, domain.ResSituation}); err != nil {
		s.fail(w, r, err)
		return
	}
	cur := map[string]string{situationField: c.SituationID}
	shown, theirs := merged(base, map[string]string{situationField: typed[situationField]}, cur)
	shown["new_situation"] = typed["new_situation"]
	d := s.situationPage(r, c, list, shown, cur, theirs)
	d.Problem = "caseedit.conflict_elsewhere"
	if len(theirs) > 0 {
		d.Problem, d.Theirs = "casework.edit.conflict", []string{i18n.For(langOf(r)).T("caseedit.situation.field")}
	}
	s.showEdit(w, r, http.StatusConflict, d)
}
