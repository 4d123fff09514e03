// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strconv"

	"vigie/internal/domain"
)

// partEditor edits one kind of a case's parts (trafficking events,
// perpetrators) as the support plans are: add, change with the part's
// own version (conflicts shown, never merged), delete with its version.
type partEditor[T any, P interface {
	*T
	domain.Part
}] struct {
	kind   domain.PartKind
	title  string // message ID prefix: .new, .edit, .delete
	fields editor[T]
}

func (e *partEditor[T, P]) base(number string) string {
	return "/cases/" + number + "/" + string(e.kind)
}

// find returns the part of the case in the URL (a part of another case
// is not found).
func (e *partEditor[T, P]) find(s *site, r *http.Request, caseID string) (P, error) {
	c, err := s.Cases.Case(r.Context(), caseID)
	if err != nil {
		return nil, err
	}
	for _, x := range c.Parts(e.kind) {
		if x.PartMeta().ID == r.PathValue("id") {
			if p, ok := x.(P); ok {
				return p, nil
			}
		}
	}
	return nil, domain.Errorf(domain.KindNotFound, "case %s has no %s %s", c.Number, e.kind, r.PathValue("id"))
}

func (e *partEditor[T, P]) newData(number string) *editPage {
	var zero T
	return &editPage{Title: e.title + ".new", Action: e.base(number), Submit: "common.add", Number: number,
		Base: e.fields.values(&zero), FormID: newFormID()}
}

func (e *partEditor[T, P]) editData(r *http.Request, acc domain.CaseAccess, number string, p P) *editPage {
	m := p.PartMeta()
	d := &editPage{Title: e.title + ".edit", Action: e.base(number) + "/" + m.ID + "/edit", Submit: "case.save",
		Number: number, Version: m.Version, Base: e.fields.values((*T)(p))}
	if visitorFrom(r).p.Can(domain.PartResource(e.kind), domain.ActDelete, acc) {
		d.Delete = e.base(number) + "/" + m.ID + "/delete"
	}
	return d
}

func (e *partEditor[T, P]) reach(s *site, r *http.Request, act domain.Action) (domain.CaseAccess, string, error) {
	return s.reachPart(r, e.kind, act)
}

// newPage is GET /cases/{ref}/{kind}/new.
func (e *partEditor[T, P]) newPage(s *site) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, number, err := e.reach(s, r, domain.ActCreate)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d := e.newData(number)
		d.Inputs = e.fields.inputs(r, d.Base, nil, nil)
		s.showEdit(w, r, http.StatusOK, d)
	}
}

// add is POST /cases/{ref}/{kind}. A new part has no version to
// conflict with; invalid input comes back with what was typed. The form's
// form_id names the part, so that a form sent twice adds one part.
func (e *partEditor[T, P]) add(s *site) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		acc, number, err := e.reach(s, r, domain.ActCreate)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		typed, _ := e.fields.posted(r)
		id := postedFormID(r)
		x := P(new(T))
		err = e.fields.apply((*T)(x), typed)
		if err == nil {
			err = s.addPartOnce(r.Context(), acc.CaseID, e.kind, x, id)
		}
		d := e.newData(number)
		if id != "" {
			d.FormID = id
		}
		d.Inputs = e.fields.inputs(r, typed, nil, nil)
		if domain.KindOf(err) == domain.KindConflict {
			// An ID of another case's part: nothing added; a new form.
			d.FormID, d.Problem = newFormID(), "casework.conflict"
			s.showEdit(w, r, http.StatusConflict, d)
			return
		}
		s.finish(w, r, d, err, e.fields.names())
	}
}

// editPage is GET /cases/{ref}/{kind}/{id}/edit (a read, audited).
func (e *partEditor[T, P]) editPage(s *site) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		acc, number, err := e.reach(s, r, domain.ActUpdate)
		var p P
		if err == nil {
			p, err = e.find(s, r, acc.CaseID)
		}
		if err == nil {
			err = s.auditCaseRead(r, acc, number, []domain.Resource{domain.PartResource(e.kind)})
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d := e.editData(r, acc, number, p)
		d.Inputs = e.fields.inputs(r, d.Base, nil, nil)
		s.showEdit(w, r, http.StatusOK, d)
	}
}

// edit is POST /cases/{ref}/{kind}/{id}/edit, with the case edit page's
// conflict rule (editCase).
func (e *partEditor[T, P]) edit(s *site) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		acc, number, err := e.reach(s, r, domain.ActUpdate)
		var cur P
		if err == nil {
			cur, err = e.find(s, r, acc.CaseID)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		typed, base := e.fields.posted(r)
		version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
		if version != cur.PartMeta().Version {
			e.conflict(s, w, r, acc, number, cur, typed, base)
			return
		}
		next := P(new(T))
		*next = *cur
		err = e.fields.apply((*T)(next), typed)
		if err == nil {
			err = s.Cases.UpdatePart(r.Context(), acc.CaseID, e.kind, next)
		}
		if domain.KindOf(err) == domain.KindConflict {
			if cur, err = e.find(s, r, acc.CaseID); err != nil {
				s.fail(w, r, err)
				return
			}
			e.conflict(s, w, r, acc, number, cur, typed, base)
			return
		}
		d := e.editData(r, acc, number, cur)
		d.Version, d.Base, d.Inputs = version, base, e.fields.inputs(r, typed, nil, nil)
		s.finish(w, r, d, err, e.fields.names())
	}
}

func (e *partEditor[T, P]) conflict(s *site, w http.ResponseWriter, r *http.Request, acc domain.CaseAccess, number string, cur P, typed, base map[string]string) {
	if err := s.auditCaseRead(r, acc, number, []domain.Resource{domain.PartResource(e.kind)}); err != nil {
		s.fail(w, r, err)
		return
	}
	d := e.editData(r, acc, number, cur)
	shown, theirs := merged(base, typed, d.Base)
	d.Inputs, d.Problem, d.Theirs = e.fields.inputs(r, shown, d.Base, theirs), "caseedit.part_conflict", fieldLabels(r, theirs)
	s.showEdit(w, r, http.StatusConflict, d)
}

// remove is POST /cases/{ref}/{kind}/{id}/delete. The form carries the
// version the visitor saw: a part changed meanwhile is not deleted, the
// visitor is told to look at it again.
func (e *partEditor[T, P]) remove(s *site) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		acc, number, err := e.reach(s, r, domain.ActDelete)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
		f := &actionForm{Number: number, Title: e.title + ".delete", Blocked: true}
		s.answer(w, r, f, s.Cases.DeletePart(r.Context(), acc.CaseID, e.kind, r.PathValue("id"), version), nil)
	}
}
