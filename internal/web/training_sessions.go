// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

const trainingPage = 50

type trainingListData struct {
	Sessions  []*domain.TrainingSession
	Total     int
	Filter    url.Values
	Provinces []option
	CanCreate bool
	Next      string // the next page's query, if any
	Errors    map[string]string
}

// trainingOptions lists an enum's values with their labels, in order.
func trainingOptions(r *http.Request, e *domain.Enum) []option {
	l := i18n.For(langOf(r))
	out := make([]option, 0, len(e.Values))
	for _, v := range e.Values {
		out = append(out, option{v, l.Enum(e.Field, v)})
	}
	return out
}

// trainingList is GET /training: the sessions, filtered by period,
// province and ministry of the participants.
func (s *site) trainingList(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResTraining, domain.ActList) {
		return
	}
	q := r.URL.Query()
	var p domain.Problems
	f := domain.TrainingFilter{From: parseDay(&p, "from", q.Get("from")), To: parseDay(&p, "to", q.Get("to")),
		Province: q.Get("province"), Ministry: strings.TrimSpace(q.Get("ministry")), Limit: trainingPage}
	if f.Province != "" && !domain.ValidProvince(f.Province) {
		p.Add("province", "validation.enum", "unknown province")
	}
	f.Offset, _ = strconv.Atoi(q.Get("offset"))
	f.Offset = max(0, min(f.Offset, 1_000_000))
	d := trainingListData{Filter: q, Provinces: trainingOptions(r, domain.Province), CanCreate: mayTrain(r, domain.ActCreate, ""),
		Errors: fieldMessages(p.Err())}
	status := http.StatusOK
	if len(p) == 0 {
		list, total, err := s.Training.TrainingSessions(r.Context(), f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Sessions, d.Total = list, total
		if f.Offset+len(list) < total {
			next := url.Values{}
			for k, v := range q {
				next[k] = v
			}
			next.Set("offset", strconv.Itoa(f.Offset+trainingPage))
			d.Next = next.Encode()
		}
	} else {
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "training_sessions", "training.sessions.title", d)
}

type trainingFormData struct {
	Form        domain.TrainingSession
	New         bool
	Curricula   []*domain.Curriculum
	Agencies    []*domain.Agency
	Provinces   []option
	Formats     []option
	Errors      map[string]string
	Conflict    bool
	Action      string
	StartString string
	EndString   string
}

func (s *site) renderTrainingForm(w http.ResponseWriter, r *http.Request, status int, d trainingFormData) {
	cur, err := s.Training.Curricula(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ags, err := s.Agencies.Agencies(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := visitorFrom(r).p
	for _, a := range ags {
		if p.Allowed(domain.ResTraining, domain.ActCreate) == domain.ScopeAll || a.Code == p.Agency {
			d.Agencies = append(d.Agencies, a)
		}
	}
	d.Curricula, d.Provinces, d.Formats = cur, trainingOptions(r, domain.Province), trainingOptions(r, domain.TrainingFormat)
	if d.StartString == "" {
		d.StartString = d.Form.StartDate.String()
	}
	if d.EndString == "" {
		d.EndString = d.Form.EndDate.String()
	}
	title := "training.session.edit"
	if d.New {
		title = "training.session.new"
	}
	s.render(w, r, status, "training_session_form", title, d)
}

// trainingNew is GET /training/sessions/new.
func (s *site) trainingNew(w http.ResponseWriter, r *http.Request) {
	if !mayTrain(r, domain.ActCreate, "") {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	s.renderTrainingForm(w, r, http.StatusOK, trainingFormData{New: true, Action: "/training/sessions",
		Form: domain.TrainingSession{Organiser: visitorFrom(r).p.Agency, Format: "InPerson"}})
}

// sessionForm reads the session form.
func sessionForm(r *http.Request) (domain.TrainingSession, domain.Problems, string, string) {
	var p domain.Problems
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	s := domain.TrainingSession{Title: f("title"), Curriculum: f("curriculum"), Place: f("place"), Province: f("province"),
		Organiser: f("organiser"), FundingPartner: f("funding_partner"), Format: f("format")}
	s.StartDate, s.EndDate = parseDay(&p, "start_date", f("start_date")), parseDay(&p, "end_date", f("end_date"))
	s.Version, _ = strconv.ParseInt(f("version"), 10, 64)
	return s, p, f("start_date"), f("end_date")
}

// trainingCreate is POST /training/sessions.
func (s *site) trainingCreate(w http.ResponseWriter, r *http.Request) {
	sess, p, start, end := sessionForm(r)
	if !mayTrain(r, domain.ActCreate, "") {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	err := p.Err()
	if err == nil && !mayTrain(r, domain.ActCreate, sess.Organiser) {
		err = (&domain.Problems{{Field: "organiser", Code: "validation.forbidden_agency"}}).Err()
	}
	if err == nil {
		sess.Meta = domain.Meta{}
		err = s.Training.CreateTrainingSession(r.Context(), &sess)
	}
	if err == nil {
		redirect(w, "/training/sessions/"+sess.ID)
		return
	}
	msgs := fieldMessages(err)
	if msgs == nil {
		s.fail(w, r, err)
		return
	}
	s.renderTrainingForm(w, r, http.StatusBadRequest, trainingFormData{New: true, Action: "/training/sessions", Form: sess, Errors: msgs, StartString: start, EndString: end})
}

// sessionToChange reads the session of the path; it answers and returns
// nil when it does not exist or the visitor may not change it.
func (s *site) sessionToChange(w http.ResponseWriter, r *http.Request) *domain.TrainingSession {
	if !s.allowed(w, r, domain.ResTraining, domain.ActRead) {
		return nil
	}
	sess, err := s.Training.TrainingSession(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return nil
	}
	if !mayTrain(r, domain.ActUpdate, sess.Organiser) {
		s.errorPage(w, r, http.StatusForbidden)
		return nil
	}
	return sess
}

// trainingEdit is GET /training/sessions/{id}/edit.
func (s *site) trainingEdit(w http.ResponseWriter, r *http.Request) {
	sess := s.sessionToChange(w, r)
	if sess == nil {
		return
	}
	s.renderTrainingForm(w, r, http.StatusOK, trainingFormData{Action: "/training/sessions/" + sess.ID + "/edit", Form: *sess})
}

// trainingUpdate is POST /training/sessions/{id}/edit; a stale version
// answers 409 with the form as typed.
func (s *site) trainingUpdate(w http.ResponseWriter, r *http.Request) {
	cur := s.sessionToChange(w, r)
	if cur == nil {
		return
	}
	sess, p, start, end := sessionForm(r)
	sess.ID = cur.ID
	err := p.Err()
	if err == nil && !mayTrain(r, domain.ActUpdate, sess.Organiser) {
		err = (&domain.Problems{{Field: "organiser", Code: "validation.forbidden_agency"}}).Err()
	}
	if err == nil {
		err = s.Training.UpdateTrainingSession(r.Context(), &sess)
	}
	if err == nil {
		redirect(w, "/training/sessions/"+sess.ID)
		return
	}
	d := trainingFormData{Action: "/training/sessions/" + cur.ID + "/edit", Form: sess, StartString: start, EndString: end}
	switch {
	case domain.KindOf(err) == domain.KindConflict:
		// The form keeps what was typed, on the current version: saving
		// again applies it over the other change, knowingly.
		d.Conflict, d.Form.Version = true, cur.Version
		s.renderTrainingForm(w, r, http.StatusConflict, d)
	case fieldMessages(err) != nil:
		d.Errors = fieldMessages(err)
		s.renderTrainingForm(w, r, http.StatusBadRequest, d)
	default:
		s.fail(w, r, err)
	}
}
