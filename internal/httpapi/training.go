// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"vigie/internal/domain"
	"vigie/internal/i18n"
	"vigie/internal/training"
)

// The training of officials: curricula, sessions, the people trained and
// their trainers, certificates, the training-of-trainers cascade and the
// figures of officials trained.
func init() {
	addArea([]route{
		{"GET", "/api/v1/training/curricula", signedIn, (*api).listCurricula},
		{"POST", "/api/v1/training/curricula", signedIn, (*api).createCurriculum},
		{"GET", "/api/v1/training/sessions", signedIn, (*api).listTrainingSessions},
		{"POST", "/api/v1/training/sessions", signedIn, (*api).createTrainingSession},
		{"GET", "/api/v1/training/sessions/{id}", signedIn, (*api).getTrainingSession},
		{"PUT", "/api/v1/training/sessions/{id}", signedIn, (*api).updateTrainingSession},
		{"GET", "/api/v1/training/sessions/{id}/cascade", signedIn, (*api).trainingCascade},
		{"GET", "/api/v1/training/sessions/{id}/attendance", signedIn, (*api).listAttendance},
		{"POST", "/api/v1/training/sessions/{id}/attendance", signedIn, (*api).addAttendance},
		{"POST", "/api/v1/training/sessions/{id}/import", signedIn, (*api).importAttendance},
		{"PUT", "/api/v1/training/sessions/{id}/attendance/{aid}", signedIn, (*api).updateAttendance},
		{"DELETE", "/api/v1/training/sessions/{id}/attendance/{aid}", signedIn, (*api).deleteAttendance},
		{"PUT", "/api/v1/training/sessions/{id}/attendance/{aid}/person", signedIn, (*api).updateTrainee},
		{"GET", "/api/v1/training/sessions/{id}/attendance/{aid}/certificate", signedIn, (*api).certificate},
		{"GET", "/api/v1/training/summary", signedIn, (*api).trainingSummary},
	}, map[string]operation{
		"GET /api/v1/training/curricula":  {"List training curricula and their modules", "", map[int]string{200: "CurriculumList"}, nil},
		"POST /api/v1/training/curricula": {"Create a curriculum (coordinators: curricula are national)", "Curriculum", map[int]string{201: "Curriculum", 403: "Problem", 409: "Problem", 422: "Problem"}, nil},
		"GET /api/v1/training/sessions": {"List training sessions, newest first, with the total: filters by period of the start date (from, to), province (ISO 3166-2:CD), ministry of a participant, organiser agency and curriculum",
			"", map[int]string{200: "TrainingSessionPage", 422: "Problem"}, trainingListParams},
		"POST /api/v1/training/sessions":     {"Create a session; a supervisor only for their own agency as organiser", "TrainingSession", map[int]string{201: "TrainingSession", 422: "Problem"}, nil},
		"GET /api/v1/training/sessions/{id}": {"Read a session with its numbers of participants and trainers", "", map[int]string{200: "TrainingSession", 404: "Problem"}, nil},
		"PUT /api/v1/training/sessions/{id}": {"Replace a session; needs the edited version (body or If-Match)", "TrainingSession", map[int]string{200: "TrainingSession", 404: "Problem", 409: "Problem", 422: "Problem"}, nil},
		"GET /api/v1/training/sessions/{id}/cascade": {"The training-of-trainers cascade of a session: the later sessions trained by people certified as trainers in it, recursively, and its reach (officials trained by ministry and province, depth, multiplier)",
			"", map[int]string{200: "Cascade", 404: "Problem"}, nil},
		"GET /api/v1/training/sessions/{id}/attendance":  {"The participants and trainers of a session, with scores and certificates (names of officials: audited as a read)", "", map[int]string{200: "AttendanceList", 404: "Problem"}, nil},
		"POST /api/v1/training/sessions/{id}/attendance": {"Add a person to a session: a new official, or an existing one by trainee_id (a trainer certified in an earlier session makes this session part of that session's cascade)", "NewTraineeAttendance", map[int]string{201: "Attendance", 404: "Problem", 409: "Problem", 422: "Problem"}, nil},
		"POST /api/v1/training/sessions/{id}/import": {"Import a participant list: the raw CSV (UTF-8, comma or semicolon) or XLSX file as the body, headers in French or English. All rows or none: any rejected row answers 422 with every rejected row (row, column, value, reason) in rejects",
			rawFile, map[int]string{201: "ImportCount", 404: "Problem", 413: "Problem", 422: "ImportProblem"}, []string{"name"}},
		"PUT /api/v1/training/sessions/{id}/attendance/{aid}":             {"Change a person's attendance, scores and certificates; needs the edited version", "Attendance", map[int]string{200: "Attendance", 404: "Problem", 409: "Problem", 422: "Problem"}, nil},
		"DELETE /api/v1/training/sessions/{id}/attendance/{aid}":          {"Remove a person added to a session by mistake; needs its version (?version= or If-Match); the person stays on record", "", map[int]string{204: "", 404: "Problem", 409: "Problem", 422: "Problem"}, []string{"version"}},
		"PUT /api/v1/training/sessions/{id}/attendance/{aid}/person":      {"Correct the details of a person of the session (name, sex, ministry, function, province, contacts); needs the person's edited version", "Trainee", map[int]string{200: "Trainee", 404: "Problem", 409: "Problem", 422: "Problem"}, nil},
		"GET /api/v1/training/sessions/{id}/attendance/{aid}/certificate": {"The certificate of a certified participant as PDF (409 when not certified); audited", "", map[int]string{200: rawFile, 404: "Problem", 409: "Problem"}, []string{"lang"}},
		"GET /api/v1/training/summary": {"Officials trained (participants who attended sessions starting within from–to) by ministry, province and sex", "",
			map[int]string{200: "TrainingSummary", 422: "Problem"}, []string{"from", "to"}},
	})
	schemaTypes["Curriculum"] = reflect.TypeFor[domain.Curriculum]()
	schemaTypes["CurriculumList"] = reflect.TypeFor[curriculumList]()
	schemaTypes["TrainingSession"] = reflect.TypeFor[domain.TrainingSession]()
	schemaTypes["TrainingSessionPage"] = reflect.TypeFor[trainingSessionPage]()
	schemaTypes["Attendance"] = reflect.TypeFor[domain.Attendance]()
	schemaTypes["AttendanceList"] = reflect.TypeFor[attendanceList]()
	schemaTypes["NewTraineeAttendance"] = reflect.TypeFor[domain.NewTraineeAttendance]()
	schemaTypes["Cascade"] = reflect.TypeFor[domain.Cascade]()
	schemaTypes["Trainee"] = reflect.TypeFor[domain.Trainee]()
	schemaTypes["CascadeNode"] = reflect.TypeFor[domain.CascadeNode]()
	schemaTypes["TrainingSummary"] = reflect.TypeFor[domain.TrainingSummary]()
	schemaTypes["ImportCount"] = reflect.TypeFor[importCount]()
	schemaTypes["ImportProblem"] = reflect.TypeFor[importProblem]()
}

type curriculumList struct {
	Items []*domain.Curriculum `json:"items"`
}

type trainingSessionPage struct {
	Items []*domain.TrainingSession `json:"items"`
	Total int                       `json:"total"`
}

type attendanceList struct {
	Items []*domain.Attendance `json:"items"`
}

type importCount struct {
	Imported int `json:"imported"`
}

var trainingListParams = []string{"from", "to", "province", "ministry", "organiser", "curriculum", "limit", "offset"}

func (a *api) listCurricula(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResTraining, domain.ActList); err != nil {
		return err
	}
	list, err := a.Training.Curricula(r.Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []*domain.Curriculum{}
	}
	writeJSON(w, http.StatusOK, curriculumList{list})
	return nil
}

func (a *api) createCurriculum(w http.ResponseWriter, r *http.Request) error {
	if s, err := requireScope(r, domain.ResTraining, domain.ActCreate); err != nil {
		return err
	} else if s != domain.ScopeAll {
		return domain.Errorf(domain.KindForbidden, "curricula are national: the national committee (coordinators) creates them")
	}
	var c domain.Curriculum
	if err := decodeJSON(w, r, &c); err != nil {
		return err
	}
	c.Meta = domain.Meta{}
	if err := a.Training.CreateCurriculum(r.Context(), &c); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, &c)
	return nil
}

// parseTrainingFilter reads the list filter; unknown and repeated
// parameters are errors.
func parseTrainingFilter(q url.Values) (domain.TrainingFilter, error) {
	var (
		f domain.TrainingFilter
		p domain.Problems
	)
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch {
		case !slices.Contains(trainingListParams, k):
			p.Add(k, "validation.unknown_parameter", "is not a filter of this list; known: %s", strings.Join(trainingListParams, ", "))
		case len(q[k]) > 1:
			p.Add(k, "validation.repeated_parameter", "is given %d times; give it once", len(q[k]))
		}
	}
	f.From, f.To = trainingDate(&p, q, "from"), trainingDate(&p, q, "to")
	f.Province, f.Ministry = strings.TrimSpace(q.Get("province")), strings.TrimSpace(q.Get("ministry"))
	f.Organiser, f.Curriculum = strings.TrimSpace(q.Get("organiser")), strings.TrimSpace(q.Get("curriculum"))
	if f.Province != "" && !domain.ValidProvince(f.Province) {
		p.Add("province", "validation.enum", "%q is not a province code (ISO 3166-2:CD, e.g. CD-KN)", f.Province)
	}
	for k, dst := range map[string]*int{"limit": &f.Limit, "offset": &f.Offset} {
		if s := q.Get(k); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 || n > 1_000_000 {
				p.Add(k, "validation.integer", "%q is not a positive whole number", s)
			}
			*dst = n
		}
	}
	return f, p.Err()
}

func trainingDate(p *domain.Problems, q url.Values, k string) domain.Date {
	d, err := domain.ParseDate(strings.TrimSpace(q.Get(k)))
	if err != nil {
		p.Add(k, "validation.date_format", "%q is not a date in the form YYYY-MM-DD", q.Get(k))
	}
	return d
}

func (a *api) listTrainingSessions(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResTraining, domain.ActList); err != nil {
		return err
	}
	f, err := parseTrainingFilter(r.URL.Query())
	if err != nil {
		return err
	}
	list, total, err := a.Training.TrainingSessions(r.Context(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*domain.TrainingSession{}
	}
	writeJSON(w, http.StatusOK, trainingSessionPage{list, total})
	return nil
}

// mayChangeSession checks that the caller may act on a session organised
// by agency (a code): everywhere, or for their own agency only.
func mayChangeSession(r *http.Request, act domain.Action, agency string) error {
	s, err := requireScope(r, domain.ResTraining, act)
	if err != nil {
		return err
	}
	if s == domain.ScopeAgency && agency != principal(r).Agency {
		return domain.Errorf(domain.KindForbidden, "you may change only the sessions your agency (%s) organises", principal(r).Agency)
	}
	return nil
}

func (a *api) createTrainingSession(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResTraining, domain.ActCreate); err != nil {
		return err
	}
	var s domain.TrainingSession
	if err := decodeJSON(w, r, &s); err != nil {
		return err
	}
	s.Meta = domain.Meta{}
	if s.Organiser == "" {
		s.Organiser = principal(r).Agency
	}
	if err := mayChangeSession(r, domain.ActCreate, s.Organiser); err != nil {
		return fieldError("organiser", "validation.forbidden_agency", "you may organise sessions only for your agency ("+principal(r).Agency+")")
	}
	if err := a.Training.CreateTrainingSession(r.Context(), &s); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/training/sessions/"+s.ID)
	writeJSON(w, http.StatusCreated, &s)
	return nil
}

func (a *api) getTrainingSession(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResTraining, domain.ActRead); err != nil {
		return err
	}
	s, err := a.Training.TrainingSession(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(s.Version))
	writeJSON(w, http.StatusOK, s)
	return nil
}

// sessionToChange reads the session of the path and checks that the
// caller may change it.
func (a *api) sessionToChange(r *http.Request) (*domain.TrainingSession, error) {
	if _, err := requireScope(r, domain.ResTraining, domain.ActUpdate); err != nil {
		return nil, err
	}
	cur, err := a.Training.TrainingSession(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return cur, mayChangeSession(r, domain.ActUpdate, cur.Organiser)
}

func (a *api) updateTrainingSession(w http.ResponseWriter, r *http.Request) error {
	cur, err := a.sessionToChange(r)
	if err != nil {
		return err
	}
	var s domain.TrainingSession
	if err := decodeJSON(w, r, &s); err != nil {
		return err
	}
	v, err := expectedVersion(r, s.Version)
	if err != nil {
		return err
	}
	s.Meta = domain.Meta{ID: cur.ID, Version: v}
	if s.Organiser == "" {
		s.Organiser = cur.Organiser
	}
	if err := mayChangeSession(r, domain.ActUpdate, s.Organiser); err != nil {
		return fieldError("organiser", "validation.forbidden_agency", "you may organise sessions only for your agency ("+principal(r).Agency+")")
	}
	if err := a.Training.UpdateTrainingSession(r.Context(), &s); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(s.Version))
	writeJSON(w, http.StatusOK, &s)
	return nil
}

func (a *api) trainingCascade(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResTraining, domain.ActRead); err != nil {
		return err
	}
	c, err := a.Training.TrainingCascade(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// auditTrainingRead records that officials' names were shown.
func (a *api) auditTrainingRead(r *http.Request, record, id string, detail map[string]any) error {
	e := domain.NewAuditEntry(r.Context(), domain.AuditRead)
	e.Resource, e.RecordID, e.Detail = string(domain.ResTraining), id, detail
	e.Detail["record"] = record
	return a.Audit.Audit(r.Context(), e)
}

func (a *api) listAttendance(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResTraining, domain.ActRead); err != nil {
		return err
	}
	list, err := a.Training.Attendances(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if list == nil {
		list = []*domain.Attendance{}
	}
	if err := a.auditTrainingRead(r, "attendance", r.PathValue("id"), map[string]any{"count": len(list)}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, attendanceList{list})
	return nil
}

func (a *api) addAttendance(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.sessionToChange(r); err != nil {
		return err
	}
	var n domain.NewTraineeAttendance
	if err := decodeJSON(w, r, &n); err != nil {
		return err
	}
	got, err := a.Training.AddAttendance(r.Context(), r.PathValue("id"), &n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, got)
	return nil
}

func (a *api) updateAttendance(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.sessionToChange(r); err != nil {
		return err
	}
	if _, err := a.Training.Attendance(r.Context(), r.PathValue("id"), r.PathValue("aid")); err != nil {
		return err
	}
	var at domain.Attendance
	if err := decodeJSON(w, r, &at); err != nil {
		return err
	}
	v, err := expectedVersion(r, at.Version)
	if err != nil {
		return err
	}
	at.Meta = domain.Meta{ID: r.PathValue("aid"), Version: v}
	at.Session, at.Person = r.PathValue("id"), nil
	if err := a.Training.UpdateAttendance(r.Context(), &at); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, &at)
	return nil
}

// importProblem is the answer to a file with rejected rows.
type importProblem struct {
	Problem
	Rejects []domain.RowError `json:"rejects"`
}

func (a *api) importAttendance(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.sessionToChange(r); err != nil {
		return err
	}
	body := http.MaxBytesReader(w, r.Body, training.MaxFileBytes)
	rows, rejects, err := training.Parse(body, r.URL.Query().Get("name"))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return domain.Errorf(domain.KindTooLarge, "the file is over %d MiB", training.MaxFileBytes>>20)
		}
		return err
	}
	if len(rejects) == 0 {
		list := make([]*domain.NewTraineeAttendance, len(rows))
		for i, row := range rows {
			list[i] = row.NewTraineeAttendance
		}
		err := a.Training.ImportAttendances(r.Context(), r.PathValue("id"), list)
		if domain.KindOf(err) == domain.KindInvalid && len(domain.FieldErrors(err)) > 0 {
			rejects = training.StoreRejects(rows, domain.FieldErrors(err))
		} else if err != nil {
			return err
		}
	}
	if len(rejects) > 0 {
		p := importProblem{Problem: Problem{Type: "https://vigie.invalid/problems/" + string(domain.KindInvalid), Title: titles[domain.KindInvalid],
			Status: http.StatusUnprocessableEntity, Detail: strconv.Itoa(len(rejects)) + " rows rejected; nothing was imported"}, Rejects: rejects}
		b, err := json.Marshal(p)
		if err != nil {
			return domain.Wrap(domain.KindInternal, err, "encoding the rejected rows")
		}
		w.Header().Set("Content-Type", "application/problem+json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = w.Write(append(b, '\n'))
		return nil
	}
	writeJSON(w, http.StatusCreated, importCount{len(rows)})
	return nil
}

func (a *api) certificate(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResTraining, domain.ActRead); err != nil {
		return err
	}
	s, err := a.Training.TrainingSession(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	at, err := a.Training.Attendance(r.Context(), s.ID, r.PathValue("aid"))
	if err != nil {
		return err
	}
	lang, ok := i18n.Parse(r.URL.Query().Get("lang"))
	if !ok {
		lang = i18n.FromAcceptLanguage(r.Header.Get("Accept-Language"))
	}
	var b bytes.Buffer
	if err := training.Certificate(&b, i18n.For(lang), s, at); err != nil {
		return err
	}
	if err := a.auditTrainingRead(r, "certificate", at.ID, map[string]any{"session": s.ID}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="certificat-`+at.ID+`.pdf"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(b.Bytes())
	return nil
}

func (a *api) trainingSummary(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResTraining, domain.ActList); err != nil {
		return err
	}
	var p domain.Problems
	q := r.URL.Query()
	for k := range q {
		if k != "from" && k != "to" {
			p.Add(k, "validation.unknown_parameter", "is not a parameter of the summary; known: from, to")
		}
	}
	from, to := trainingDate(&p, q, "from"), trainingDate(&p, q, "to")
	if err := p.Err(); err != nil {
		return err
	}
	s, err := a.Training.TrainingSummary(r.Context(), from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s)
	return nil
}

func (a *api) deleteAttendance(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.sessionToChange(r); err != nil {
		return err
	}
	v, err := deleteVersion(r)
	if err != nil {
		return err
	}
	if err := a.Training.DeleteAttendance(r.Context(), r.PathValue("id"), r.PathValue("aid"), v); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *api) updateTrainee(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.sessionToChange(r); err != nil {
		return err
	}
	at, err := a.Training.Attendance(r.Context(), r.PathValue("id"), r.PathValue("aid"))
	if err != nil {
		return err
	}
	var p domain.Trainee
	if err := decodeJSON(w, r, &p); err != nil {
		return err
	}
	v, err := expectedVersion(r, p.Version)
	if err != nil {
		return err
	}
	p.Meta = domain.Meta{ID: at.Trainee, Version: v}
	if err := a.Training.UpdateTrainee(r.Context(), &p); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, &p)
	return nil
}
