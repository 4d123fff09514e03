// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// caseworkStore is what the casework pages need beyond domain.CaseService:
// the workflow records and the agencies a case may be referred to. The
// store behind Services.Cases serves both (sqlstore.DB), so the pages
// take it from there rather than from one more field that every caller
// of New would have to set; a store without it answers 500, logged.
type caseworkStore interface {
	domain.CaseworkService
	Agencies(ctx context.Context) ([]*domain.Agency, error)
}

func (s *site) work() (caseworkStore, error) {
	w, ok := s.Cases.(caseworkStore)
	if !ok {
		return nil, domain.Errorf(domain.KindInternal, "the case store does not implement the casework service")
	}
	return w, nil
}

// formField is one labelled field of an action form. Label and Help are
// message IDs; Error is a validation code (a message ID too).
type formField struct {
	Name, Label, Help string
	// Kind is text, textarea, date, select or checkbox.
	Kind     string
	Value    string
	Options  []option
	Required bool
	Max      int
	Error    string
	// OtherSet shows Other, the current value someone else saved, beside
	// the input (an edit conflict).
	OtherSet bool
	Other    string
}

type option struct{ Value, Label string }

// actionForm is a page with one form that acts on a case: one purpose
// per page, so that it works on a small screen and without JavaScript.
type actionForm struct {
	Number string // the case's number
	Title  string // message ID of the heading
	Intro  string // message ID, optional
	// Facts are labelled values shown above the form (already localized).
	Facts  []line
	Action string // where the form posts
	Submit string // message ID of the button
	// Problem is a message ID shown above the form (a refusal).
	Problem string
	// Blocked hides the form: Problem says why it cannot be sent.
	Blocked bool
	Hidden  map[string]string
	Fields  []formField
	// Once marks a form that adds a part: it carries a form_id that
	// becomes the part's ID, so that sending it twice (double click,
	// retry on a slow connection, back button) adds one part.
	Once bool
}

// setErrors puts the domain's field errors beside their fields; errors
// of fields the form does not show become the form's problem.
func (f *actionForm) setErrors(err error, names map[string]string) {
	for _, fe := range domain.FieldErrors(err) {
		name := fe.Field
		if n, ok := names[name]; ok {
			name = n
		}
		placed := false
		for i := range f.Fields {
			if f.Fields[i].Name == name && f.Fields[i].Error == "" {
				f.Fields[i].Error, placed = fe.Code, true
			}
		}
		if !placed && f.Problem == "" {
			f.Problem = fe.Code
		}
	}
	if f.Problem == "" && !hasFieldError(f) {
		f.Problem = "error.invalid"
	}
}

func hasFieldError(f *actionForm) bool {
	for _, x := range f.Fields {
		if x.Error != "" {
			return true
		}
	}
	return false
}

// fill sets the fields' values from a posted form.
func (f *actionForm) fill(r *http.Request) {
	for i := range f.Fields {
		f.Fields[i].Value = r.PostFormValue(f.Fields[i].Name)
	}
	if id := postedFormID(r); f.Once && id != "" {
		f.hidden("form_id", id)
	}
}

func (f *actionForm) hidden(name, value string) {
	if f.Hidden == nil {
		f.Hidden = map[string]string{}
	}
	f.Hidden[name] = value
}

func (f *actionForm) value(name string) string {
	for _, x := range f.Fields {
		if x.Name == name {
			return strings.TrimSpace(x.Value)
		}
	}
	return ""
}

// showForm renders an action form; status is 200 for a first showing and
// 422 when it comes back with errors (typed values kept).
func (s *site) showForm(w http.ResponseWriter, r *http.Request, status int, f *actionForm) {
	if _, ok := f.Hidden["form_id"]; f.Once && !ok {
		f.hidden("form_id", uuid.Must(uuid.NewV7()).String())
	}
	s.render(w, r, status, "casework_form", f.Title, f)
}

// answer ends an action: back to the case page on success (303), the form
// again with its errors on invalid input, the error page otherwise.
func (s *site) answer(w http.ResponseWriter, r *http.Request, f *actionForm, err error, names map[string]string) {
	switch domain.KindOf(err) {
	case "":
		redirect(w, "/cases/"+f.Number)
	case domain.KindInvalid:
		f.setErrors(err, names)
		s.showForm(w, r, http.StatusUnprocessableEntity, f)
	case domain.KindConflict:
		f.Problem = "casework.conflict"
		s.showForm(w, r, http.StatusConflict, f)
	default:
		s.fail(w, r, err)
	}
}

// enumOptions lists an enum's values with their labels, for a select.
func enumOptions(r *http.Request, e *domain.Enum) []option {
	l := i18n.For(langOf(r))
	out := make([]option, 0, len(e.Values))
	for _, v := range optionOrder(e.Values) {
		out = append(out, option{v, l.Enum(e.Field, v)})
	}
	return out
}

// parseDay reads a date field (YYYY-MM-DD); "" is the zero date.
func parseDay(p *domain.Problems, field, v string) domain.Date {
	v = strings.TrimSpace(v)
	if v == "" {
		return domain.Date{}
	}
	d, err := domain.ParseDate(v)
	if err != nil {
		p.Add(field, "validation.date_format", "is not a date")
	}
	return d
}

// addOnce adds part p of kind to the case, named by the form's form_id
// when it has one: if that part already exists (the form was sent
// before), the answer is the first one's, not a second part.
func (s *site) addOnce(w http.ResponseWriter, r *http.Request, f *actionForm, caseID string, kind domain.PartKind, p domain.Part) {
	s.answer(w, r, f, s.addPartOnce(r.Context(), caseID, kind, p, f.Hidden["form_id"]), nil)
}
