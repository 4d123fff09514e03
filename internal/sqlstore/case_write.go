// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"strconv"
	"strings"

	"vigie/internal/domain"
)

var _ domain.CaseService = (*DB)(nil)

// caseFields is the JSON kept in cases.fields: the case's own fields that
// no list filters on. Free text lives here, never in a plain column.
type caseFields struct {
	ReasonForCaseClosure string `json:"cas_ReasonForCaseClosure,omitempty"`
	CaseOwner            string `json:"cas_CaseOwner,omitempty"`
	DataSource           string `json:"vig_DataSource,omitempty"`
	RegistrationPeriod   string `json:"vig_RegistrationPeriod,omitempty"`
}

var caseColumns = []string{"id", "agency_id", "number", "situation_id", "status", "trafficking_status", "gender",
	"age_group", "age_band", "citizenship", "exploitation", "exploitation_country", "reg_year", "reg_date", "reg_key",
	"source_key", "person", "victim", "fields", "version", "created_at", "updated_at", "dek", "key_id", "province", "services", "repatriated"}

// regKey orders cases by registration: the date when known, else the
// year, else the period's first year.
func regKey(c *domain.Case) string {
	switch {
	case !c.RegistrationDate.IsZero():
		return c.RegistrationDate.String()
	case c.RegistrationYear != 0:
		return strconv.Itoa(c.RegistrationYear)
	case c.RegistrationPeriod != "":
		return c.RegistrationPeriod
	}
	return ""
}

// caseValues returns the row of cases for c, in caseColumns order, with
// the person, victim and free-text fields sealed with the case's key.
func caseValues(d dialect, c *domain.Case, agencyID string, key recordKey) ([]any, error) {
	person, err := sealJSON(key.dek, &c.Person, caseAAD(c.ID, "person"))
	if err != nil {
		return nil, err
	}
	victim, err := sealJSON(key.dek, &c.Victim, caseAAD(c.ID, "victim"))
	if err != nil {
		return nil, err
	}
	fields, err := sealJSON(key.dek, caseFields{c.ReasonForCaseClosure, c.CaseOwner, c.DataSource, c.RegistrationPeriod}, caseAAD(c.ID, "fields"))
	if err != nil {
		return nil, err
	}
	var regYear any
	if c.RegistrationYear != 0 {
		regYear = c.RegistrationYear
	}
	return []any{c.ID, agencyID, c.Number, nullString(c.SituationID), c.Status, c.Victim.TraffickingStatus, c.Person.Gender,
		c.AgeGroup(), c.AgeBandOf(), strings.Join(c.Person.Citizenship, ";"), strings.Join(c.Victim.TypeOfExploitation, ";"),
		strings.Join(c.ExploitationCountries(), ";"), regYear, d.date(c.RegistrationDate), regKey(c),
		nullString(c.SourceKey), person, victim, fields, c.Version, d.ts(c.CreatedAt), d.ts(c.UpdatedAt), key.wrapped, key.keyID, c.Province,
		strings.Join(c.ServiceTypes(), ";"), domain.YesNoOf(c.Repatriated)}, nil
}

// CreateCase validates c, gives it an ID, a number and version 1, and
// stores it with its parts in one transaction.
func (db *DB) CreateCase(ctx context.Context, c *domain.Case) error {
	today := db.Now.Today()
	c.Normalize(today)
	if err := c.Validate(today); err != nil {
		return err
	}
	// A case registered here (the API, the pages, the CLI) is open unless
	// it is closed: an open case has no reason for closure, as updates
	// say. (Imports keep what other systems recorded.)
	if !domain.IsClosedStatus(c.Status) && strings.TrimSpace(c.ReasonForCaseClosure) != "" {
		var p domain.Problems
		p.Add("cas_ReasonForCaseClosure", "validation.reopen_reason", "only a closed case has a reason for closure: send it empty")
		return p.Err()
	}
	return db.write(ctx, func(t *tx) error {
		id, err := agencyID(ctx, t, c.Agency)
		if err != nil {
			return err
		}
		if c.SourceKey != "" {
			var n int
			if err := t.queryRow(ctx, `SELECT count(*) FROM cases WHERE source_key = ?`, c.SourceKey).Scan(&n); err != nil {
				return classify(err, "checking source key")
			}
			if n > 0 {
				return domain.Errorf(domain.KindConflict, "a case with source key %q already exists", c.SourceKey)
			}
		}
		if err := insertCases(ctx, t, []*domain.Case{c}, map[string]string{c.Agency: id}); err != nil {
			return err
		}
		e := caseEntry(ctx, domain.AuditCreate, c, id)
		return t.audit(ctx, e)
	})
}

// caseEntry starts the audit entry of an action on a case.
func caseEntry(ctx context.Context, action string, c *domain.Case, agencyID string) *domain.AuditEntry {
	e := domain.NewAuditEntry(ctx, action)
	e.Resource, e.RecordID, e.CaseID, e.CaseNumber, e.AgencyID = string(domain.ResCase), c.ID, c.ID, c.Number, agencyID
	return e
}

// ownFields is what of a case UpdateCase may change, for the audit log's
// list of changed fields.
func ownFields(c *domain.Case) any {
	x := *c
	x.Events, x.SupportPlans, x.Consents, x.Comments, x.Referrals, x.Perpetrators = nil, nil, nil, nil, nil, nil
	x.Meta = domain.Meta{}
	return &x
}

// numberYear is the year in a case's number: its registration year, or
// the current year for records whose year is unknown.
func numberYear(c *domain.Case, now int) int {
	if c.RegistrationYear != 0 {
		return c.RegistrationYear
	}
	return now
}

// reserveNumbers takes n consecutive sequence numbers of an agency and
// year and returns the first.
func reserveNumbers(ctx context.Context, t *tx, agencyID string, year int, n int) (int64, error) {
	var last int64
	err := t.queryRow(ctx, `INSERT INTO case_sequences (agency_id, year, last) VALUES (?, ?, ?)
		ON CONFLICT (agency_id, year) DO UPDATE SET last = case_sequences.last + excluded.last
		RETURNING last`, agencyID, year, n).Scan(&last)
	if err != nil {
		return 0, classify(err, "numbering cases")
	}
	return last - int64(n) + 1, nil
}

// insertCases stores new cases and their parts. Cases must be valid;
// agencyIDs maps each case's agency code to the agency's ID.
func insertCases(ctx context.Context, t *tx, cases []*domain.Case, agencyIDs map[string]string) error {
	b := &importBatch{now: t.now}
	for _, c := range cases {
		if err := b.add(t.db, c); err != nil {
			return err
		}
	}
	d := newCubeChanges()
	if err := writeBatch(ctx, t, b, agencyIDs, d); err != nil {
		return err
	}
	return d.apply(ctx, t)
}

// cubeChanges are the changes of both cubes that a transaction's cases
// make, summed so that each row of a cube is written once per
// transaction, however many cases (and batches of an import) it holds.
type cubeChanges struct {
	counts countDeltas
	cube   cubeDeltas
}

func newCubeChanges() *cubeChanges { return &cubeChanges{counts: countDeltas{}, cube: cubeDeltas{}} }

// apply writes case_counts before report_cube, as in every transaction
// that changes both: the same order of locks on PostgreSQL, no deadlock.
func (d *cubeChanges) apply(ctx context.Context, t *tx) error {
	if err := d.counts.apply(ctx, t); err != nil {
		return err
	}
	return d.cube.apply(ctx, t)
}

// writeBatch numbers the batch's cases per agency and year, in order, and
// writes their rows, lists and parts; their counts are added to d, which
// the caller applies before committing.
func writeBatch(ctx context.Context, t *tx, b *importBatch, agencyIDs map[string]string, d *cubeChanges) error {
	type key struct {
		agency string
		year   int
	}
	perKey := map[key]int{}
	var order []key
	for _, c := range b.cases {
		k := key{c.Agency, numberYear(c, b.now.Year())}
		if perKey[k] == 0 {
			order = append(order, k)
		}
		perKey[k]++
	}
	next := map[key]int64{}
	for _, k := range order {
		first, err := reserveNumbers(ctx, t, agencyIDs[k.agency], k.year, perKey[k])
		if err != nil {
			return err
		}
		next[k] = first
	}
	var nameRows [][]any
	parts := map[domain.PartKind][][]any{}
	for i, c := range b.cases {
		k := key{c.Agency, numberYear(c, b.now.Year())}
		c.Number = domain.FormatCaseNumber(c.Agency, k.year, next[k])
		next[k]++
		b.rows[i][1], b.rows[i][2] = agencyIDs[c.Agency], c.Number
		d.counts.add(c, agencyIDs[c.Agency], 1)
		d.cube[cubeKeyOf(c, agencyIDs[c.Agency])]++
		for _, k := range b.names[i] {
			nameRows = append(nameRows, []any{k, c.ID, agencyIDs[c.Agency]})
		}
		for kind, rows := range b.parts[i] {
			parts[kind] = append(parts[kind], rows...)
		}
	}
	if err := checkBatchSituations(ctx, t, b.cases, agencyIDs); err != nil {
		return err
	}
	if err := t.insertRows(ctx, "cases", caseColumns, b.rows); err != nil {
		if domain.KindOf(err) == domain.KindInvalid {
			return unknownSituation()
		}
		return err
	}
	if err := t.insertLinks(ctx, b.cases); err != nil {
		return err
	}
	for _, kind := range domain.PartKinds {
		if err := t.insertRows(ctx, string(kind), partColumns, parts[kind]); err != nil {
			return err
		}
	}
	if err := t.insertRows(ctx, "name_index", nameIndexColumns, nameRows); err != nil {
		return err
	}
	for _, c := range b.cases {
		if len(c.Referrals) > 0 {
			if err := t.syncReferralAccess(ctx, c, true, true); err != nil {
				return err
			}
		}
		if len(c.SupportPlans) > 0 {
			if err := t.syncFollowUps(ctx, c); err != nil {
				return err
			}
		}
	}
	return nil
}

// UpdateCase replaces the case's own fields, person and victim context if
// c.Version is still the stored version. Parts are changed through
// AddPart, UpdatePart and DeletePart.
func (db *DB) UpdateCase(ctx context.Context, c *domain.Case) error {
	today := db.Now.Today()
	return db.write(ctx, func(t *tx) error { return t.updateCase(ctx, c, today) })
}

// updateCase is UpdateCase inside a transaction, so that a change that
// closes a case (an approved closure request) records its own decision in
// the same transaction.
func (t *tx) updateCase(ctx context.Context, c *domain.Case, today domain.Date) error {
	cur, err := loadCase(ctx, t, c.ID, true)
	if err != nil {
		return err
	}
	if c.Version != cur.Version {
		return staleVersion("case "+cur.Number, c.Version, cur.Version)
	}
	// An update that leaves the registration out keeps the stored one:
	// normalizing first would set today's date, moving the case (an
	// imported record with a year only too) to this year in every list
	// and count.
	domain.KeepStatus(c, cur)
	var p domain.Problems
	switch {
	case c.RegistrationDate.IsZero() && c.RegistrationYear == 0 && c.RegistrationPeriod == "":
		c.RegistrationDate, c.RegistrationYear, c.RegistrationPeriod = cur.RegistrationDate, cur.RegistrationYear, cur.RegistrationPeriod
	case c.RegistrationDate.IsZero() && !cur.RegistrationDate.IsZero() && c.RegistrationPeriod != "":
		// A span of years sent to a dated case would drop the date
		// without a word, as another year did.
		p.Add("vig_RegistrationPeriod", "validation.mismatch", "the case is registered on %s: a span of years would drop that date; change the date with vig_RegistrationDate", cur.RegistrationDate)
	case c.RegistrationDate.IsZero() && !cur.RegistrationDate.IsZero() && c.RegistrationPeriod == "":
		// The year alone was sent (a client that only knows the year
		// column): the date is kept when it is of that year. Another
		// year would drop the date without a word: refused.
		if c.RegistrationYear == cur.RegistrationDate.Year() {
			c.RegistrationDate = cur.RegistrationDate
		} else {
			p.Add("vig_RegistrationYear", "validation.mismatch", "%d does not match the registration date %s: send the new vig_RegistrationDate", c.RegistrationYear, cur.RegistrationDate)
		}
	}
	p = append(p, domain.ImmutableChanges(c, cur)...)
	// Closing a case says why, on every path (the pages' closure asked;
	// a PUT with cas_Status Closed and no reason was stored).
	if domain.IsClosedStatus(c.Status) && !domain.IsClosedStatus(cur.Status) && strings.TrimSpace(c.ReasonForCaseClosure) == "" {
		p.Add("cas_ReasonForCaseClosure", "validation.required", "closing a case needs the reason for its closure")
	}
	// Only a closed case has a reason for its closure: reopening ends the
	// closure (the pages' reopening clears the reason; the closure stays
	// in the case's audit trail), and an open case gains none. A reason an
	// open case already holds (stored by earlier versions) may be sent
	// back unchanged.
	kept := !domain.IsClosedStatus(cur.Status) && c.ReasonForCaseClosure == cur.ReasonForCaseClosure
	if domain.CaseStatus.Valid(c.Status) && !domain.IsClosedStatus(c.Status) && strings.TrimSpace(c.ReasonForCaseClosure) != "" && !kept {
		p.Add("cas_ReasonForCaseClosure", "validation.reopen_reason", "only a closed case has a reason for closure: send it empty")
	}
	if err := p.Err(); err != nil {
		return err
	}
	// The parts stay as stored; they take part in validation and in
	// the derived columns (country of exploitation).
	c.ID, c.Agency, c.Number, c.SourceKey, c.CreatedAt = cur.ID, cur.Agency, cur.Number, cur.SourceKey, cur.CreatedAt
	c.Events, c.SupportPlans, c.Consents = cur.Events, cur.SupportPlans, cur.Consents
	c.Comments, c.Referrals, c.Perpetrators = cur.Comments, cur.Referrals, cur.Perpetrators
	c.Normalize(today)
	if err := c.Validate(today); err != nil {
		return err
	}
	c.Version = cur.Version + 1
	c.UpdatedAt = t.now
	row, err := caseValues(t.d, c, "", t.keyOf(c.ID))
	if err != nil {
		return err
	}
	// Columns 3.. of caseValues, minus id/agency/number, created_at and
	// the keys; then province and repatriated (services follow the parts).
	res, err := t.exec(ctx, `UPDATE cases SET situation_id = ?, status = ?, trafficking_status = ?, gender = ?, age_group = ?,
		age_band = ?, citizenship = ?, exploitation = ?, exploitation_country = ?, reg_year = ?, reg_date = ?, reg_key = ?,
		source_key = ?, person = ?, victim = ?, fields = ?, version = ?, updated_at = ?, province = ?, repatriated = ?
		WHERE id = ? AND version = ?`, append(row[3:20], row[21], row[24], row[26], c.ID, cur.Version)...)
	if err != nil {
		if domain.KindOf(classify(err, "")) == domain.KindInvalid {
			return unknownSituation()
		}
		return classify(err, "updating case")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return staleVersion("case "+cur.Number, c.Version-1, -1)
	}
	aid, err := agencyID(ctx, t, cur.Agency)
	if err != nil {
		return err
	}
	counts := countDeltas{}
	counts.add(cur, aid, -1)
	counts.add(c, aid, 1)
	if err := counts.apply(ctx, t); err != nil {
		return err
	}
	cube := cubeDeltas{}
	cube.move(cubeKeyOf(cur, aid), cubeKeyOf(c, aid))
	if err := cube.apply(ctx, t); err != nil {
		return err
	}
	if err := t.replaceLinks(ctx, c); err != nil {
		return err
	}
	if err := t.replaceNameIndex(ctx, c); err != nil {
		return err
	}
	e := caseEntry(ctx, domain.AuditUpdate, c, aid)
	e.Detail = map[string]any{"fields": domain.ChangedFields(ownFields(cur), ownFields(c)), "version": c.Version}
	return t.audit(ctx, e)
}

// replaceNameIndex rewrites the blind index rows of the case's name.
func (t *tx) replaceNameIndex(ctx context.Context, c *domain.Case) error {
	if _, err := t.exec(ctx, `DELETE FROM name_index WHERE case_id = ?`, c.ID); err != nil {
		return classify(err, "updating the name index")
	}
	keys, err := t.db.nameKeys(&c.Person)
	if err != nil || len(keys) == 0 {
		return err
	}
	// The owning agency is read, not taken from c: the index must agree
	// with the row it scopes, whatever the caller passed.
	var agencyID string
	if err := t.queryRow(ctx, `SELECT agency_id FROM cases WHERE id = ?`, c.ID).Scan(&agencyID); err != nil {
		return classify(err, "updating the name index")
	}
	rows := make([][]any, len(keys))
	for i, k := range keys {
		rows[i] = []any{k, c.ID, agencyID}
	}
	return t.insertRows(ctx, "name_index", nameIndexColumns, rows)
}

// staleVersion is the conflict returned for an update based on an old
// version. cur < 0 means the row changed between read and write.
func staleVersion(what string, got, cur int64) error {
	if cur < 0 {
		return domain.Errorf(domain.KindConflict, "%s was changed by someone else while you were saving; reload it and apply your change again", what)
	}
	return domain.Errorf(domain.KindConflict, "%s was changed by someone else: you edited version %d, the current version is %d; reload it and apply your change again", what, got, cur)
}

// unknownSituation is the refusal of a situation_id the database does not
// hold, on its field (an import's reject file named no column for it).
func unknownSituation() error {
	return &domain.Error{Kind: domain.KindInvalid, Message: "invalid data", Fields: []domain.FieldError{{Field: "situation_id", Code: "validation.unknown_situation", Message: "does not refer to an existing situation"}}}
}
