// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"context"
	"strconv"
	"strings"
)

// Training of officials (issue 5): curricula, sessions, the officials
// trained and those who train, their attendance and scores, and the
// training-of-trainers cascade. No victim's data is ever recorded here.

// ResTraining is the training records: curricula, sessions, the people
// trained and their attendance. A record's agency is the session's
// organiser.
const ResTraining Resource = "training"

// Picklists of the training records (labels under enum.FIELD.VALUE in
// the training catalogs).
var (
	TrainingFormat = newEnum("vig_TrainingFormat", []string{"InPerson", "Online", "Mixed"},
		map[string]string{"in person": "InPerson", "in_person": "InPerson", "présentiel": "InPerson", "en ligne": "Online", "mixte": "Mixed", "hybride": "Mixed"})
	TrainingSex = newEnum("vig_TrainingSex", []string{"Female", "Male"},
		map[string]string{"F": "Female", "M": "Male", "H": "Male", "femme": "Female", "homme": "Male", "féminin": "Female", "masculin": "Male", "woman": "Female", "man": "Male"})
	TrainingRole = newEnum("vig_TrainingRole", []string{"Participant", "Trainer"},
		map[string]string{"participant·e": "Participant", "formateur": "Trainer", "formatrice": "Trainer", "formateur·rice": "Trainer"})
)

// MaxScore is the best pre- or post-test score.
const MaxScore = 100

// Module is one part of a curriculum.
type Module struct {
	Title string `json:"title"`
	Hours int    `json:"hours,omitempty"`
}

// Curriculum is a training programme: its modules, in order.
type Curriculum struct {
	Meta
	Code        string   `json:"code"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Modules     []Module `json:"modules,omitempty"`
}

// Validate checks the curriculum.
func (c *Curriculum) Validate() error {
	var p Problems
	if !ValidAgencyCode(c.Code) {
		p.Add("code", "validation.training_code", "%q must be 2 to 10 capital letters or digits (e.g. TDH1)", truncate(c.Code, 40))
	}
	trainingText(&p, "title", c.Title, MaxShortText)
	checkText(&p, "description", c.Description, MaxLongText)
	if len(c.Modules) > 100 {
		p.Add("modules", "validation.range", "lists %d modules; the limit is 100", len(c.Modules))
	}
	for i, m := range c.Modules {
		trainingText(&p, "modules."+strconv.Itoa(i)+".title", m.Title, MaxShortText)
		if m.Hours < 0 || m.Hours > 1000 {
			p.Add("modules."+strconv.Itoa(i)+".hours", "validation.range", "must lie between 0 and 1000")
		}
	}
	return p.Err()
}

// TrainingSession is one session of a curriculum, organised by an agency.
type TrainingSession struct {
	Meta
	Title      string `json:"title"`
	Curriculum string `json:"curriculum"` // curriculum code
	// CurriculumTitle is filled on reads.
	CurriculumTitle string `json:"curriculum_title,omitempty"`
	StartDate       Date   `json:"start_date"`
	EndDate         Date   `json:"end_date"`
	Place           string `json:"place"`
	Province        string `json:"province"`  // ISO 3166-2:CD
	Organiser       string `json:"organiser"` // agency code
	FundingPartner  string `json:"funding_partner,omitempty"`
	Format          string `json:"format"`
	// Counts, filled on reads.
	Participants int `json:"participants"`
	Trainers     int `json:"trainers"`
}

// Validate checks the session.
func (s *TrainingSession) Validate() error {
	var p Problems
	trainingText(&p, "title", s.Title, MaxShortText)
	if s.Curriculum == "" {
		p.Add("curriculum", "validation.required", "is required")
	}
	trainingText(&p, "place", s.Place, MaxShortText)
	checkText(&p, "funding_partner", s.FundingPartner, MaxShortText)
	if s.Organiser == "" {
		p.Add("organiser", "validation.required", "is required")
	}
	trainingProvince(&p, "province", s.Province, true)
	trainingPick(&p, "format", TrainingFormat, s.Format, true)
	startOK := checkDate(&p, "start_date", s.StartDate)
	endOK := checkDate(&p, "end_date", s.EndDate)
	if startOK && s.StartDate.IsZero() {
		p.Add("start_date", "validation.required", "is required")
	}
	if startOK && endOK && !s.StartDate.IsZero() {
		if s.StartDate.Year() < 1990 || s.StartDate.Year() > 2100 {
			p.Add("start_date", "validation.range", "must lie between 1990 and 2100")
		}
		if s.EndDate.IsZero() {
			s.EndDate = s.StartDate
		} else if s.EndDate.Before(s.StartDate) {
			p.Add("end_date", "validation.training_end_before_start", "is before the start date")
		} else if s.EndDate.Time().Sub(s.StartDate.Time()).Hours() > 24*366 {
			p.Add("end_date", "validation.range", "is more than a year after the start date")
		}
	}
	return p.Err()
}

// Trainee is an official who is trained or trains: a participant or a
// trainer of sessions. Names and contacts are personal data and are
// sealed by the store; sex, ministry, function and province are what the
// figures count by.
type Trainee struct {
	Meta
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Sex       string `json:"sex"`
	Ministry  string `json:"ministry"` // agency or ministry
	Function  string `json:"function,omitempty"`
	Province  string `json:"province,omitempty"`
	Phone     string `json:"phone,omitempty"`
	Email     string `json:"email,omitempty"`
}

// Name is the trainee's full name.
func (t *Trainee) Name() string { return strings.TrimSpace(t.FirstName + " " + t.LastName) }

// Validate checks the trainee.
func (t *Trainee) Validate() error {
	var p Problems
	trainingText(&p, "first_name", t.FirstName, MaxShortText)
	trainingText(&p, "last_name", t.LastName, MaxShortText)
	trainingText(&p, "ministry", t.Ministry, MaxShortText)
	checkText(&p, "function", t.Function, MaxShortText)
	trainingPick(&p, "sex", TrainingSex, t.Sex, true)
	trainingProvince(&p, "province", t.Province, false)
	checkPhone(&p, "phone", t.Phone)
	if t.Email != "" && !ValidEmail(t.Email) {
		p.Add("email", "validation.email", "is not an e-mail address")
	}
	return p.Err()
}

// Attendance is one person's part in one session: participant or
// trainer, scores, certification. A participant certified as trainer may
// train later sessions: that is the training-of-trainers cascade.
type Attendance struct {
	Meta
	Session          string `json:"session"`
	Trainee          string `json:"trainee"`
	Role             string `json:"role"`
	Attended         bool   `json:"attended"`
	PreScore         *int   `json:"pre_score,omitempty"`
	PostScore        *int   `json:"post_score,omitempty"`
	Certified        bool   `json:"certified"`
	CertifiedTrainer bool   `json:"certified_trainer"`
	// Person is the trainee, filled on reads.
	Person *Trainee `json:"person,omitempty"`
}

// Validate checks the attendance.
func (a *Attendance) Validate() error {
	var p Problems
	trainingPick(&p, "role", TrainingRole, a.Role, true)
	for f, v := range map[string]*int{"pre_score": a.PreScore, "post_score": a.PostScore} {
		if v != nil && (*v < 0 || *v > MaxScore) {
			p.Add(f, "validation.training_score", "%d is not a score between 0 and 100", *v)
		}
	}
	if a.Role == "Trainer" && (a.Certified || a.CertifiedTrainer || a.PreScore != nil || a.PostScore != nil) {
		p.Add("role", "validation.training_trainer_scored", "a trainer of the session is neither tested nor certified in it")
	}
	if a.Certified && !a.Attended {
		p.Add("certified", "validation.training_certified_absent", "only a participant who attended may be certified")
	}
	if a.CertifiedTrainer && !a.Certified {
		p.Add("certified_trainer", "validation.training_trainer_uncertified", "a participant certified as trainer must be certified")
	}
	return p.Err()
}

// NewTraineeAttendance is a person added to a session: a new trainee, or
// an existing one by ID, and their attendance.
type NewTraineeAttendance struct {
	Trainee
	TraineeID  string     `json:"trainee_id,omitempty"`
	Attendance Attendance `json:"attendance"`
}

// TrainingFilter selects sessions.
type TrainingFilter struct {
	From, To   Date   // sessions starting within [From, To]
	Province   string // session province
	Ministry   string // sessions with a participant of this ministry
	Organiser  string // agency code
	Curriculum string
	Limit      int
	Offset     int
}

// CascadeNode is a session of a cascade tree and the sessions whose
// trainers were certified in it.
type CascadeNode struct {
	Session  *TrainingSession `json:"session"`
	Level    int              `json:"level"` // 0 for the root
	Children []*CascadeNode   `json:"children,omitempty"`
}

// ReachCount is a number of officials trained in one group.
type ReachCount struct {
	Ministry string `json:"ministry,omitempty"`
	Province string `json:"province,omitempty"`
	Sex      string `json:"sex,omitempty"`
	Count    int    `json:"count"`
}

// Cascade is the tree of a root session and its reach.
type Cascade struct {
	Root *CascadeNode `json:"root"`
	// Levels is the number of generations of sessions (1: the root
	// alone); Depth the number of steps below the root (Levels − 1).
	Levels int `json:"levels"`
	Depth  int `json:"depth"`
	// Sessions is the number of sessions of the tree.
	Sessions int `json:"sessions"`
	// Trained is the distinct officials who took part as participants in
	// any session of the tree; Downstream those of the sessions below the
	// root.
	Trained    int `json:"trained"`
	Downstream int `json:"downstream"`
	// TrainersCertified is the distinct participants certified as
	// trainers in the sessions of the tree.
	TrainersCertified int `json:"trainers_certified"`
	// Multiplier is Downstream / TrainersCertified (0 without trainers).
	Multiplier float64 `json:"multiplier"`
	// ByMinistry and ByProvince count the officials trained (Trained).
	ByMinistry []ReachCount `json:"by_ministry"`
	ByProvince []ReachCount `json:"by_province"`
}

// TrainingSummary is the figures of the officials trained in a period:
// participants who attended a session starting within it.
type TrainingSummary struct {
	From     Date         `json:"from"`
	To       Date         `json:"to"`
	Sessions int          `json:"sessions"`
	Trained  int          `json:"trained"`
	Groups   []ReachCount `json:"groups"` // by ministry, province and sex
}

// TrainingService stores the training records. Writes carry the actor
// in the context (WithActor) and are audited.
type TrainingService interface {
	CreateCurriculum(ctx context.Context, c *Curriculum) error
	Curricula(ctx context.Context) ([]*Curriculum, error)
	CreateTrainingSession(ctx context.Context, s *TrainingSession) error
	UpdateTrainingSession(ctx context.Context, s *TrainingSession) error
	TrainingSession(ctx context.Context, id string) (*TrainingSession, error)
	TrainingSessions(ctx context.Context, f TrainingFilter) ([]*TrainingSession, int, error)
	AddAttendance(ctx context.Context, sessionID string, n *NewTraineeAttendance) (*Attendance, error)
	UpdateAttendance(ctx context.Context, a *Attendance) error
	// Trainee reads a person; UpdateTrainee corrects their details if
	// t.Version is still the stored one.
	Trainee(ctx context.Context, id string) (*Trainee, error)
	UpdateTrainee(ctx context.Context, t *Trainee) error
	// DeleteAttendance removes a person added to a session by mistake,
	// if version is still the stored one (the person stays on record).
	DeleteAttendance(ctx context.Context, sessionID, id string, version int64) error
	Attendances(ctx context.Context, sessionID string) ([]*Attendance, error)
	Attendance(ctx context.Context, sessionID, id string) (*Attendance, error)
	ImportAttendances(ctx context.Context, sessionID string, rows []*NewTraineeAttendance) error
	TrainingCascade(ctx context.Context, rootID string) (*Cascade, error)
	// CertifiedTrainers lists the people certified as trainers in a
	// session starting before the date: who may train a session then.
	CertifiedTrainers(ctx context.Context, before Date) ([]*Trainee, error)
	TrainingSummary(ctx context.Context, from, to Date) (*TrainingSummary, error)
}

func trainingText(p *Problems, field, v string, max int) {
	if strings.TrimSpace(v) == "" {
		p.Add(field, "validation.required", "is required")
		return
	}
	checkText(p, field, v, max)
}

func trainingProvince(p *Problems, field, v string, required bool) {
	switch {
	case v == "" && required:
		p.Add(field, "validation.required", "is required")
	case v != "" && !ValidProvince(v):
		p.Add(field, "validation.enum", "%q is not a province code (ISO 3166-2:CD, e.g. CD-KN)", truncate(v, 40))
	}
}

func trainingPick(p *Problems, field string, e *Enum, v string, required bool) {
	switch {
	case v == "" && required:
		p.Add(field, "validation.required", "is required")
	case v != "" && !e.Valid(v):
		p.Add(field, "validation.enum", "%q is not one of: %s", truncate(v, 40), strings.Join(e.Values, ", "))
	}
}
