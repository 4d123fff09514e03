// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"

	"vigie/internal/domain"
)

var _ domain.TrainingService = (*DB)(nil)

// trainingAudit writes the audit entry of a change to a training record.
func (t *tx) trainingAudit(ctx context.Context, action, kind, id, agencyID string, detail map[string]any) error {
	e := domain.NewAuditEntry(ctx, action)
	e.Resource, e.RecordID, e.AgencyID = string(domain.ResTraining), id, agencyID
	if detail == nil {
		detail = map[string]any{}
	}
	detail["record"] = kind
	e.Detail = detail
	return t.audit(ctx, e)
}

// CreateCurriculum stores a new curriculum; its code must be unused.
func (db *DB) CreateCurriculum(ctx context.Context, c *domain.Curriculum) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		c.ID, c.Version, c.CreatedAt, c.UpdatedAt = newID(), 1, t.now, t.now
		data, err := json.Marshal(c)
		if err != nil {
			return domain.Wrap(domain.KindInternal, err, "encoding curriculum")
		}
		_, err = t.exec(ctx, `INSERT INTO training_curricula (id, code, data, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
			c.ID, c.Code, data, c.Version, t.d.ts(t.now), t.d.ts(t.now))
		if domain.KindOf(classify(err, "")) == domain.KindConflict {
			return domain.Errorf(domain.KindConflict, "curriculum code %s is already used", c.Code)
		}
		if err != nil {
			return classify(err, "creating curriculum")
		}
		return t.trainingAudit(ctx, domain.AuditCreate, "curriculum", c.ID, "", map[string]any{"code": c.Code})
	})
}

// Curricula returns every curriculum, by code.
func (db *DB) Curricula(ctx context.Context) ([]*domain.Curriculum, error) {
	var out []*domain.Curriculum
	err := db.read(ctx, func(t *tx) error {
		var err error
		out, err = curricula(ctx, t)
		return err
	})
	return out, err
}

func curricula(ctx context.Context, t *tx) ([]*domain.Curriculum, error) {
	rows, err := t.query(ctx, `SELECT id, data, version FROM training_curricula ORDER BY code`)
	if err != nil {
		return nil, classify(err, "listing curricula")
	}
	defer rows.Close()
	var out []*domain.Curriculum
	for rows.Next() {
		var (
			c    domain.Curriculum
			id   string
			data []byte
			v    int64
		)
		if err := rows.Scan(&id, &data, &v); err != nil {
			return nil, classify(err, "reading curricula")
		}
		if err := json.Unmarshal(data, &c); err != nil {
			return nil, domain.Wrap(domain.KindInternal, err, "decoding curriculum")
		}
		c.ID, c.Version = id, v
		out = append(out, &c)
	}
	return out, classify(rows.Err(), "reading curricula")
}

// sessionRefs resolves a session's curriculum and organiser codes to IDs,
// as field errors when they name nothing.
func sessionRefs(ctx context.Context, t *tx, s *domain.TrainingSession) (curID, agID string, err error) {
	var p domain.Problems
	err = t.queryRow(ctx, `SELECT id FROM training_curricula WHERE code = ?`, s.Curriculum).Scan(&curID)
	if errors.Is(err, sql.ErrNoRows) {
		p.Add("curriculum", "validation.training_unknown_curriculum", "curriculum %s does not exist", s.Curriculum)
	} else if err != nil {
		return "", "", classify(err, "reading curriculum")
	}
	err = t.queryRow(ctx, `SELECT id FROM agencies WHERE code = ?`, s.Organiser).Scan(&agID)
	if errors.Is(err, sql.ErrNoRows) {
		p.Add("organiser", "validation.unknown_agency", "agency %s does not exist", s.Organiser)
	} else if err != nil {
		return "", "", classify(err, "reading agency")
	}
	return curID, agID, p.Err()
}

func sessionData(s *domain.TrainingSession) ([]byte, error) {
	c := *s
	c.Meta, c.Participants, c.Trainers, c.CurriculumTitle = domain.Meta{}, 0, 0, ""
	data, err := json.Marshal(&c)
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "encoding session")
	}
	return data, nil
}

// CreateTrainingSession stores a new session.
func (db *DB) CreateTrainingSession(ctx context.Context, s *domain.TrainingSession) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		curID, agID, err := sessionRefs(ctx, t, s)
		if err != nil {
			return err
		}
		s.ID, s.Version, s.CreatedAt, s.UpdatedAt = newID(), 1, t.now, t.now
		data, err := sessionData(s)
		if err != nil {
			return err
		}
		_, err = t.exec(ctx, `INSERT INTO training_sessions (id, curriculum_id, agency_id, province, start_date, end_date, data, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.ID, curID, agID, s.Province, t.d.date(s.StartDate), t.d.date(s.EndDate), data, s.Version, t.d.ts(t.now), t.d.ts(t.now))
		if err != nil {
			return classify(err, "creating session")
		}
		return t.trainingAudit(ctx, domain.AuditCreate, "session", s.ID, agID, nil)
	})
}

// UpdateTrainingSession replaces a session if s.Version is still the
// stored one.
func (db *DB) UpdateTrainingSession(ctx context.Context, s *domain.TrainingSession) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		cur, err := trainingSession(ctx, t, s.ID)
		if err != nil {
			return err
		}
		if cur.Version != s.Version {
			return staleVersion("session "+s.ID, s.Version, cur.Version)
		}
		curID, agID, err := sessionRefs(ctx, t, s)
		if err != nil {
			return err
		}
		s.Version, s.CreatedAt, s.UpdatedAt = cur.Version+1, cur.CreatedAt, t.now
		data, err := sessionData(s)
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE training_sessions SET curriculum_id = ?, agency_id = ?, province = ?, start_date = ?, end_date = ?, data = ?, version = ?, updated_at = ?
			WHERE id = ? AND version = ?`, curID, agID, s.Province, t.d.date(s.StartDate), t.d.date(s.EndDate), data, s.Version, t.d.ts(t.now), s.ID, cur.Version)
		if err != nil {
			return classify(err, "updating session")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion("session "+s.ID, cur.Version, -1)
		}
		s.Participants, s.Trainers, s.CurriculumTitle = cur.Participants, cur.Trainers, cur.CurriculumTitle
		return t.trainingAudit(ctx, domain.AuditUpdate, "session", s.ID, agID, map[string]any{"version": s.Version})
	})
}

// TrainingSession returns a session with its counts.
func (db *DB) TrainingSession(ctx context.Context, id string) (*domain.TrainingSession, error) {
	var s *domain.TrainingSession
	err := db.read(ctx, func(t *tx) error {
		var err error
		s, err = trainingSession(ctx, t, id)
		return err
	})
	return s, err
}

const sessionColumns = `s.id, s.data, s.version, s.created_at, s.updated_at, a.code, c.code, c.data,
	(SELECT count(*) FROM training_attendance x WHERE x.session_id = s.id AND x.role = 'Participant'),
	(SELECT count(*) FROM training_attendance x WHERE x.session_id = s.id AND x.role = 'Trainer')`

const sessionFrom = ` FROM training_sessions s JOIN agencies a ON a.id = s.agency_id JOIN training_curricula c ON c.id = s.curriculum_id`

func trainingSession(ctx context.Context, t *tx, id string) (*domain.TrainingSession, error) {
	missing := domain.Errorf(domain.KindNotFound, "training session %s does not exist", id)
	if !isUUID(id) {
		return nil, missing
	}
	rows, err := t.query(ctx, `SELECT `+sessionColumns+sessionFrom+` WHERE s.id = ?`, id)
	if err != nil {
		return nil, classify(err, "reading session")
	}
	list, _, err := scanSessions(rows, false)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, missing
	}
	return list[0], nil
}

func scanSessions(rows *sql.Rows, total bool) ([]*domain.TrainingSession, int, error) {
	defer rows.Close()
	var (
		out []*domain.TrainingSession
		n   int
	)
	for rows.Next() {
		var (
			s, row              domain.TrainingSession
			cur                 domain.Curriculum
			data, cdata         []byte
			created, updated    dbTime
			organiser, currCode string
		)
		dest := []any{&row.ID, &data, &row.Version, &created, &updated, &organiser, &currCode, &cdata, &row.Participants, &row.Trainers}
		if total {
			dest = append(dest, &n)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, 0, classify(err, "reading sessions")
		}
		if err := json.Unmarshal(data, &s); err != nil {
			return nil, 0, domain.Wrap(domain.KindInternal, err, "decoding session")
		}
		if err := json.Unmarshal(cdata, &cur); err != nil {
			return nil, 0, domain.Wrap(domain.KindInternal, err, "decoding curriculum")
		}
		s.ID, s.Version, s.Participants, s.Trainers = row.ID, row.Version, row.Participants, row.Trainers
		s.CreatedAt, s.UpdatedAt, s.Organiser, s.Curriculum, s.CurriculumTitle = created.t, updated.t, organiser, currCode, cur.Title
		out = append(out, &s)
	}
	return out, n, classify(rows.Err(), "reading sessions")
}

// TrainingSessions returns a page of sessions, newest first, and the
// number of sessions the filter selects.
func (db *DB) TrainingSessions(ctx context.Context, f domain.TrainingFilter) ([]*domain.TrainingSession, int, error) {
	q := `SELECT ` + sessionColumns + `, count(*) OVER ()` + sessionFrom + ` WHERE 1 = 1`
	var args []any
	if !f.From.IsZero() {
		q += ` AND s.start_date >= ?`
		args = append(args, db.dialect.date(f.From))
	}
	if !f.To.IsZero() {
		q += ` AND s.start_date <= ?`
		args = append(args, db.dialect.date(f.To))
	}
	if f.Province != "" {
		q += ` AND s.province = ?`
		args = append(args, f.Province)
	}
	if f.Organiser != "" {
		q += ` AND a.code = ?`
		args = append(args, f.Organiser)
	}
	if f.Curriculum != "" {
		q += ` AND c.code = ?`
		args = append(args, f.Curriculum)
	}
	if f.Ministry != "" {
		q += ` AND EXISTS (SELECT 1 FROM training_attendance x JOIN training_people p ON p.id = x.person_id WHERE x.session_id = s.id AND x.role = 'Participant' AND p.ministry = ?)`
		args = append(args, f.Ministry)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q += ` ORDER BY s.start_date DESC, s.id DESC LIMIT ? OFFSET ?`
	args = append(args, limit, max(f.Offset, 0))
	var (
		out   []*domain.TrainingSession
		total int
	)
	err := db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return classify(err, "listing sessions")
		}
		out, total, err = scanSessions(rows, true)
		return err
	})
	return out, total, err
}

// traineeSecret is the sealed part of a trainee: names and contacts.
type traineeSecret struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Phone     string `json:"phone,omitempty"`
	Email     string `json:"email,omitempty"`
}

func traineeAAD(id string) string { return "training_person/" + id + "/sealed" }

// createTrainee stores a new person with a data key of their own.
func (db *DB) createTrainee(ctx context.Context, t *tx, p *domain.Trainee) error {
	k, err := db.newRecordKey()
	if err != nil {
		return err
	}
	p.ID, p.Version, p.CreatedAt, p.UpdatedAt = newID(), 1, t.now, t.now
	sealed, err := sealJSON(k.dek, traineeSecret{p.FirstName, p.LastName, p.Phone, p.Email}, traineeAAD(p.ID))
	if err != nil {
		return err
	}
	clear := domain.Trainee{Sex: p.Sex, Ministry: p.Ministry, Function: p.Function, Province: p.Province}
	data, err := json.Marshal(&clear)
	if err != nil {
		return domain.Wrap(domain.KindInternal, err, "encoding trainee")
	}
	_, err = t.exec(ctx, `INSERT INTO training_people (id, sex, ministry, province, data, sealed, dek, key_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.Sex, p.Ministry, p.Province, data, sealed, k.wrapped, k.keyID, p.Version, t.d.ts(t.now), t.d.ts(t.now))
	return classify(err, "creating trainee")
}

// openTrainee decodes a stored person.
func (db *DB) openTrainee(id string, data, sealed, wrapped []byte, version int64) (*domain.Trainee, error) {
	var p domain.Trainee
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "decoding trainee")
	}
	dek, err := db.unwrap(wrapped, "trainee "+id)
	if err != nil {
		return nil, err
	}
	var s traineeSecret
	if err := openJSON(dek, sealed, traineeAAD(id), &s); err != nil {
		return nil, err
	}
	p.ID, p.Version = id, version
	p.FirstName, p.LastName, p.Phone, p.Email = s.FirstName, s.LastName, s.Phone, s.Email
	return &p, nil
}

const attendanceColumns = `x.id, x.session_id, x.person_id, x.role, x.attended, x.pre_score, x.post_score, x.certified, x.certified_trainer, x.version, x.created_at, x.updated_at,
	p.data, p.sealed, p.dek, p.version`

func (db *DB) scanAttendances(rows *sql.Rows) ([]*domain.Attendance, error) {
	defer rows.Close()
	var out []*domain.Attendance
	for rows.Next() {
		var (
			a                    domain.Attendance
			pre, post            sql.NullInt64
			created, updated     dbTime
			data, sealed, dek    []byte
			pversion             int64
			attended, cert, ctrn bool
		)
		if err := rows.Scan(&a.ID, &a.Session, &a.Trainee, &a.Role, &attended, &pre, &post, &cert, &ctrn, &a.Version, &created, &updated,
			&data, &sealed, &dek, &pversion); err != nil {
			return nil, classify(err, "reading attendance")
		}
		a.Attended, a.Certified, a.CertifiedTrainer, a.CreatedAt, a.UpdatedAt = attended, cert, ctrn, created.t, updated.t
		if pre.Valid {
			v := int(pre.Int64)
			a.PreScore = &v
		}
		if post.Valid {
			v := int(post.Int64)
			a.PostScore = &v
		}
		p, err := db.openTrainee(a.Trainee, data, sealed, dek, pversion)
		if err != nil {
			return nil, err
		}
		a.Person = p
		out = append(out, &a)
	}
	return out, classify(rows.Err(), "reading attendance")
}

// Attendances returns the people of a session: trainers first, then
// participants, by name.
func (db *DB) Attendances(ctx context.Context, sessionID string) ([]*domain.Attendance, error) {
	var out []*domain.Attendance
	err := db.read(ctx, func(t *tx) error {
		if _, err := trainingSession(ctx, t, sessionID); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT `+attendanceColumns+` FROM training_attendance x JOIN training_people p ON p.id = x.person_id WHERE x.session_id = ? ORDER BY x.role DESC, x.id`, sessionID)
		if err != nil {
			return classify(err, "listing attendance")
		}
		out, err = db.scanAttendances(rows)
		return err
	})
	return out, err
}

// Attendance returns one person's attendance of a session.
func (db *DB) Attendance(ctx context.Context, sessionID, id string) (*domain.Attendance, error) {
	var out *domain.Attendance
	err := db.read(ctx, func(t *tx) error {
		var err error
		out, err = db.attendance(ctx, t, sessionID, id)
		return err
	})
	return out, err
}

func (db *DB) attendance(ctx context.Context, t *tx, sessionID, id string) (*domain.Attendance, error) {
	missing := domain.Errorf(domain.KindNotFound, "attendance %s of session %s does not exist", id, sessionID)
	if !isUUID(id) || !isUUID(sessionID) {
		return nil, missing
	}
	rows, err := t.query(ctx, `SELECT `+attendanceColumns+` FROM training_attendance x JOIN training_people p ON p.id = x.person_id WHERE x.session_id = ? AND x.id = ?`, sessionID, id)
	if err != nil {
		return nil, classify(err, "reading attendance")
	}
	list, err := db.scanAttendances(rows)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, missing
	}
	return list[0], nil
}

func nullScore(v *int) any {
	if v == nil {
		return nil
	}
	return int64(*v)
}

// AddAttendance adds a person to a session: a new trainee, or an
// existing one named by TraineeID.
func (db *DB) AddAttendance(ctx context.Context, sessionID string, n *domain.NewTraineeAttendance) (*domain.Attendance, error) {
	var out *domain.Attendance
	err := db.write(ctx, func(t *tx) error {
		s, err := trainingSession(ctx, t, sessionID)
		if err != nil {
			return err
		}
		out, err = db.addAttendance(ctx, t, s, n, "")
		if err != nil {
			return err
		}
		return t.trainingAudit(ctx, domain.AuditCreate, "attendance", out.ID, organiserID(ctx, t, s), map[string]any{"session": s.ID, "role": out.Role})
	})
	return out, err
}

// organiserID is the ID of a session's organising agency ("" if gone).
func organiserID(ctx context.Context, t *tx, s *domain.TrainingSession) string {
	var id string
	_ = t.queryRow(ctx, `SELECT agency_id FROM training_sessions WHERE id = ?`, s.ID).Scan(&id)
	return id
}

// addAttendance validates and stores one person of a session; prefix
// names the fields of an imported row.
func (db *DB) addAttendance(ctx context.Context, t *tx, s *domain.TrainingSession, n *domain.NewTraineeAttendance, prefix string) (*domain.Attendance, error) {
	a := n.Attendance
	a.Meta, a.Session, a.Person = domain.Meta{}, s.ID, nil
	var p domain.Problems
	if err := a.Validate(); err != nil {
		p.Merge(prefix, domain.FieldErrors(err))
	}
	person := n.Trainee
	person.Meta = domain.Meta{}
	if n.TraineeID == "" {
		if err := person.Validate(); err != nil {
			p.Merge(prefix, domain.FieldErrors(err))
		}
	} else {
		got, err := db.traineeByID(ctx, t, n.TraineeID)
		if domain.KindOf(err) == domain.KindNotFound {
			p.Add(prefix+"trainee_id", "validation.training_unknown_trainee", "person %s does not exist", n.TraineeID)
		} else if err != nil {
			return nil, err
		} else {
			person = *got
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if n.TraineeID == "" {
		if err := db.createTrainee(ctx, t, &person); err != nil {
			return nil, err
		}
	}
	a.ID, a.Trainee, a.Version, a.CreatedAt, a.UpdatedAt = newID(), person.ID, 1, t.now, t.now
	_, err := t.exec(ctx, `INSERT INTO training_attendance (id, session_id, person_id, role, attended, pre_score, post_score, certified, certified_trainer, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, s.ID, a.Trainee, a.Role, a.Attended, nullScore(a.PreScore), nullScore(a.PostScore), a.Certified, a.CertifiedTrainer,
		a.Version, t.d.ts(t.now), t.d.ts(t.now))
	if domain.KindOf(classify(err, "")) == domain.KindConflict {
		return nil, domain.Errorf(domain.KindConflict, "this person is already listed in the session")
	}
	if err != nil {
		return nil, classify(err, "adding attendance")
	}
	a.Person = &person
	return &a, nil
}

func (db *DB) traineeByID(ctx context.Context, t *tx, id string) (*domain.Trainee, error) {
	missing := domain.Errorf(domain.KindNotFound, "person %s does not exist", id)
	if !isUUID(id) {
		return nil, missing
	}
	var (
		data, sealed, dek []byte
		v                 int64
	)
	err := t.queryRow(ctx, `SELECT data, sealed, dek, version FROM training_people WHERE id = ?`, id).Scan(&data, &sealed, &dek, &v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, missing
	}
	if err != nil {
		return nil, classify(err, "reading person")
	}
	return db.openTrainee(id, data, sealed, dek, v)
}

// UpdateAttendance changes a person's attendance, scores and
// certificates if a.Version is still the stored one.
func (db *DB) UpdateAttendance(ctx context.Context, a *domain.Attendance) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		s, err := trainingSession(ctx, t, a.Session)
		if err != nil {
			return err
		}
		cur, err := db.attendance(ctx, t, a.Session, a.ID)
		if err != nil {
			return err
		}
		if cur.Version != a.Version {
			return staleVersion("attendance "+a.ID, a.Version, cur.Version)
		}
		a.Trainee, a.Person, a.CreatedAt = cur.Trainee, cur.Person, cur.CreatedAt
		a.Version, a.UpdatedAt = cur.Version+1, t.now
		res, err := t.exec(ctx, `UPDATE training_attendance SET role = ?, attended = ?, pre_score = ?, post_score = ?, certified = ?, certified_trainer = ?, version = ?, updated_at = ?
			WHERE id = ? AND version = ?`, a.Role, a.Attended, nullScore(a.PreScore), nullScore(a.PostScore), a.Certified, a.CertifiedTrainer, a.Version, t.d.ts(t.now), a.ID, cur.Version)
		if err != nil {
			return classify(err, "updating attendance")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion("attendance "+a.ID, cur.Version, -1)
		}
		return t.trainingAudit(ctx, domain.AuditUpdate, "attendance", a.ID, organiserID(ctx, t, s), map[string]any{"session": s.ID, "version": a.Version})
	})
}

// ImportAttendances adds every row to the session in one transaction:
// all rows or none. A row's field errors are named "row N: field".
func (db *DB) ImportAttendances(ctx context.Context, sessionID string, rows []*domain.NewTraineeAttendance) error {
	return db.write(ctx, func(t *tx) error {
		s, err := trainingSession(ctx, t, sessionID)
		if err != nil {
			return err
		}
		var p domain.Problems
		for i, n := range rows {
			_, err := db.addAttendance(ctx, t, s, n, "rows."+strconv.Itoa(i)+".")
			switch domain.KindOf(err) {
			case "":
			case domain.KindInvalid:
				p = append(p, domain.FieldErrors(err)...)
			case domain.KindConflict:
				p.Add("rows."+strconv.Itoa(i), "validation.training_duplicate_person", "this person is already listed in the session")
				// The failed INSERT leaves the transaction usable on
				// SQLite but not on PostgreSQL: stop here.
				return p.Err()
			default:
				return err
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		return t.trainingAudit(ctx, domain.AuditImport, "attendance", s.ID, organiserID(ctx, t, s), map[string]any{"session": s.ID, "rows": len(rows)})
	})
}

// CertifiedTrainers lists the people certified as trainers in a session
// starting before the date, by ministry.
func (db *DB) CertifiedTrainers(ctx context.Context, before domain.Date) ([]*domain.Trainee, error) {
	var out []*domain.Trainee
	err := db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT p.id, p.data, p.sealed, p.dek, p.version FROM training_people p
			WHERE EXISTS (SELECT 1 FROM training_attendance x JOIN training_sessions s ON s.id = x.session_id
				WHERE x.person_id = p.id AND x.certified_trainer = ? AND s.start_date < ?)
			ORDER BY p.ministry, p.id LIMIT 300`, true, t.d.date(before))
		if err != nil {
			return classify(err, "listing trainers")
		}
		defer rows.Close()
		for rows.Next() {
			var (
				id                string
				data, sealed, dek []byte
				v                 int64
			)
			if err := rows.Scan(&id, &data, &sealed, &dek, &v); err != nil {
				return classify(err, "listing trainers")
			}
			p, err := db.openTrainee(id, data, sealed, dek, v)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return classify(rows.Err(), "listing trainers")
	})
	return out, err
}

// DeleteAttendance removes a person from a session if version is still
// the stored one. The person's record stays: they may attend others.
func (db *DB) DeleteAttendance(ctx context.Context, sessionID, id string, version int64) error {
	return db.write(ctx, func(t *tx) error {
		s, err := trainingSession(ctx, t, sessionID)
		if err != nil {
			return err
		}
		cur, err := db.attendance(ctx, t, sessionID, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return staleVersion("attendance "+id, version, cur.Version)
		}
		res, err := t.exec(ctx, `DELETE FROM training_attendance WHERE id = ? AND session_id = ? AND version = ?`, id, sessionID, version)
		if err != nil {
			return classify(err, "removing attendance")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion("attendance "+id, version, -1)
		}
		return t.trainingAudit(ctx, domain.AuditDelete, "attendance", id, organiserID(ctx, t, s), map[string]any{"session": s.ID, "version": version})
	})
}

// Trainee returns a person trained or training.
func (db *DB) Trainee(ctx context.Context, id string) (*domain.Trainee, error) {
	var out *domain.Trainee
	err := db.read(ctx, func(t *tx) error {
		var err error
		out, err = db.traineeByID(ctx, t, id)
		return err
	})
	return out, err
}

// UpdateTrainee corrects a person's details if p.Version is still the
// stored one; names and contacts are sealed again with their data key.
func (db *DB) UpdateTrainee(ctx context.Context, p *domain.Trainee) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		cur, err := db.traineeByID(ctx, t, p.ID)
		if err != nil {
			return err
		}
		if cur.Version != p.Version {
			return staleVersion("person "+p.ID, p.Version, cur.Version)
		}
		var wrapped []byte
		if err := t.queryRow(ctx, `SELECT dek FROM training_people WHERE id = ?`, p.ID).Scan(&wrapped); err != nil {
			return classify(err, "reading person")
		}
		dek, err := db.unwrap(wrapped, "trainee "+p.ID)
		if err != nil {
			return err
		}
		sealed, err := sealJSON(dek, traineeSecret{p.FirstName, p.LastName, p.Phone, p.Email}, traineeAAD(p.ID))
		if err != nil {
			return err
		}
		data, err := json.Marshal(&domain.Trainee{Sex: p.Sex, Ministry: p.Ministry, Function: p.Function, Province: p.Province})
		if err != nil {
			return domain.Wrap(domain.KindInternal, err, "encoding trainee")
		}
		p.Version, p.UpdatedAt = cur.Version+1, t.now
		res, err := t.exec(ctx, `UPDATE training_people SET sex = ?, ministry = ?, province = ?, data = ?, sealed = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			p.Sex, p.Ministry, p.Province, data, sealed, p.Version, t.d.ts(t.now), p.ID, cur.Version)
		if err != nil {
			return classify(err, "updating person")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion("person "+p.ID, cur.Version, -1)
		}
		return t.trainingAudit(ctx, domain.AuditUpdate, "person", p.ID, "", map[string]any{"version": p.Version})
	})
}
