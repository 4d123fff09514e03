// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"slices"
	"strings"

	"vigie/internal/domain"
)

// JusticeFigures counts the chain in a period (either bound may be zero)
// for one agency or all: see domain.JusticeFigures for what each figure
// is. Persons are counted once per stage, by the registry's clear columns
// (gender, age group, citizenship); no name is read.
func (db *DB) JusticeFigures(ctx context.Context, f domain.FiguresFilter) (*domain.JusticeFigures, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	out := &domain.JusticeFigures{From: f.From, To: f.To, Agency: f.Agency,
		Investigated: domain.NewPersonCounts(), Prosecuted: domain.NewPersonCounts(), Convicted: domain.NewPersonCounts(),
		Offences:  []domain.OffenceCount{},
		Sentences: domain.SentenceFigures{PrisonMonths: map[string]int{}, Fines: map[string]int64{}, Compensation: map[string]int64{}}}
	err := db.read(ctx, func(t *tx) error {
		agency := func(where []string, args []any) ([]string, []any) {
			if f.Agency != "" {
				return append(where, "p.agency_id = (SELECT id FROM agencies WHERE code = ?)"), append(args, f.Agency)
			}
			return where, args
		}
		period := func(col string, where []string, args []any) ([]string, []any) {
			if !f.From.IsZero() {
				where, args = append(where, col+" >= ?"), append(args, t.d.date(f.From))
			}
			if !f.To.IsZero() {
				where, args = append(where, col+" <= ?"), append(args, t.d.date(f.To))
			}
			return agency(where, args)
		}
		w, a := period("p.complaint_date", []string{"1 = 1"}, nil)
		if err := t.queryRow(ctx, `SELECT count(*) FROM proceedings p WHERE `+strings.Join(w, " AND "), a...).Scan(&out.Proceedings); err != nil {
			return classify(err, "counting proceedings")
		}
		for _, st := range []struct {
			counts *domain.PersonCounts
			kind   domain.StepKind
			col    string
			extra  string
		}{
			{&out.Investigated, domain.StepDefendant, "p.investigation_opened", ""},
			{&out.Prosecuted, domain.StepCharge, "j.date", ""},
			{&out.Convicted, domain.StepCharge, "j.verdict_date", "j.verdict = 'Convicted'"},
		} {
			w, a := period(st.col, []string{"j.kind = ?"}, []any{string(st.kind)})
			if st.extra != "" {
				w = append(w, st.extra)
			}
			if err := t.personCounts(ctx, st.counts, w, a); err != nil {
				return err
			}
		}
		if err := t.offenceCounts(ctx, out, period); err != nil {
			return err
		}
		return t.sentenceFigures(ctx, out, period)
	})
	return out, err
}

type periodFunc func(col string, where []string, args []any) ([]string, []any)

// personCounts counts the distinct suspects of the steps matching where.
func (t *tx) personCounts(ctx context.Context, c *domain.PersonCounts, where []string, args []any) error {
	rows, err := t.query(ctx, `SELECT DISTINCT s.id, s.gender, s.age_group, s.citizenship FROM justice_steps j
		JOIN proceedings p ON p.id = j.proceeding_id JOIN suspects s ON s.id = j.suspect_id WHERE `+strings.Join(where, " AND "), args...)
	if err != nil {
		return classify(err, "counting persons")
	}
	defer rows.Close()
	for rows.Next() {
		var id, g, ag, cit string
		if err := rows.Scan(&id, &g, &ag, &cit); err != nil {
			return classify(err, "counting persons")
		}
		c.Add(orUnknown(g), orUnknown(ag), orUnknown(cit))
	}
	return classify(rows.Err(), "counting persons")
}

func orUnknown(s string) string {
	if s == "" {
		return "Unknown"
	}
	return s
}

// offenceCounts counts the charges laid in the period by article and
// verdict.
func (t *tx) offenceCounts(ctx context.Context, out *domain.JusticeFigures, period periodFunc) error {
	w, a := period("j.date", []string{"j.kind = ?"}, []any{string(domain.StepCharge)})
	rows, err := t.query(ctx, `SELECT l.code, l.law, l.article, j.verdict, count(*) FROM justice_steps j
		JOIN proceedings p ON p.id = j.proceeding_id JOIN law_articles l ON l.id = j.article_id
		WHERE `+strings.Join(w, " AND ")+` GROUP BY l.code, l.law, l.article, j.verdict ORDER BY l.code, j.verdict`, a...)
	if err != nil {
		return classify(err, "counting offences")
	}
	defer rows.Close()
	for rows.Next() {
		var (
			code, law, art, verdict string
			n                       int
		)
		if err := rows.Scan(&code, &law, &art, &verdict, &n); err != nil {
			return classify(err, "counting offences")
		}
		if verdict == "" {
			verdict = "Pending"
		}
		i := slices.IndexFunc(out.Offences, func(o domain.OffenceCount) bool { return o.ArticleCode == code })
		if i < 0 {
			out.Offences = append(out.Offences, domain.OffenceCount{ArticleCode: code, Law: law, Article: art, Verdicts: map[string]int{}})
			i = len(out.Offences) - 1
		}
		out.Offences[i].Charges += n
		out.Offences[i].Verdicts[verdict] += n
	}
	return classify(rows.Err(), "counting offences")
}

// sentenceFigures sums the sentences pronounced in the period. What a
// sentence ordered is sealed with its proceeding's key: each key is
// unwrapped once (the rows come grouped by proceeding) and only the
// amounts leave this function.
func (t *tx) sentenceFigures(ctx context.Context, out *domain.JusticeFigures, period periodFunc) error {
	w, a := period("j.date", []string{"j.kind = ?"}, []any{string(domain.StepSentence)})
	rows, err := t.query(ctx, `SELECT p.id, p.number, p.dek, j.id, j.data FROM justice_steps j JOIN proceedings p ON p.id = j.proceeding_id
		WHERE `+strings.Join(w, " AND ")+` ORDER BY p.id`, a...)
	if err != nil {
		return classify(err, "summing sentences")
	}
	defer rows.Close()
	s := &out.Sentences
	for rows.Next() {
		var (
			pid, number, id string
			wrapped, data   []byte
			v               domain.Sentence
		)
		if err := rows.Scan(&pid, &number, &wrapped, &id, &data); err != nil {
			return classify(err, "summing sentences")
		}
		dek, err := t.proceedingKey(pid, number, wrapped)
		if err != nil {
			return err
		}
		if err := openJSON(dek, data, stepAAD(domain.StepSentence, id), &v); err != nil {
			return err
		}
		s.Count++
		if v.Suspended {
			s.Suspended++
		}
		if v.PrisonMonths != nil {
			s.PrisonMonths[domain.PrisonBucket(*v.PrisonMonths)]++
			s.PrisonMonthsTotal += *v.PrisonMonths
		}
		if v.Fine != nil {
			s.Fines[v.Fine.Currency] += v.Fine.Amount
		}
		if v.Compensation != nil {
			s.Compensation[v.Compensation.Currency] += v.Compensation.Amount
		}
		if strings.TrimSpace(v.Confiscated) != "" {
			s.Confiscations++
		}
	}
	return classify(rows.Err(), "summing sentences")
}
