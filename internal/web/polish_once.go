// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"net/http"

	"github.com/google/uuid"

	"vigie/internal/domain"
)

// newFormID names a new add form: the ID the part gets when the form is
// sent, so that sending it twice adds one part.
func newFormID() string { return uuid.Must(uuid.NewV7()).String() }

// postedFormID is the form_id an add form sent back, "" when it sent
// none or anything but a UUID as newFormID writes one (a new ID is drawn
// then): uuid.Validate also takes "urn:uuid:…", "{…}" and 32 bare
// digits, which the store refuses as part IDs, so a form sent with one
// could never be saved.
func postedFormID(r *http.Request) string {
	id := r.PostFormValue("form_id")
	if u, err := uuid.Parse(id); err == nil && u.String() == id {
		return id
	}
	return ""
}

// addPartOnce adds part p of kind to the case under the form's ID when
// there is one. A second insert under the same ID (double click, retry,
// back button) is a conflict: when that part is in this case, the form
// was sent before and this answer is the first one's. An ID taken from
// another case's part stays a conflict, nothing added.
func (s *site) addPartOnce(ctx context.Context, caseID string, kind domain.PartKind, p domain.Part, id string) error {
	if id != "" {
		p.PartMeta().ID = id
	}
	err := s.Cases.AddPart(ctx, caseID, kind, p)
	if domain.KindOf(err) != domain.KindConflict || id == "" {
		return err
	}
	c, cerr := s.Cases.Case(ctx, caseID)
	if cerr != nil {
		return err
	}
	for _, x := range c.Parts(kind) {
		if x.PartMeta().ID == id {
			return nil
		}
	}
	return err
}
