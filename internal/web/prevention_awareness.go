// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strconv"
	"strings"

	"vigie/internal/domain"
)

type awarenessData struct {
	From, To, Province, Type string
	Provs, Types             []option
	Items                    []*domain.Awareness
	Total                    int
	Summary                  *domain.AwarenessSummary
	// Agency is set when the visitor sees their agency's activities only.
	Agency  string
	CanEdit bool
	Saved   bool
	Invalid bool
}

// awarenessPage is GET /awareness: the activities of a period, province
// and type, with their totals (agency roles: their agency's only).
func (s *site) awarenessPage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResAwareness, domain.ActList) {
		return
	}
	st, err := s.prevention()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := visitorFrom(r).p
	q := r.URL.Query()
	d := awarenessData{From: q.Get("from"), To: q.Get("to"), Province: q.Get("province"), Type: q.Get("type"),
		Provs: enumOptions(r, domain.Province), Types: enumOptions(r, domain.AwarenessType),
		CanEdit: p.Allowed(domain.ResAwareness, domain.ActCreate) != domain.ScopeNone, Saved: q.Get("saved") != ""}
	if p.Allowed(domain.ResAwareness, domain.ActList) == domain.ScopeAgency {
		d.Agency = p.Agency
	}
	f, ferr := awarenessFilterOf(d)
	status := http.StatusOK
	if ferr == nil {
		ferr = f.Validate()
	}
	if ferr != nil {
		d.Invalid, status = true, http.StatusUnprocessableEntity
		d.From, d.To, d.Province, d.Type = "", "", "", ""
		f = domain.AwarenessFilter{Agency: d.Agency}
	}
	f.Limit = domain.MaxPageSize
	if d.Items, d.Total, err = st.Awarenesses(r.Context(), f); err == nil {
		d.Summary, err = st.AwarenessSummary(r.Context(), f)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "prevention_awareness", "prevention.awareness.title", d)
}

func awarenessFilterOf(d awarenessData) (domain.AwarenessFilter, error) {
	var p domain.Problems
	f := domain.AwarenessFilter{Province: d.Province, Type: d.Type, Agency: d.Agency}
	f.From = parseDay(&p, "from", d.From)
	f.To = parseDay(&p, "to", d.To)
	return f, p.Err()
}

type awarenessForm struct {
	Action, Title string
	Version       int64
	Agency        string
	Type, Date    string
	Province      string
	Locality      string
	Partner       string
	Audience      string
	Reached       map[string]string
	Materials     string
	Notes         string
	Errors        map[string]string
	Conflict      bool
	Provs, Types  []option
	ReachedFields []string
	// DeleteAction is where the delete button posts ("" for no button).
	DeleteAction string
}

// reachedFields are the counts of people reached, in the form's order.
var reachedFields = []string{"female_children", "female_adults", "male_children", "male_adults"}

func (s *site) awarenessFormFor(r *http.Request, a *domain.Awareness) *awarenessForm {
	f := &awarenessForm{Action: "/awareness", Title: "prevention.awareness.new", Agency: visitorFrom(r).p.Agency, Reached: map[string]string{}}
	if a != nil {
		if a.ID != "" {
			f.Action, f.Title = "/awareness/"+a.ID+"/edit", "prevention.awareness.edit"
		}
		f.Version, f.Type, f.Date, f.Province = a.Version, a.Type, a.Date.String(), a.Province
		f.Locality, f.Partner, f.Audience, f.Materials, f.Notes = a.Locality, a.Partner, a.Audience, a.Materials, a.Notes
		if a.Agency != "" {
			f.Agency = a.Agency
		}
		for i, n := range []int{a.Reached.FemaleChildren, a.Reached.FemaleAdults, a.Reached.MaleChildren, a.Reached.MaleAdults} {
			f.Reached[reachedFields[i]] = strconv.Itoa(n)
		}
	}
	f.Provs, f.Types, f.ReachedFields = enumOptions(r, domain.Province), enumOptions(r, domain.AwarenessType), reachedFields
	return f
}

// parseAwareness reads the form; the organiser is the visitor's agency.
func parseAwareness(r *http.Request) (*domain.Awareness, map[string]string, domain.Problems) {
	var pr domain.Problems
	v := r.PostForm
	a := &domain.Awareness{Type: v.Get("type"), Province: v.Get("province"), Agency: visitorFrom(r).p.Agency,
		Locality: strings.TrimSpace(v.Get("locality")), Partner: strings.TrimSpace(v.Get("partner")),
		Audience: strings.TrimSpace(v.Get("audience")), Materials: strings.TrimSpace(v.Get("materials")), Notes: strings.TrimSpace(v.Get("notes"))}
	a.Date = parseDay(&pr, "date", strings.TrimSpace(v.Get("date")))
	typed := map[string]string{}
	counts := []*int{&a.Reached.FemaleChildren, &a.Reached.FemaleAdults, &a.Reached.MaleChildren, &a.Reached.MaleAdults}
	for i, name := range reachedFields {
		typed[name] = strings.TrimSpace(v.Get(name))
		if n := formInt(&pr, v, name); n != nil {
			*counts[i] = *n
		}
	}
	if n, err := strconv.ParseInt(v.Get("version"), 10, 64); err == nil {
		a.Version = n
	}
	return a, typed, pr
}

func (s *site) newAwarenessPage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResAwareness, domain.ActCreate) {
		return
	}
	s.render(w, r, http.StatusOK, "prevention_awareness_form", "prevention.awareness.new", s.awarenessFormFor(r, nil))
}

// ownActivity loads an activity the visitor may change; another agency's
// is "not found", like a missing one.
func (s *site) ownActivity(r *http.Request) (*domain.Awareness, domain.PreventionService, error) {
	p := visitorFrom(r).p
	scope := p.Allowed(domain.ResAwareness, domain.ActUpdate)
	if scope == domain.ScopeNone {
		return nil, nil, domain.Errorf(domain.KindForbidden, "your role may not change awareness activities")
	}
	st, err := s.prevention()
	if err != nil {
		return nil, nil, err
	}
	a, err := st.Awareness(r.Context(), r.PathValue("id"))
	if err == nil && scope == domain.ScopeAgency && a.Agency != p.Agency {
		err = domain.Errorf(domain.KindNotFound, "awareness activity does not exist")
	}
	return a, st, err
}

func (s *site) editAwarenessPage(w http.ResponseWriter, r *http.Request) {
	a, _, err := s.ownActivity(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := s.awarenessFormFor(r, a)
	if visitorFrom(r).p.Allowed(domain.ResAwareness, domain.ActDelete) != domain.ScopeNone {
		f.DeleteAction = "/awareness/" + a.ID + "/delete"
	}
	s.render(w, r, http.StatusOK, "prevention_awareness_form", "prevention.awareness.edit", f)
}

// deleteAwareness is POST /awareness/{id}/delete (supervisors of the
// organiser agency); the version shown must still be the current one.
func (s *site) deleteAwareness(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResAwareness, domain.ActDelete) {
		return
	}
	a, st, err := s.ownActivity(r)
	if err == nil {
		v, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
		err = st.DeleteAwareness(r.Context(), a.ID, v)
	}
	if err != nil {
		s.failChange(w, r, err)
		return
	}
	redirect(w, "/awareness?saved=1")
}

func (s *site) createAwareness(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResAwareness, domain.ActCreate) {
		return
	}
	st, err := s.prevention()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, typed, pr := parseAwareness(r)
	err = pr.Err()
	if err == nil {
		err = st.CreateAwareness(r.Context(), a)
	}
	s.awarenessSaved(w, r, a, typed, err)
}

func (s *site) editAwareness(w http.ResponseWriter, r *http.Request) {
	cur, st, err := s.ownActivity(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, typed, pr := parseAwareness(r)
	a.ID, a.Agency = cur.ID, cur.Agency
	err = pr.Err()
	if err == nil {
		err = st.UpdateAwareness(r.Context(), a)
	}
	s.awarenessSaved(w, r, a, typed, err)
}

// awarenessSaved answers a save: back to the list, or the form again
// with what was typed and why it was refused (nothing saved).
func (s *site) awarenessSaved(w http.ResponseWriter, r *http.Request, a *domain.Awareness, typed map[string]string, err error) {
	if err == nil {
		redirect(w, "/awareness?saved=1")
		return
	}
	f := s.awarenessFormFor(r, a)
	f.Reached, f.Date = typed, r.PostForm.Get("date")
	switch domain.KindOf(err) {
	case domain.KindInvalid:
		f.Errors = fieldMessages(err)
		for k, v := range f.Errors {
			f.Errors[strings.TrimPrefix(k, "reached.")] = v
		}
		s.render(w, r, http.StatusUnprocessableEntity, "prevention_awareness_form", f.Title, f)
	case domain.KindConflict:
		f.Conflict = true
		s.render(w, r, http.StatusConflict, "prevention_awareness_form", f.Title, f)
	default:
		s.fail(w, r, err)
	}
}
