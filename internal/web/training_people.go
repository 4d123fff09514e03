// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"vigie/internal/domain"
	"vigie/internal/i18n"
	"vigie/internal/training"
)

type trainingSessionData struct {
	Session   *domain.TrainingSession
	People    []*domain.Attendance
	CanChange bool
	Trainers  []*domain.Trainee // people who may train this session
	Sexes     []option
	Roles     []option
	Provinces []option
	Form      domain.NewTraineeAttendance
	Errors    map[string]string
	// Flash is a message ID shown at the top (saved, conflict…).
	Flash, FlashError string
	Rejects           []domain.RowError
	Imported          int
}

// trainingSessionPage is GET /training/sessions/{id}.
func (s *site) trainingSessionPage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResTraining, domain.ActRead) {
		return
	}
	d := trainingSessionData{}
	switch r.URL.Query().Get("done") {
	case "added":
		d.Flash = "training.person.added"
	case "saved":
		d.Flash = "training.person.saved"
	case "imported":
		d.Flash = "training.import.done"
	case "removed":
		d.Flash = "training.person.removed"
	}
	s.renderTrainingSession(w, r, http.StatusOK, d)
}

func (s *site) renderTrainingSession(w http.ResponseWriter, r *http.Request, status int, d trainingSessionData) {
	sess, err := s.Training.TrainingSession(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	people, err := s.Training.Attendances(r.Context(), sess.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Session, d.People, d.CanChange = sess, people, mayTrain(r, domain.ActUpdate, sess.Organiser)
	if d.CanChange {
		if d.Trainers, err = s.Training.CertifiedTrainers(r.Context(), sess.StartDate); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	e := domain.NewAuditEntry(r.Context(), domain.AuditRead)
	e.Resource, e.RecordID, e.Detail = string(domain.ResTraining), sess.ID, map[string]any{"record": "attendance", "count": len(people)}
	if err := s.Audit.Audit(r.Context(), e); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Sexes, d.Roles, d.Provinces = trainingOptions(r, domain.TrainingSex), trainingOptions(r, domain.TrainingRole), trainingOptions(r, domain.Province)
	if d.Form.Attendance.Role == "" {
		d.Form.Attendance.Role, d.Form.Attendance.Attended = "Participant", true
	}
	s.render(w, r, status, "training_session", "training.session.title", d)
}

// personForm reads the add-a-person form.
func personForm(r *http.Request) (domain.NewTraineeAttendance, domain.Problems) {
	var p domain.Problems
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	n := domain.NewTraineeAttendance{TraineeID: f("trainee_id"), Trainee: domain.Trainee{FirstName: f("first_name"), LastName: f("last_name"),
		Sex: f("sex"), Ministry: f("ministry"), Function: f("function"), Province: f("province"), Phone: f("phone"), Email: f("email")}}
	n.Attendance = attendanceForm(r, &p)
	return n, p
}

func attendanceForm(r *http.Request, p *domain.Problems) domain.Attendance {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	a := domain.Attendance{Role: f("role"), Attended: f("attended") != "", Certified: f("certified") != "", CertifiedTrainer: f("certified_trainer") != ""}
	a.PreScore, a.PostScore = formScore(p, "pre_score", f("pre_score")), formScore(p, "post_score", f("post_score"))
	a.Version, _ = strconv.ParseInt(f("version"), 10, 64)
	return a
}

func formScore(p *domain.Problems, field, v string) *int {
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		p.Add(field, "validation.training_score", "is not a whole number")
		return nil
	}
	return &n
}

// trainingAddPerson is POST /training/sessions/{id}/participants.
func (s *site) trainingAddPerson(w http.ResponseWriter, r *http.Request) {
	sess := s.sessionToChange(w, r)
	if sess == nil {
		return
	}
	n, p := personForm(r)
	err := p.Err()
	if err == nil {
		_, err = s.Training.AddAttendance(r.Context(), sess.ID, &n)
	}
	if err == nil {
		redirect(w, "/training/sessions/"+sess.ID+"?done=added")
		return
	}
	d := trainingSessionData{Form: n, Errors: fieldMessages(err), FlashError: "error.invalid"}
	switch {
	case domain.KindOf(err) == domain.KindConflict:
		d.FlashError = "validation.training_duplicate_person"
		s.renderTrainingSession(w, r, http.StatusConflict, d)
	case d.Errors != nil:
		s.renderTrainingSession(w, r, http.StatusBadRequest, d)
	default:
		s.fail(w, r, err)
	}
}

// trainingUpdatePerson is POST /training/sessions/{id}/participants/{aid}:
// attendance, scores and certificates of one person.
func (s *site) trainingUpdatePerson(w http.ResponseWriter, r *http.Request) {
	sess := s.sessionToChange(w, r)
	if sess == nil {
		return
	}
	cur, err := s.Training.Attendance(r.Context(), sess.ID, r.PathValue("aid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var p domain.Problems
	a := attendanceForm(r, &p)
	a.ID, a.Session, a.Role = cur.ID, sess.ID, cur.Role
	err = p.Err()
	if err == nil {
		err = s.Training.UpdateAttendance(r.Context(), &a)
	}
	if err == nil {
		redirect(w, "/training/sessions/"+sess.ID+"?done=saved")
		return
	}
	s.personAnswer(w, r, sess, err)
}

// personAnswer shows the person page again after a refused change.
func (s *site) personAnswer(w http.ResponseWriter, r *http.Request, sess *domain.TrainingSession, err error) {
	d := trainingPersonData{Session: sess, FlashError: "error.invalid", Errors: fieldMessages(err)}
	status := http.StatusBadRequest
	switch {
	case domain.KindOf(err) == domain.KindConflict:
		d.FlashError, status = "error.conflict", http.StatusConflict
	case d.Errors == nil:
		s.fail(w, r, err)
		return
	}
	s.renderTrainingPerson(w, r, status, d)
}

type trainingPersonData struct {
	Session    *domain.TrainingSession
	Attendance *domain.Attendance
	Sexes      []option
	Provinces  []option
	Errors     map[string]string
	FlashError string
}

// trainingPersonPage is GET …/participants/{aid}: a person's attendance,
// scores, certificates and details, for those who may change them.
func (s *site) trainingPersonPage(w http.ResponseWriter, r *http.Request) {
	sess := s.sessionToChange(w, r)
	if sess == nil {
		return
	}
	s.renderTrainingPerson(w, r, http.StatusOK, trainingPersonData{Session: sess})
}

func (s *site) renderTrainingPerson(w http.ResponseWriter, r *http.Request, status int, d trainingPersonData) {
	a, err := s.Training.Attendance(r.Context(), d.Session.ID, r.PathValue("aid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Attendance, d.Sexes, d.Provinces = a, trainingOptions(r, domain.TrainingSex), trainingOptions(r, domain.Province)
	s.render(w, r, status, "training_person", "training.person.title", d)
}

// trainingCorrectPerson is POST …/participants/{aid}/person: corrects a
// person's name, ministry, contacts…
func (s *site) trainingCorrectPerson(w http.ResponseWriter, r *http.Request) {
	sess := s.sessionToChange(w, r)
	if sess == nil {
		return
	}
	a, err := s.Training.Attendance(r.Context(), sess.ID, r.PathValue("aid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, _ := personForm(r)
	p := n.Trainee
	p.ID = a.Trainee
	p.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err := s.Training.UpdateTrainee(r.Context(), &p); err != nil {
		s.personAnswer(w, r, sess, err)
		return
	}
	redirect(w, "/training/sessions/"+sess.ID+"?done=saved")
}

// trainingRemovePerson is POST …/participants/{aid}/delete: a person
// added by mistake leaves the session (their record stays).
func (s *site) trainingRemovePerson(w http.ResponseWriter, r *http.Request) {
	sess := s.sessionToChange(w, r)
	if sess == nil {
		return
	}
	v, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	err := s.Training.DeleteAttendance(r.Context(), sess.ID, r.PathValue("aid"), v)
	switch {
	case err == nil:
		redirect(w, "/training/sessions/"+sess.ID+"?done=removed")
	case domain.KindOf(err) == domain.KindConflict:
		s.renderTrainingSession(w, r, http.StatusConflict, trainingSessionData{FlashError: "error.conflict"})
	default:
		s.fail(w, r, err)
	}
}

// trainingImportTooLarge answers an upload past the limit with the
// session's page and the reason, for whoever may change the session.
func (s *site) trainingImportTooLarge(w http.ResponseWriter, r *http.Request) {
	if s.sessionToChange(w, r) == nil {
		return
	}
	s.renderTrainingSession(w, r, http.StatusRequestEntityTooLarge, trainingSessionData{FlashError: "training.import.too_large"})
}

// trainingImport is POST /training/sessions/{id}/import: a participant
// list as a file; all rows or none.
func (s *site) trainingImport(w http.ResponseWriter, r *http.Request) {
	sess := s.sessionToChange(w, r)
	if sess == nil {
		return
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.renderTrainingSession(w, r, http.StatusRequestEntityTooLarge, trainingSessionData{FlashError: "training.import.too_large"})
			return
		}
		s.renderTrainingSession(w, r, http.StatusBadRequest, trainingSessionData{FlashError: "training.import.no_file"})
		return
	}
	defer file.Close()
	rows, rejects, err := training.Parse(file, hdr.Filename)
	if err == nil && len(rejects) == 0 {
		list := make([]*domain.NewTraineeAttendance, len(rows))
		for i, row := range rows {
			list[i] = row.NewTraineeAttendance
		}
		err = s.Training.ImportAttendances(r.Context(), sess.ID, list)
		if domain.KindOf(err) == domain.KindInvalid && len(domain.FieldErrors(err)) > 0 {
			rejects, err = training.StoreRejects(rows, domain.FieldErrors(err)), nil
		}
	}
	switch {
	case err != nil && (domain.KindOf(err) == domain.KindInvalid || domain.KindOf(err) == domain.KindTooLarge):
		s.renderTrainingSession(w, r, http.StatusBadRequest, trainingSessionData{FlashError: "training.import.unreadable"})
	case err != nil:
		s.fail(w, r, err)
	case len(rejects) > 0:
		s.renderTrainingSession(w, r, http.StatusBadRequest, trainingSessionData{FlashError: "training.import.rejected", Rejects: rejects})
	default:
		redirect(w, "/training/sessions/"+sess.ID+"?done=imported")
	}
}

// trainingCertificate is GET …/participants/{aid}/certificate: the PDF.
func (s *site) trainingCertificate(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResTraining, domain.ActRead) {
		return
	}
	sess, err := s.Training.TrainingSession(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.Training.Attendance(r.Context(), sess.ID, r.PathValue("aid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b bytes.Buffer
	if err := training.Certificate(&b, i18n.For(langOf(r)), sess, a); err != nil {
		if domain.KindOf(err) == domain.KindConflict {
			s.render(w, r, http.StatusConflict, "error", "error.title", map[string]any{"Message": "training.certificate.not_certified", "Status": http.StatusConflict})
			return
		}
		s.fail(w, r, err)
		return
	}
	e := domain.NewAuditEntry(r.Context(), domain.AuditRead)
	e.Resource, e.RecordID, e.Detail = string(domain.ResTraining), a.ID, map[string]any{"record": "certificate", "session": sess.ID}
	if err := s.Audit.Audit(r.Context(), e); err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="certificat-%s.pdf"`, a.ID))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(b.Bytes())
}

type cascadeData struct {
	Cascade    *domain.Cascade
	Multiplier string
}

// trainingCascadePage is GET /training/sessions/{id}/cascade: the tree as
// nested lists, and its reach.
func (s *site) trainingCascadePage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResTraining, domain.ActRead) {
		return
	}
	c, err := s.Training.TrainingCascade(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m := strconv.FormatFloat(c.Multiplier, 'f', 1, 64)
	if langOf(r) == i18n.FR {
		m = strings.Replace(m, ".", ",", 1)
	}
	s.render(w, r, http.StatusOK, "training_cascade", "training.cascade.title", cascadeData{Cascade: c, Multiplier: m})
}
