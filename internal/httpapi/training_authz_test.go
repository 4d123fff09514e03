// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// The training area's lines of the authorisation matrix. Every case role
// reads training records of every agency; coordinators (the national
// committee) change them everywhere, supervisors only those of sessions
// their agency organises; admins nothing. Curricula are national:
// coordinators only.

// trainingFixture is each matrix fixture's training records: a
// curriculum and, per agency, a session with a certified participant.
type trainingFixture struct {
	session    map[string]string // agency → session ID
	attendance map[string]string // agency → a certified participant's attendance
	name       map[string]string // agency → that participant's first name
}

var (
	trainingMu       sync.Mutex
	trainingFixtures = map[*matrixFixture]*trainingFixture{}
)

const matrixCurriculum = "MTX1"

func (f *matrixFixture) training(t *testing.T) *trainingFixture {
	trainingMu.Lock()
	defer trainingMu.Unlock()
	if tf := trainingFixtures[f]; tf != nil {
		return tf
	}
	ctx := context.Background()
	if err := f.db.CreateCurriculum(ctx, &domain.Curriculum{Code: matrixCurriculum, Title: "Identification des victimes"}); err != nil {
		t.Fatal(err)
	}
	tf := &trainingFixture{session: map[string]string{}, attendance: map[string]string{}, name: map[string]string{}}
	for _, code := range []string{"KIN", "GOM"} {
		s := newMatrixSession(t, f.db, code)
		tf.session[code] = s
		tf.name[code] = "Formé" + code
		tf.attendance[code] = newMatrixAttendance(t, f.db, s, tf.name[code])
	}
	trainingFixtures[f] = tf
	return tf
}

func newMatrixSession(t *testing.T, db *sqlstore.DB, agency string) string {
	t.Helper()
	s := &domain.TrainingSession{Title: "Atelier " + agency, Curriculum: matrixCurriculum, StartDate: domain.NewDate(2026, 2, 10), Place: "Gombe",
		Province: "CD-KN", Organiser: agency, Format: "InPerson"}
	if err := db.CreateTrainingSession(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s.ID
}

func newMatrixAttendance(t *testing.T, db *sqlstore.DB, session, name string) string {
	t.Helper()
	post := 80
	a, err := db.AddAttendance(context.Background(), session, &domain.NewTraineeAttendance{
		Trainee:    domain.Trainee{FirstName: name, LastName: "Matrice", Sex: "Female", Ministry: "Justice"},
		Attendance: domain.Attendance{Role: "Participant", Attended: true, PostScore: &post, Certified: true}})
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// sessionOf is the session a cell acts on: a new one when the cell is to
// change it, else the shared one of the target agency.
func (x *cell) sessionOf(fresh bool) string {
	if fresh && x.succeeds() {
		return newMatrixSession(x.t, x.f.db, x.target())
	}
	return x.f.training(x.t).session[x.target()]
}

func init() {
	matrixAreas = append(matrixAreas, func() []*entry {
		read := want{cw: 200, sup: 200, jus: 200, coord: 200, admin: 403, ro: 200}
		keepIn := want{cw: 403, sup: 200, jus: 403, coord: 200, admin: 403, ro: 403}
		keepOut := want{cw: 403, sup: 403, jus: 403, coord: 200, admin: 403, ro: 403}
		addIn := want{cw: 403, sup: 201, jus: 403, coord: 201, admin: 403, ro: 403}
		addOut := want{cw: 403, sup: 403, jus: 403, coord: 201, admin: 403, ro: 403}
		onSession := func(fresh bool, body string, rest ...string) func(x *cell) request {
			return func(x *cell) request {
				id := x.sessionOf(fresh)
				return request{path: x.fill(append([]string{"{id}", id}, rest...)...), body: body, ref: id}
			}
		}
		attendanceBody := func(x *cell) string {
			return fmt.Sprintf(`{"first_name":"Participant%d","last_name":"Matrice","sex":"Male","ministry":"PNC","attendance":{"role":"Participant","attended":true}}`, x.f.next())
		}
		return []*entry{
			{method: "GET", pattern: "/api/v1/training/curricula", in: read,
				check: func(x *cell, status int, body []byte) {
					if status == 200 && !strings.Contains(string(body), matrixCurriculum) {
						x.t.Errorf("the list lacks %s: %s", matrixCurriculum, body)
					}
				},
				req: func(x *cell) request { x.f.training(x.t); return request{path: x.e.pattern} }},
			{method: "POST", pattern: "/api/v1/training/curricula", in: want{cw: 403, sup: 403, jus: 403, coord: 201, admin: 403, ro: 403},
				req: func(x *cell) request {
					return request{path: x.e.pattern, body: fmt.Sprintf(`{"code":"C%d","title":"Cursus national"}`, x.f.next())}
				}},
			{method: "GET", pattern: "/api/v1/training/sessions", in: read,
				req: func(x *cell) request { x.f.training(x.t); return request{path: x.e.pattern + "?province=CD-KN"} },
				check: func(x *cell, status int, body []byte) {
					tf := x.f.training(x.t)
					if status == 200 && (!strings.Contains(string(body), tf.session["KIN"]) || !strings.Contains(string(body), tf.session["GOM"])) {
						x.t.Errorf("the list lacks a session: %s", body)
					}
				}},
			{method: "POST", pattern: "/api/v1/training/sessions",
				in:  addIn,
				out: want{cw: 403, sup: 422, jus: 403, coord: 201, admin: 403, ro: 403},
				req: func(x *cell) request {
					return request{path: x.e.pattern, body: fmt.Sprintf(`{"title":"Atelier","curriculum":%q,"start_date":"2026-04-01","place":"Goma","province":"CD-NK","organiser":%q,"format":"Mixed"}`,
						matrixCurriculum, x.target())}
				}},
			{method: "GET", pattern: "/api/v1/training/sessions/{id}", in: read, out: read, req: onSession(false, "")},
			{method: "PUT", pattern: "/api/v1/training/sessions/{id}", in: keepIn, out: keepOut,
				req: onSession(true, `{"version":1,"title":"Atelier modifié","curriculum":"MTX1","start_date":"2026-02-10","place":"Gombe","province":"CD-KN","format":"InPerson"}`)},
			{method: "GET", pattern: "/api/v1/training/sessions/{id}/cascade", in: read, out: read, req: onSession(false, "")},
			{method: "GET", pattern: "/api/v1/training/sessions/{id}/attendance", in: read, out: read, req: onSession(false, ""),
				check: func(x *cell, status int, body []byte) {
					if status == 200 && !strings.Contains(string(body), x.f.training(x.t).name[x.target()]) {
						x.t.Errorf("the list lacks the participant: %s", body)
					}
				}},
			{method: "POST", pattern: "/api/v1/training/sessions/{id}/attendance", in: addIn, out: addOut,
				req: func(x *cell) request { r := onSession(false, "")(x); r.body = attendanceBody(x); return r }},
			{method: "POST", pattern: "/api/v1/training/sessions/{id}/import", in: addIn, out: addOut,
				req: func(x *cell) request {
					r := onSession(false, "")(x)
					r.path += "?name=liste.csv"
					r.body = fmt.Sprintf("prénom;nom;sexe;ministère\nImport%d;Matrice;F;DGM\n", x.f.next())
					r.header = map[string]string{"Content-Type": "text/csv"}
					return r
				}},
			{method: "PUT", pattern: "/api/v1/training/sessions/{id}/attendance/{aid}", in: keepIn, out: keepOut,
				req: func(x *cell) request {
					tf := x.f.training(x.t)
					id, aid := tf.session[x.target()], tf.attendance[x.target()]
					if x.succeeds() {
						id = newMatrixSession(x.t, x.f.db, x.target())
						aid = newMatrixAttendance(x.t, x.f.db, id, "Nouveau")
					}
					return request{path: x.fill("{id}", id, "{aid}", aid), ref: id,
						body: `{"version":1,"role":"Participant","attended":true,"post_score":90,"certified":true}`}
				}},
			{method: "DELETE", pattern: "/api/v1/training/sessions/{id}/attendance/{aid}",
				in:  want{cw: 403, sup: 204, jus: 403, coord: 204, admin: 403, ro: 403},
				out: want{cw: 403, sup: 403, jus: 403, coord: 204, admin: 403, ro: 403},
				req: func(x *cell) request {
					tf := x.f.training(x.t)
					id, aid := tf.session[x.target()], tf.attendance[x.target()]
					if x.succeeds() {
						id = newMatrixSession(x.t, x.f.db, x.target())
						aid = newMatrixAttendance(x.t, x.f.db, id, "Retiré")
					}
					return request{path: x.fill("{id}", id, "{aid}", aid) + "?version=1", ref: id}
				}},
			{method: "PUT", pattern: "/api/v1/training/sessions/{id}/attendance/{aid}/person", in: keepIn, out: keepOut,
				req: func(x *cell) request {
					tf := x.f.training(x.t)
					id, aid := tf.session[x.target()], tf.attendance[x.target()]
					if x.succeeds() {
						id = newMatrixSession(x.t, x.f.db, x.target())
						aid = newMatrixAttendance(x.t, x.f.db, id, "Corrigé")
					}
					return request{path: x.fill("{id}", id, "{aid}", aid), ref: id,
						body: `{"version":1,"first_name":"Corrigée","last_name":"Matrice","sex":"Female","ministry":"Justice"}`}
				}},
			{method: "GET", pattern: "/api/v1/training/sessions/{id}/attendance/{aid}/certificate", in: read, out: read,
				req: func(x *cell) request {
					tf := x.f.training(x.t)
					return request{path: x.fill("{id}", tf.session[x.target()], "{aid}", tf.attendance[x.target()])}
				},
				check: func(x *cell, status int, body []byte) {
					if status == 200 && !strings.HasPrefix(string(body), "%PDF-") {
						x.t.Errorf("not a PDF: %.20q", body)
					}
				}},
			{method: "GET", pattern: "/api/v1/training/summary", in: read,
				req: func(x *cell) request {
					x.f.training(x.t)
					return request{path: x.e.pattern + "?from=2026-01-01&to=2026-12-31"}
				},
				check: func(x *cell, status int, body []byte) {
					if status == 200 && !strings.Contains(string(body), `"trained":`) {
						x.t.Errorf("no figures: %s", body)
					}
				}},
		}
	})
}
