// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// MustCreateCurriculum creates a curriculum with this code.
func MustCreateCurriculum(tb testing.TB, db *sqlstore.DB, code string) *domain.Curriculum {
	tb.Helper()
	c := &domain.Curriculum{Code: code, Title: "Identification des victimes de traite", Modules: []domain.Module{{Title: "Cadre légal", Hours: 4}}}
	if err := db.CreateCurriculum(context.Background(), c); err != nil {
		tb.Fatal(err)
	}
	return c
}

// MustCreateSession creates a session of curriculum cur organised by
// agency, starting on day (YYYY-MM-DD).
func MustCreateSession(tb testing.TB, db *sqlstore.DB, cur, agency, day string) *domain.TrainingSession {
	tb.Helper()
	d, err := domain.ParseDate(day)
	if err != nil {
		tb.Fatal(err)
	}
	s := &domain.TrainingSession{Title: "Session " + day, Curriculum: cur, StartDate: d, EndDate: d, Place: "Gombe", Province: "CD-KN",
		Organiser: agency, Format: "InPerson", FundingPartner: "OIM"}
	if err := db.CreateTrainingSession(context.Background(), s); err != nil {
		tb.Fatal(err)
	}
	return s
}

func score(n int) *int { return &n }

// MustAdd adds a new person (or an existing one by ID) to a session.
func MustAdd(tb testing.TB, db *sqlstore.DB, s *domain.TrainingSession, name, ministry, existing string, a domain.Attendance) *domain.Attendance {
	tb.Helper()
	n := &domain.NewTraineeAttendance{Trainee: domain.Trainee{FirstName: name, LastName: "Kabongo", Sex: "Female", Ministry: ministry, Province: "CD-NK"},
		TraineeID: existing, Attendance: a}
	got, err := db.AddAttendance(context.Background(), s.ID, n)
	if err != nil {
		tb.Fatalf("adding %s: %v", name, err)
	}
	return got
}

var (
	certifiedTrainer = domain.Attendance{Role: "Participant", Attended: true, PreScore: score(40), PostScore: score(85), Certified: true, CertifiedTrainer: true}
	participant      = domain.Attendance{Role: "Participant", Attended: true, PreScore: score(30), PostScore: score(70), Certified: true}
	trainer          = domain.Attendance{Role: "Trainer", Attended: true}
)

func TestTrainingRecords(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateCurriculum(t, db, "TDT1")
		t.Run("ErrCurriculumCodeUsed", func(t *testing.T) {
			err := db.CreateCurriculum(ctx, &domain.Curriculum{Code: "TDT1", Title: "Autre"})
			if domain.KindOf(err) != domain.KindConflict {
				t.Fatalf("got %v", err)
			}
		})
		s := MustCreateSession(t, db, "TDT1", "KIN", "2026-02-10")
		t.Run("ErrInvalidSession", func(t *testing.T) {
			for name, tt := range map[string]struct {
				mut   func(*domain.TrainingSession)
				field string
			}{
				"control":     {func(s *domain.TrainingSession) { s.Title = "Atelier\x1b[31m" }, "title"},
				"long":        {func(s *domain.TrainingSession) { s.Place = strings.Repeat("é", 10000) }, "place"},
				"province":    {func(s *domain.TrainingSession) { s.Province = "CD-XX" }, "province"},
				"format":      {func(s *domain.TrainingSession) { s.Format = "<script>" }, "format"},
				"end":         {func(s *domain.TrainingSession) { s.EndDate = domain.NewDate(2026, 1, 1) }, "end_date"},
				"curriculum":  {func(s *domain.TrainingSession) { s.Curriculum = "NOPE" }, "curriculum"},
				"organiser":   {func(s *domain.TrainingSession) { s.Organiser = "NOPE" }, "organiser"},
				"blank title": {func(s *domain.TrainingSession) { s.Title = "   " }, "title"},
			} {
				c := *s
				c.Meta = domain.Meta{}
				tt.mut(&c)
				err := db.CreateTrainingSession(ctx, &c)
				fe := domain.FieldErrors(err)
				if domain.KindOf(err) != domain.KindInvalid || len(fe) == 0 || fe[0].Field != tt.field {
					t.Errorf("%s: got %v", name, err)
				}
			}
		})
		t.Run("OKUpdateAndStale", func(t *testing.T) {
			c := *s
			c.Title = "Atelier <b>Goma</b>"
			if err := db.UpdateTrainingSession(ctx, &c); err != nil {
				t.Fatal(err)
			}
			got, err := db.TrainingSession(ctx, s.ID)
			if err != nil || got.Title != c.Title || got.Version != 2 || got.CurriculumTitle == "" {
				t.Fatalf("got %+v, %v", got, err)
			}
			stale := *s // version 1
			stale.Title = "Ancien"
			if err := db.UpdateTrainingSession(ctx, &stale); domain.KindOf(err) != domain.KindConflict {
				t.Fatalf("stale update: %v", err)
			}
			if _, err := db.TrainingSession(ctx, "not-a-uuid"); domain.KindOf(err) != domain.KindNotFound {
				t.Fatalf("bad id: %v", err)
			}
		})
		t.Run("OKAttendanceSealed", func(t *testing.T) {
			a := MustAdd(t, db, s, "Bijou", "Ministère de la Justice", "", participant)
			raw, err := sqlstore.RawTrainee(db, a.Trainee)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(raw, "Bijou") || strings.Contains(raw, "Kabongo") {
				t.Errorf("a name is stored in clear: %s", raw)
			}
			list, err := db.Attendances(ctx, s.ID)
			if err != nil || len(list) != 1 || list[0].Person.FirstName != "Bijou" || *list[0].PostScore != 70 {
				t.Fatalf("got %v, %v", list, err)
			}
			// The same person twice is a conflict.
			n := &domain.NewTraineeAttendance{TraineeID: a.Trainee, Attendance: participant}
			if _, err := db.AddAttendance(ctx, s.ID, n); domain.KindOf(err) != domain.KindConflict {
				t.Errorf("twice: %v", err)
			}
			up := *list[0]
			up.PostScore = score(101)
			if err := db.UpdateAttendance(ctx, &up); domain.KindOf(err) != domain.KindInvalid {
				t.Errorf("score 101: %v", err)
			}
			up.PostScore = score(90)
			if err := db.UpdateAttendance(ctx, &up); err != nil {
				t.Fatal(err)
			}
			up.Version = 1
			if err := db.UpdateAttendance(ctx, &up); domain.KindOf(err) != domain.KindConflict {
				t.Errorf("stale attendance: %v", err)
			}
			if err := db.DeleteAttendance(ctx, s.ID, up.ID, 1); domain.KindOf(err) != domain.KindConflict {
				t.Errorf("stale delete: %v", err)
			}
			if err := db.DeleteAttendance(ctx, s.ID, up.ID, 2); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Attendance(ctx, s.ID, up.ID); domain.KindOf(err) != domain.KindNotFound {
				t.Errorf("deleted attendance: %v", err)
			}
			// A person's details are corrected, sealed again.
			pr, err := db.Trainee(ctx, a.Trainee)
			if err != nil {
				t.Fatal(err)
			}
			pr.FirstName, pr.Ministry = "Bijoux", "Ministère de l’Intérieur"
			if err := db.UpdateTrainee(ctx, pr); err != nil {
				t.Fatal(err)
			}
			pr.Version = 1
			if err := db.UpdateTrainee(ctx, pr); domain.KindOf(err) != domain.KindConflict {
				t.Errorf("stale person: %v", err)
			}
			if got, _ := db.Trainee(ctx, a.Trainee); got.FirstName != "Bijoux" || got.Version != 2 {
				t.Errorf("person: %+v", got)
			}
			if raw, _ := sqlstore.RawTrainee(db, a.Trainee); strings.Contains(raw, "Bijoux") {
				t.Errorf("the corrected name is in clear")
			}
			// The person can be added again.
			if _, err := db.AddAttendance(ctx, s.ID, &domain.NewTraineeAttendance{TraineeID: a.Trainee, Attendance: participant}); err != nil {
				t.Errorf("added again: %v", err)
			}
		})
		t.Run("ErrInvalidAttendance", func(t *testing.T) {
			for name, a := range map[string]domain.Attendance{
				"trainer certified":     {Role: "Trainer", Attended: true, Certified: true},
				"score":                 {Role: "Participant", Attended: true, PreScore: score(-1)},
				"absent certified":      {Role: "Participant", Certified: true},
				"trainer not certified": {Role: "Participant", Attended: true, CertifiedTrainer: true},
				"role":                  {Role: "Boss"},
			} {
				n := &domain.NewTraineeAttendance{Trainee: domain.Trainee{FirstName: "A", LastName: "B", Sex: "Male", Ministry: "PNC"}, Attendance: a}
				if _, err := db.AddAttendance(ctx, s.ID, n); domain.KindOf(err) != domain.KindInvalid {
					t.Errorf("%s: %v", name, err)
				}
			}
			n := &domain.NewTraineeAttendance{TraineeID: "00000000-0000-0000-0000-000000000000", Attendance: participant}
			if _, err := db.AddAttendance(ctx, s.ID, n); domain.KindOf(err) != domain.KindInvalid {
				t.Errorf("unknown person: %v", err)
			}
		})
		t.Run("ImportAllOrNothing", func(t *testing.T) {
			s2 := MustCreateSession(t, db, "TDT1", "KIN", "2026-02-20")
			good := func(name string) *domain.NewTraineeAttendance {
				return &domain.NewTraineeAttendance{Trainee: domain.Trainee{FirstName: name, LastName: "Lusamba", Sex: "Male", Ministry: "PNC"}, Attendance: participant}
			}
			bad := good("")
			err := db.ImportAttendances(ctx, s2.ID, []*domain.NewTraineeAttendance{good("Jean"), bad, good("Paul")})
			fe := domain.FieldErrors(err)
			if len(fe) != 1 || fe[0].Field != "rows.1.first_name" {
				t.Fatalf("got %v", err)
			}
			if list, _ := db.Attendances(ctx, s2.ID); len(list) != 0 {
				t.Fatalf("half imported: %d rows", len(list))
			}
			if err := db.ImportAttendances(ctx, s2.ID, []*domain.NewTraineeAttendance{good("Jean"), good("Paul")}); err != nil {
				t.Fatal(err)
			}
			if list, _ := db.Attendances(ctx, s2.ID); len(list) != 2 {
				t.Fatalf("imported %d rows", len(list))
			}
		})
	})
}

// TestTrainingCascade builds a cascade three levels deep: a trainer
// certified in the root trains two sessions, a participant certified as
// trainer in one of them trains a third.
func TestTrainingCascade(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateCurriculum(t, db, "TDT1")
		root := MustCreateSession(t, db, "TDT1", "KIN", "2026-01-10")
		b := MustCreateSession(t, db, "TDT1", "KIN", "2026-02-10")
		c := MustCreateSession(t, db, "TDT1", "KIN", "2026-02-20")
		d := MustCreateSession(t, db, "TDT1", "KIN", "2026-03-10")
		other := MustCreateSession(t, db, "TDT1", "KIN", "2026-01-05")

		MustAdd(t, db, root, "Maître", "OIM", "", trainer)
		x := MustAdd(t, db, root, "Aline", "Ministère de la Justice", "", certifiedTrainer)
		y := MustAdd(t, db, root, "Benoît", "Police nationale", "", certifiedTrainer)
		MustAdd(t, db, root, "Chantal", "Police nationale", "", participant)
		// X trains b, Y trains c; in b, Z becomes a trainer and trains d.
		MustAdd(t, db, b, "", "", x.Trainee, trainer)
		MustAdd(t, db, c, "", "", y.Trainee, trainer)
		z := MustAdd(t, db, b, "Dieudonné", "DGM", "", certifiedTrainer)
		MustAdd(t, db, b, "Esther", "DGM", "", participant)
		MustAdd(t, db, c, "Fabrice", "Ministère des Affaires sociales", "", participant)
		MustAdd(t, db, d, "", "", z.Trainee, trainer)
		for _, n := range []string{"Gloire", "Héritier", "Irène"} {
			MustAdd(t, db, d, n, "Ministère des Affaires sociales", "", participant)
		}
		// A trainer certified in the root does not make an earlier
		// session part of its tree.
		MustAdd(t, db, other, "", "", x.Trainee, trainer)

		trainers, err := db.CertifiedTrainers(ctx, d.StartDate)
		if err != nil || len(trainers) != 3 {
			t.Errorf("trainers before d: %d, %v", len(trainers), err)
		}
		if early, _ := db.CertifiedTrainers(ctx, root.StartDate); len(early) != 0 {
			t.Errorf("trainers before the root: %d", len(early))
		}
		got, err := db.TrainingCascade(ctx, root.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Levels != 3 || got.Depth != 2 || got.Sessions != 4 {
			t.Errorf("levels %d depth %d sessions %d", got.Levels, got.Depth, got.Sessions)
		}
		if len(got.Root.Children) != 2 || got.Root.Children[0].Session.ID != b.ID || len(got.Root.Children[0].Children) != 1 ||
			got.Root.Children[0].Children[0].Session.ID != d.ID || got.Root.Children[0].Children[0].Level != 2 {
			t.Errorf("tree: %+v", got.Root)
		}
		// Trained: Aline, Benoît, Chantal (root), Dieudonné, Esther, Fabrice, and three in d = 9;
		// downstream: 6; trainers certified: Aline, Benoît, Dieudonné = 3; multiplier 2.
		if got.Trained != 9 || got.Downstream != 6 || got.TrainersCertified != 3 || got.Multiplier != 2 {
			t.Errorf("reach: trained %d downstream %d trainers %d multiplier %v", got.Trained, got.Downstream, got.TrainersCertified, got.Multiplier)
		}
		if len(got.ByMinistry) == 0 || got.ByMinistry[0].Ministry != "Ministère des Affaires sociales" || got.ByMinistry[0].Count != 4 {
			t.Errorf("by ministry: %+v", got.ByMinistry)
		}
		sub, err := db.TrainingCascade(ctx, b.ID)
		if err != nil || sub.Depth != 1 || sub.Sessions != 2 || sub.Downstream != 3 || sub.TrainersCertified != 1 || sub.Multiplier != 3 {
			t.Errorf("subtree: %+v, %v", sub, err)
		}

		sum, err := db.TrainingSummary(ctx, domain.NewDate(2026, 2, 1), domain.NewDate(2026, 2, 28))
		if err != nil {
			t.Fatal(err)
		}
		if sum.Sessions != 2 || sum.Trained != 3 {
			t.Errorf("summary: %+v", sum)
		}
		all, _ := db.TrainingSummary(ctx, domain.Date{}, domain.Date{})
		total := 0
		for _, g := range all.Groups {
			total += g.Count
		}
		if all.Trained != 9 || total != 9 {
			t.Errorf("summary of all: %+v", all)
		}
		list, n, err := db.TrainingSessions(ctx, domain.TrainingFilter{Ministry: "DGM"})
		if err != nil || n != 1 || len(list) != 1 || list[0].ID != b.ID || list[0].Participants != 2 || list[0].Trainers != 1 {
			t.Errorf("sessions with DGM: %v %d %v", list, n, err)
		}
		list, n, _ = db.TrainingSessions(ctx, domain.TrainingFilter{From: domain.NewDate(2026, 2, 1), Province: "CD-KN", Limit: 2})
		if n != 3 || len(list) != 2 || list[0].ID != d.ID {
			t.Errorf("page: %d %d", n, len(list))
		}
	})
}
