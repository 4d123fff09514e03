// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"cmp"
	"context"
	"slices"

	"vigie/internal/domain"
)

// cascadeEdges returns, for each session, the later sessions trained by
// someone certified as trainer in it: a trainer of session C certified as
// trainer in session P, P starting before C, makes C a child of P.
func cascadeEdges(ctx context.Context, t *tx) (map[string][]string, error) {
	rows, err := t.query(ctx, `SELECT DISTINCT cert.session_id, tr.session_id
		FROM training_attendance tr
		JOIN training_attendance cert ON cert.person_id = tr.person_id AND cert.certified_trainer = ?
		JOIN training_sessions ps ON ps.id = cert.session_id
		JOIN training_sessions cs ON cs.id = tr.session_id
		WHERE tr.role = 'Trainer' AND ps.start_date < cs.start_date
		ORDER BY cert.session_id, tr.session_id`, true)
	if err != nil {
		return nil, classify(err, "reading the cascade")
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var parent, child string
		if err := rows.Scan(&parent, &child); err != nil {
			return nil, classify(err, "reading the cascade")
		}
		out[parent] = append(out[parent], child)
	}
	return out, classify(rows.Err(), "reading the cascade")
}

// TrainingCascade returns the tree of sessions that descend from root
// through trainers certified in it, recursively, and its reach. A session
// reachable along several paths appears once, at its shallowest level.
func (db *DB) TrainingCascade(ctx context.Context, rootID string) (*domain.Cascade, error) {
	var c *domain.Cascade
	err := db.read(ctx, func(t *tx) error {
		root, err := trainingSession(ctx, t, rootID)
		if err != nil {
			return err
		}
		edges, err := cascadeEdges(ctx, t)
		if err != nil {
			return err
		}
		c = &domain.Cascade{Root: &domain.CascadeNode{Session: root}}
		level := map[string]int{root.ID: 0}
		queue := []*domain.CascadeNode{c.Root}
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			for _, id := range edges[n.Session.ID] {
				if _, seen := level[id]; seen {
					continue
				}
				s, err := trainingSession(ctx, t, id)
				if err != nil {
					return err
				}
				child := &domain.CascadeNode{Session: s, Level: n.Level + 1}
				level[id] = child.Level
				n.Children = append(n.Children, child)
				queue = append(queue, child)
				c.Depth = max(c.Depth, child.Level)
			}
		}
		c.Levels, c.Sessions = c.Depth+1, len(level)
		return cascadeReach(ctx, t, c, level)
	})
	return c, err
}

// cascadeReach counts the officials trained in the sessions of a tree.
func cascadeReach(ctx context.Context, t *tx, c *domain.Cascade, level map[string]int) error {
	rows, err := t.query(ctx, `SELECT x.session_id, x.person_id, x.role, x.attended, x.certified_trainer, p.ministry, p.province
		FROM training_attendance x JOIN training_people p ON p.id = x.person_id`)
	if err != nil {
		return classify(err, "reading the cascade's reach")
	}
	defer rows.Close()
	type person struct{ ministry, province string }
	trained, downstream, trainers := map[string]person{}, map[string]bool{}, map[string]bool{}
	for rows.Next() {
		var (
			session, id, role, ministry, province string
			attended, certTrainer                 bool
		)
		if err := rows.Scan(&session, &id, &role, &attended, &certTrainer, &ministry, &province); err != nil {
			return classify(err, "reading the cascade's reach")
		}
		lv, in := level[session]
		if !in || role != "Participant" || !attended {
			continue
		}
		trained[id] = person{ministry, province}
		if lv > 0 {
			downstream[id] = true
		}
		if certTrainer {
			trainers[id] = true
		}
	}
	if err := rows.Err(); err != nil {
		return classify(err, "reading the cascade's reach")
	}
	c.Trained, c.Downstream, c.TrainersCertified = len(trained), len(downstream), len(trainers)
	if c.TrainersCertified > 0 {
		c.Multiplier = float64(c.Downstream) / float64(c.TrainersCertified)
	}
	byMin, byProv := map[string]int{}, map[string]int{}
	for _, p := range trained {
		byMin[p.ministry]++
		byProv[p.province]++
	}
	c.ByMinistry, c.ByProvince = reachCounts(byMin, false), reachCounts(byProv, true)
	return nil
}

// reachCounts turns counts by key into a list, largest first.
func reachCounts(m map[string]int, province bool) []domain.ReachCount {
	out := make([]domain.ReachCount, 0, len(m))
	for k, n := range m {
		r := domain.ReachCount{Ministry: k, Count: n}
		if province {
			r = domain.ReachCount{Province: k, Count: n}
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b domain.ReachCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Ministry+a.Province, b.Ministry+b.Province))
	})
	return out
}

// TrainingSummary counts the officials trained in sessions starting
// within [from, to] (either bound may be zero): participants who
// attended, each counted once per group of ministry, province and sex.
func (db *DB) TrainingSummary(ctx context.Context, from, to domain.Date) (*domain.TrainingSummary, error) {
	where, args := ` WHERE 1 = 1`, []any{}
	if !from.IsZero() {
		where += ` AND s.start_date >= ?`
		args = append(args, db.dialect.date(from))
	}
	if !to.IsZero() {
		where += ` AND s.start_date <= ?`
		args = append(args, db.dialect.date(to))
	}
	out := &domain.TrainingSummary{From: from, To: to, Groups: []domain.ReachCount{}}
	err := db.read(ctx, func(t *tx) error {
		if err := t.queryRow(ctx, `SELECT count(*) FROM training_sessions s`+where, args...).Scan(&out.Sessions); err != nil {
			return classify(err, "counting sessions")
		}
		join := ` FROM training_attendance x JOIN training_sessions s ON s.id = x.session_id JOIN training_people p ON p.id = x.person_id` +
			where + ` AND x.role = 'Participant' AND x.attended = ?`
		pargs := append(slices.Clone(args), true)
		if err := t.queryRow(ctx, `SELECT count(DISTINCT x.person_id)`+join, pargs...).Scan(&out.Trained); err != nil {
			return classify(err, "counting officials trained")
		}
		rows, err := t.query(ctx, `SELECT p.ministry, p.province, p.sex, count(DISTINCT x.person_id)`+join+
			` GROUP BY p.ministry, p.province, p.sex ORDER BY p.ministry, p.province, p.sex`, pargs...)
		if err != nil {
			return classify(err, "counting officials trained")
		}
		defer rows.Close()
		for rows.Next() {
			var r domain.ReachCount
			if err := rows.Scan(&r.Ministry, &r.Province, &r.Sex, &r.Count); err != nil {
				return classify(err, "counting officials trained")
			}
			out.Groups = append(out.Groups, r)
		}
		return classify(rows.Err(), "counting officials trained")
	})
	return out, err
}
