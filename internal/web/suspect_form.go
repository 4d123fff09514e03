// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strconv"
	"strings"

	"vigie/internal/domain"
)

// suspectDocRows is how many identity documents the form offers; the
// API takes up to domain.MaxSuspectDocuments.
const suspectDocRows = 3

// suspectForm is the registration and edit form of a suspect: what was
// typed, the errors, and the possible duplicates found on registration.
type suspectForm struct {
	Action, Title string
	Number        string
	Version       int64
	// Case is the victim's case the suspect is registered from: after
	// registration the link form opens for it.
	Case                           string
	First, Middle, Last            string
	Aliases, Phones                string // one per line
	Birthdate                      string
	Gender, AgeBand, AgeGroup, Cit string
	Docs                           []docRow
	Address, Description, Notes    string
	Errors                         map[string]string
	Conflict                       bool
	Duplicates                     []domain.SuspectMatch
	Genders, AgeBands, AgeGroups   []option
	DocTypes                       []option
}

type docRow struct {
	N                     int
	Type, Number, Country string
}

func (s *site) suspectFormFor(r *http.Request, x *domain.Suspect) *suspectForm {
	f := &suspectForm{Action: "/suspects", Title: "suspect.new"}
	if x != nil && x.ID != "" {
		f.Action, f.Title, f.Number, f.Version = "/suspects/"+x.Number+"/edit", "suspect.edit", x.Number, x.Version
	}
	var docs []domain.IdentityDocument
	if x != nil {
		f.Gender, f.AgeBand, f.AgeGroup, f.Cit = x.Gender, x.AgeBand, x.AgeGroup, x.Citizenship
		if id := x.Identity; id != nil {
			f.First, f.Middle, f.Last = id.FirstName, id.MiddleName, id.LastName
			f.Aliases, f.Phones = strings.Join(id.Aliases, "\n"), strings.Join(id.Phones, "\n")
			f.Birthdate, f.Address, f.Description, f.Notes = id.Birthdate.String(), id.Address, id.Description, id.Notes
			docs = id.Documents
		}
	}
	for i := range max(suspectDocRows, len(docs)) {
		row := docRow{N: i}
		if i < len(docs) {
			row.Type, row.Number, row.Country = docs[i].Type, docs[i].Number, docs[i].Country
		}
		f.Docs = append(f.Docs, row)
	}
	f.Genders, f.AgeBands, f.AgeGroups = enumOptions(r, domain.Gender), enumOptions(r, domain.PerpetratorAgeBand), enumOptions(r, domain.AgeGroup)
	f.DocTypes = enumOptions(r, domain.IdentityDocumentType)
	return f
}

// formLines splits a textarea into its non-empty lines.
func formLines(v string) []string {
	var out []string
	for _, x := range strings.Split(v, "\n") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// parseSuspect reads the form; problems of the form itself (a date that
// is not one) come back with the suspect's own.
func parseSuspect(r *http.Request) (*domain.Suspect, domain.Problems) {
	var pr domain.Problems
	v := r.PostForm
	id := &domain.SuspectIdentity{FirstName: v.Get("first_name"), MiddleName: v.Get("middle_name"), LastName: v.Get("last_name"),
		Aliases: formLines(v.Get("aliases")), Phones: formLines(v.Get("phones")), Address: strings.TrimSpace(v.Get("address")),
		Description: strings.TrimSpace(v.Get("description")), Notes: strings.TrimSpace(v.Get("notes"))}
	id.Birthdate = parseDay(&pr, "identity.birthdate", v.Get("birthdate"))
	for i := range domain.MaxSuspectDocuments {
		n := strconv.Itoa(i)
		d := domain.IdentityDocument{Type: v.Get("doc_type_" + n), Number: strings.TrimSpace(v.Get("doc_number_" + n)),
			Country: strings.ToUpper(strings.TrimSpace(v.Get("doc_country_" + n)))}
		if d != (domain.IdentityDocument{}) {
			id.Documents = append(id.Documents, d)
		}
	}
	x := &domain.Suspect{Gender: v.Get("gender"), AgeBand: v.Get("age_band"), AgeGroup: v.Get("age_group"),
		Citizenship: strings.ToUpper(strings.TrimSpace(v.Get("citizenship"))), Identity: id}
	if n, err := strconv.ParseInt(v.Get("version"), 10, 64); err == nil {
		x.Version = n
	}
	return x, pr
}

// suspectFieldMessages maps the domain's field names to the form's.
func suspectFieldMessages(err error) map[string]string {
	out := map[string]string{}
	for k, v := range fieldMessages(err) {
		k = strings.TrimPrefix(k, "identity.")
		switch {
		case strings.HasPrefix(k, "aliases"):
			k = "aliases"
		case strings.HasPrefix(k, "phones"):
			k = "phones"
		case strings.HasPrefix(k, "documents"):
			k = "documents"
		}
		if _, seen := out[k]; !seen {
			out[k] = v
		}
	}
	return out
}

func (s *site) newSuspectPage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResSuspect, domain.ActCreate) {
		return
	}
	f := s.suspectFormFor(r, nil)
	f.Case = caseParam(r.URL.Query().Get("case"))
	s.render(w, r, http.StatusOK, "suspect_form", f.Title, f)
}

// caseParam keeps a case number passed along, and nothing else.
func caseParam(v string) string {
	if _, _, _, ok := domain.ParseCaseNumber(v); ok {
		return v
	}
	return ""
}

// createSuspect is POST /suspects. Before registering, the registry is
// searched for the name and aliases (blind index, suspects the visitor
// reaches): if someone may be the same person, the form comes back
// naming them, to link the one already registered instead, or to
// register anyway ("confirm").
func (s *site) createSuspect(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResSuspect, domain.ActCreate) {
		return
	}
	st, err := s.suspects()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := visitorFrom(r).p
	x, pr := parseSuspect(r)
	x.Agency = p.Agency
	f := s.suspectFormFor(r, x)
	f.Case = caseParam(r.PostFormValue("case"))
	err = pr.Err()
	if err == nil {
		err = x.Validate(domain.DateOf(s.Now()))
	}
	if err == nil && r.PostFormValue("confirm") == "" {
		if f.Duplicates, err = s.suspectDuplicates(r, st, x, ""); err == nil && len(f.Duplicates) > 0 {
			s.render(w, r, http.StatusOK, "suspect_form", f.Title, f)
			return
		}
	}
	if err == nil {
		err = st.CreateSuspect(r.Context(), x)
	}
	if err == nil {
		if f.Case != "" {
			redirect(w, "/suspects/"+x.Number+"/link?case="+f.Case)
			return
		}
		redirect(w, "/suspects/"+x.Number+"?saved=1")
		return
	}
	s.suspectFormFailed(w, r, f, err)
}

// suspectFormFailed shows the form again with what was typed: the
// errors (422) or the conflict (409, nothing saved).
func (s *site) suspectFormFailed(w http.ResponseWriter, r *http.Request, f *suspectForm, err error) {
	f.Duplicates = nil
	switch domain.KindOf(err) {
	case domain.KindInvalid:
		f.Errors = suspectFieldMessages(err)
		s.render(w, r, http.StatusUnprocessableEntity, "suspect_form", f.Title, f)
	case domain.KindConflict:
		f.Conflict = true
		s.render(w, r, http.StatusConflict, "suspect_form", f.Title, f)
	default:
		s.fail(w, r, err)
	}
}

// suspectDuplicates names the suspects the visitor reaches whose name or
// an alias may be x's (the other than skipID). The search is audited as
// the victims' duplicate check is: that it ran and how many it showed.
func (s *site) suspectDuplicates(r *http.Request, st domain.SuspectService, x *domain.Suspect, skipID string) ([]domain.SuspectMatch, error) {
	q := domain.SuspectQuery{Name: x.Identity.Name(), Aliases: x.Identity.Aliases, Birthdate: x.Identity.Birthdate}
	if q.Name == "" && len(q.Aliases) == 0 {
		return nil, nil
	}
	p := visitorFrom(r).p
	agency := p.AgencyID
	if p.Allowed(domain.ResSuspect, domain.ActRead) == domain.ScopeAll {
		agency = ""
	}
	list, err := st.SuspectDuplicates(r.Context(), q, agency, 6)
	if err != nil {
		return nil, err
	}
	var out []domain.SuspectMatch
	for _, m := range list {
		if m.SuspectID != skipID {
			out = append(out, m)
		}
	}
	e := domain.NewAuditEntry(r.Context(), domain.AuditSearch)
	e.Resource, e.Detail = string(domain.ResSuspect), map[string]any{"results": len(out), "mode": "duplicate"}
	if err := s.Audit.Audit(r.Context(), e); err != nil {
		return nil, err
	}
	return out, nil
}

// editSuspectPage is GET /suspects/{ref}/edit.
func (s *site) editSuspectPage(w http.ResponseWriter, r *http.Request) {
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
	f := s.suspectFormFor(r, x)
	s.render(w, r, http.StatusOK, "suspect_form", f.Title, f)
}

// editSuspect is POST /suspects/{ref}/edit, at the version shown: a
// stale one saves nothing and keeps what was typed.
func (s *site) editSuspect(w http.ResponseWriter, r *http.Request) {
	acc, st, _, err := s.suspectCheck(r, domain.ActUpdate)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	x, pr := parseSuspect(r)
	x.ID = acc.SuspectID
	f := s.suspectFormFor(r, x)
	f.Action, f.Title, f.Number = "/suspects/"+acc.Number+"/edit", "suspect.edit", acc.Number
	err = pr.Err()
	if err == nil {
		err = st.UpdateSuspect(r.Context(), x)
	}
	if err == nil {
		redirect(w, "/suspects/"+acc.Number+"?saved=1")
		return
	}
	s.suspectFormFailed(w, r, f, err)
}
