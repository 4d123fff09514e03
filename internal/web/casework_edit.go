// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"slices"
	"strconv"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// editField is one field of the case edit form: its HTCDS name (the
// form's field name, and the catalog's "field.<name>" label), the field
// group that grants changing it, and how to read and write it.
type editField struct {
	name string
	res  domain.Resource
	enum *domain.Enum // a select of this code list; nil for text
	date bool
	max  int
	get  func(*domain.Case) string
	set  func(*domain.Case, string, *domain.Problems)
}

func textField(name string, res domain.Resource, p func(*domain.Case) *string) editField {
	return editField{name: name, res: res, max: domain.MaxShortText,
		get: func(c *domain.Case) string { return *p(c) },
		set: func(c *domain.Case, v string, _ *domain.Problems) { *p(c) = v }}
}

// editFields are the case's own fields that the edit page offers: the
// core of identity, contact and victim context, and the case owner.
// Lists (citizenship, forms of exploitation) are left to the API for now.
var editFields = []editField{
	textField("prs_FirstName", domain.ResIdentity, func(c *domain.Case) *string { return &c.Person.FirstName }),
	textField("prs_MiddleName", domain.ResIdentity, func(c *domain.Case) *string { return &c.Person.MiddleName }),
	textField("prs_SecondName", domain.ResIdentity, func(c *domain.Case) *string { return &c.Person.SecondName }),
	{name: "prs_Birthdate", res: domain.ResIdentity, date: true,
		get: func(c *domain.Case) string { return dateValue(c.Person.Birthdate) },
		set: func(c *domain.Case, v string, p *domain.Problems) {
			c.Person.Birthdate = parseDay(p, "person.prs_Birthdate", v)
		}},
	{name: "prs_Gender", res: domain.ResIdentity, enum: domain.Gender,
		get: func(c *domain.Case) string { return c.Person.Gender },
		set: func(c *domain.Case, v string, _ *domain.Problems) { c.Person.Gender = v }},
	textField("prs_MobilePhone", domain.ResContact, func(c *domain.Case) *string { return &c.Person.MobilePhone }),
	textField("prs_MailingCity", domain.ResContact, func(c *domain.Case) *string { return &c.Person.MailingCity }),
	{name: "vic_TraffickingStatus", res: domain.ResVictim, enum: domain.TraffickingStatus,
		get: func(c *domain.Case) string { return c.Victim.TraffickingStatus },
		set: func(c *domain.Case, v string, _ *domain.Problems) { c.Victim.TraffickingStatus = v }},
	textField("cas_CaseOwner", domain.ResCase, func(c *domain.Case) *string { return &c.CaseOwner }),
	{name: "vig_Province", res: domain.ResCase, enum: domain.Province,
		get: func(c *domain.Case) string { return c.Province },
		set: func(c *domain.Case, v string, _ *domain.Problems) { c.Province = v }},
	{name: "vig_Repatriated", res: domain.ResCase, enum: domain.YesNo,
		get: func(c *domain.Case) string { return domain.YesNoOf(c.Repatriated) },
		set: func(c *domain.Case, v string, p *domain.Problems) {
			b, ok := domain.ParseYesNo(v)
			if !ok {
				p.Add("vig_Repatriated", "validation.enum", "is Yes or No")
			}
			c.Repatriated = b
		}},
}

// editErrorNames maps the domain's field paths to the form's names.
var editErrorNames = func() map[string]string {
	m := map[string]string{}
	for _, f := range editFields {
		m["person."+f.name], m["victim."+f.name] = f.name, f.name
	}
	return m
}()

func dateValue(d domain.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// values reads the edit form's fields of a case.
func values(c *domain.Case) map[string]string {
	m := map[string]string{}
	for _, f := range editFields {
		m[f.name] = f.get(c)
	}
	return m
}

type editData struct {
	Title   string // message ID
	Action  string // where the form posts
	Number  string
	Version int64
	// Base holds the values the form started from, sent back hidden: on a
	// conflict they tell the fields someone else changed from the fields
	// this user changed.
	Base   map[string]string
	Fields []formField
	// Theirs lists the labels of the fields someone else changed meanwhile.
	Theirs  []string
	Problem string
}

// reachEdit checks that the visitor may change every field group of the
// form (identity, contact, victim context, the case's own fields).
func (s *site) reachEdit(r *http.Request) (domain.CaseAccess, string, error) {
	p := visitorFrom(r).p
	acc, number, err := s.checker().Case(r.Context(), p, r.PathValue("ref"), domain.ResCase, domain.ActUpdate)
	if err != nil {
		return acc, number, err
	}
	for _, f := range editFields {
		if !p.Can(f.res, domain.ActUpdate, acc) {
			s.checker().Denied(r.Context(), number, f.res, domain.ActUpdate, "forbidden", acc.AgencyID)
			return acc, number, domain.Errorf(domain.KindForbidden, "your role may not change %s", f.res)
		}
	}
	return acc, number, nil
}

// editCasePage is GET /cases/{ref}/edit: the form filled with the case's
// current values (a read of personal data, audited).
func (s *site) editCasePage(w http.ResponseWriter, r *http.Request) {
	acc, number, err := s.reachEdit(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.Cases.Case(r.Context(), acc.CaseID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.auditCaseRead(r, acc, number, editShown); err != nil {
		s.fail(w, r, err)
		return
	}
	cur := values(c)
	d := editData{Title: "casework.edit.title", Action: "/cases/" + c.Number + "/edit", Number: c.Number, Version: c.Version, Base: cur}
	d.Fields = editForm(r, cur, nil, nil)
	s.render(w, r, http.StatusOK, "casework_edit", "casework.edit.title", d)
}

// editShown are the field groups the edit page shows.
var editShown = []domain.Resource{domain.ResCase, domain.ResIdentity, domain.ResContact, domain.ResVictim}

// editForm builds the form's fields: typed values in the inputs; for the
// fields in theirs, the current value beside the input.
func editForm(r *http.Request, typed, current map[string]string, theirs []string) []formField {
	l := i18n.For(langOf(r))
	out := make([]formField, 0, len(editFields))
	for _, f := range editFields {
		ff := formField{Name: f.name, Label: "field." + f.name, Kind: "text", Value: typed[f.name], Max: f.max}
		switch {
		case f.enum != nil:
			ff.Kind, ff.Options, ff.Max = "select", enumOptions(r, f.enum), 0
		case f.date:
			ff.Kind = "date"
		}
		if f.name == "vic_TraffickingStatus" {
			ff.Required = true
		}
		if slices.Contains(theirs, f.name) {
			ff.OtherSet, ff.Other = true, current[f.name]
			if f.enum != nil && ff.Other != "" {
				ff.Other = l.Enum(f.enum.Field, ff.Other)
			}
		}
		out = append(out, ff)
	}
	return out
}

// editCase is POST /cases/{ref}/edit. The form carries the version it was
// based on; a change made meanwhile by someone else is never overwritten
// nor merged silently: the form comes back (409) naming the fields the
// other person changed, with their current values beside the inputs.
// Inputs keep what this user typed where they changed something, and take
// the current value where they did not (so that saving again does not
// undo the other person's change without the user seeing it).
func (s *site) editCase(w http.ResponseWriter, r *http.Request) {
	acc, number, err := s.reachEdit(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	typed, base := map[string]string{}, map[string]string{}
	for _, f := range editFields {
		typed[f.name], base[f.name] = r.PostFormValue(f.name), r.PostFormValue("base."+f.name)
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	c, err := s.Cases.Case(r.Context(), acc.CaseID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if version != c.Version {
		s.editConflict(w, r, acc, number, c, typed, base)
		return
	}
	var p domain.Problems
	for _, f := range editFields {
		f.set(c, typed[f.name], &p)
	}
	err = p.Err()
	if err == nil {
		err = s.Cases.UpdateCase(r.Context(), c)
	}
	switch domain.KindOf(err) {
	case "":
		redirect(w, "/cases/"+c.Number)
	case domain.KindConflict:
		// Changed between our read and our write: read again.
		if c, err = s.Cases.Case(r.Context(), acc.CaseID); err != nil {
			s.fail(w, r, err)
			return
		}
		s.editConflict(w, r, acc, number, c, typed, base)
	case domain.KindInvalid:
		d := editData{Title: "casework.edit.title", Action: "/cases/" + c.Number + "/edit", Number: c.Number, Version: version, Base: base, Fields: editForm(r, typed, nil, nil)}
		s.editInvalid(w, r, d, err)
	default:
		s.fail(w, r, err)
	}
}

func (s *site) editInvalid(w http.ResponseWriter, r *http.Request, d editData, err error) {
	f := actionForm{Fields: d.Fields}
	f.setErrors(err, editErrorNames)
	d.Fields, d.Problem = f.Fields, f.Problem
	s.render(w, r, http.StatusUnprocessableEntity, "casework_edit", d.Title, d)
}

// editConflict shows the form again against the current version c.
func (s *site) editConflict(w http.ResponseWriter, r *http.Request, acc domain.CaseAccess, number string, c *domain.Case, typed, base map[string]string) {
	if err := s.auditCaseRead(r, acc, number, editShown); err != nil {
		s.fail(w, r, err)
		return
	}
	cur := values(c)
	shown, theirs := merged(base, typed, cur)
	d := editData{Title: "casework.edit.title", Action: "/cases/" + c.Number + "/edit", Number: c.Number, Version: c.Version, Base: cur, Fields: editForm(r, shown, cur, theirs), Problem: "casework.edit.conflict"}
	d.Theirs = fieldLabels(r, theirs)
	s.render(w, r, http.StatusConflict, "casework_edit", "casework.edit.title", d)
}

// merged is what a form shows after a conflict: the current values, except
// where this user changed a field (typed differs from base, the values
// the form started from), which keeps what they typed. theirs names the
// fields someone else changed (current differs from base).
func merged(base, typed, cur map[string]string) (shown map[string]string, theirs []string) {
	mine := domain.ChangedFields(base, typed)
	shown = map[string]string{}
	for k, v := range cur {
		shown[k] = v
		if slices.Contains(mine, k) {
			shown[k] = typed[k]
		}
	}
	return shown, domain.ChangedFields(base, cur)
}

// fieldLabels are the labels of HTCDS fields, in the page's language.
func fieldLabels(r *http.Request, names []string) []string {
	l := i18n.For(langOf(r))
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = l.T("field." + n)
	}
	return out
}
