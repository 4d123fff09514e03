// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"vigie/internal/domain"
)

// editPage is the data of the caseedit template: one form over a case's
// fields or over one of its parts, with the same conflict rule as the
// case edit page (editCase).
type editPage struct {
	Title  string // message ID
	Action string // where the form posts
	Submit string // message ID of the button
	Number string
	// Version is the record's version the form is based on; 0 for a new
	// part (nothing to conflict with).
	Version int64
	// Base holds the values the form started from, sent back hidden.
	Base   map[string]string
	Inputs []editInput
	// Theirs lists the labels of the fields someone else changed.
	Theirs  []string
	Problem string // message ID
	// Delete is where the part's delete form posts ("" for none).
	Delete string
	// FormID names the part a new part's form adds: sent twice, the
	// form adds one part (addPartOnce).
	FormID string
}

// placeErrors puts the domain's field errors beside their inputs; an
// error of a field the page does not show becomes the page's problem.
func (d *editPage) placeErrors(err error, names map[string]string) {
	for _, fe := range domain.FieldErrors(err) {
		name := fe.Field
		if n, ok := names[name]; ok {
			name = n
		}
		placed := false
		for i := range d.Inputs {
			if d.Inputs[i].F.Name == name && d.Inputs[i].F.Error == "" {
				d.Inputs[i].F.Error, placed = fe.Code, true
			}
		}
		if !placed && d.Problem == "" {
			d.Problem = fe.Code
		}
	}
	if d.Problem == "" {
		d.Problem = "caseedit.invalid"
	}
}

func (s *site) showEdit(w http.ResponseWriter, r *http.Request, status int, d *editPage) {
	s.render(w, r, status, "caseedit", d.Title, d)
}

// finish ends a save: back to the case page, the form again with its
// errors (422, typed values kept), or the error page.
func (s *site) finish(w http.ResponseWriter, r *http.Request, d *editPage, err error, names map[string]string) {
	switch domain.KindOf(err) {
	case "":
		redirect(w, "/cases/"+d.Number)
	case domain.KindInvalid:
		d.placeErrors(err, names)
		s.showEdit(w, r, http.StatusUnprocessableEntity, d)
	default:
		s.fail(w, r, err)
	}
}
