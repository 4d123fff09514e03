// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"strings"
	"time"

	"vigie/internal/domain"
)

// ImportCases stores a batch of cases in one transaction, skipping cases
// whose SourceKey is already stored (or repeated within the batch), so
// that running the same import twice creates nothing new and an
// interrupted import can simply be run again.
func (db *DB) ImportCases(ctx context.Context, cases []*domain.Case) (domain.ImportResult, error) {
	b, err := db.PrepareImport(cases)
	if err != nil {
		return domain.ImportResult{}, err
	}
	return db.ImportPrepared(ctx, b)
}

// importBatch is a batch validated and encoded outside any transaction,
// so that an importer can prepare the next batch while the database
// writes this one.
type importBatch struct {
	cases []*domain.Case
	rows  [][]any // one row of cases per case; agency_id and number are filled at write time
	parts []map[domain.PartKind][][]any
	names [][][]byte // blind-index keys of each case's name
	now   time.Time
}

func (b *importBatch) Len() int { return len(b.cases) }

// add gives c its ID, version 1 and the batch's time, and encodes its rows
// (agency and number are filled when the batch is written).
func (b *importBatch) add(db *DB, c *domain.Case) error {
	// A case moved from another database (an export imported) keeps
	// when it was created and last changed, and so do its parts: a
	// comment has no other date, and each took the import's time.
	created := keptTime(c.CreatedAt, b.now)
	c.ID, c.Version, c.CreatedAt, c.UpdatedAt = newID(), 1, created, keptTime(c.UpdatedAt, b.now, created)
	key, err := db.newRecordKey()
	if err != nil {
		return err
	}
	row, err := caseValues(db.dialect, c, "", key)
	if err != nil {
		return err
	}
	nameKeys, err := db.nameKeys(&c.Person)
	if err != nil {
		return err
	}
	parts := map[domain.PartKind][][]any{}
	for _, kind := range domain.PartKinds {
		for _, p := range c.Parts(kind) {
			// Imported parts always get new IDs: a file's IDs are not ours.
			p.PartMeta().ID = ""
			m := p.PartMeta()
			at := keptTime(m.CreatedAt, b.now)
			prow, err := newPartRow(db.dialect, at, keptTime(m.UpdatedAt, b.now, at), c.ID, key.dek, kind, p)
			if err != nil {
				return err
			}
			parts[kind] = append(parts[kind], prow)
		}
	}
	b.cases, b.rows = append(b.cases, c), append(b.rows, row)
	b.parts = append(b.parts, parts)
	b.names = append(b.names, nameKeys)
	return nil
}

// PrepareImport validates cases and encodes their rows. It touches no
// database and may run concurrently with ImportPrepared.
func (db *DB) PrepareImport(cases []*domain.Case) (domain.PreparedImport, error) {
	now := db.Now().UTC().Truncate(time.Microsecond)
	today := domain.DateOf(now)
	b := &importBatch{now: now}
	for _, c := range cases {
		c.Normalize(today)
		if c.SourceKey == "" {
			return nil, domain.Errorf(domain.KindInvalid, "imported cases need a source key")
		}
		if err := c.Validate(today); err != nil {
			return nil, domain.Wrap(domain.KindInvalid, err, "case with source key %s is invalid", c.SourceKey)
		}
		if err := b.add(db, c); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// ImportPrepared writes a batch from PrepareImport in one transaction.
func (db *DB) ImportPrepared(ctx context.Context, p domain.PreparedImport) (domain.ImportResult, error) {
	done := false
	res, err := db.ImportPreparedGroup(ctx, func() domain.PreparedImport {
		if done {
			return nil
		}
		done = true
		return p
	})
	if err != nil || len(res) == 0 {
		return domain.ImportResult{}, err
	}
	return res[0], nil
}

// ImportPreparedGroup writes the batches that next yields (until it
// returns nil) in one transaction and returns one result per batch. Each
// batch is written as soon as it is yielded, so that a caller can drop
// its encoded rows while the transaction grows. One transaction for
// several batches is what makes an import fast: the commit (SQLite's WAL
// frames and checkpoints of the pages every batch touches), the counts
// and report cubes (one upsert per row of a cube per transaction instead
// of per batch) and the audit entries are paid once. The cubes and the
// audit log are written last, just before the commit, so that their rows
// and PostgreSQL's audit lock are held only for that moment. On an error
// nothing of the group is stored. (A savepoint per batch, to keep the
// batches before a refused one, held a copy of every page a batch
// touched in memory: 40 MB more at the peak.)
func (db *DB) ImportPreparedGroup(ctx context.Context, next func() domain.PreparedImport) ([]domain.ImportResult, error) {
	first := next()
	if first == nil {
		return nil, nil
	}
	b, ok := first.(*importBatch)
	if !ok {
		return nil, domain.Errorf(domain.KindInternal, "batch was not prepared by this store")
	}
	if err := db.prepareInserts(ctx); err != nil {
		return nil, err
	}
	var results []domain.ImportResult
	err := db.writeAt(ctx, b.now, func(t *tx) error {
		if err := lockImportNumbers(ctx, t); err != nil {
			return err
		}
		d := newCubeChanges()
		agencyIDs := map[string]string{}
		var entries []*domain.AuditEntry
		p := first
		first = nil // each batch may be freed once written
		for ; p != nil; p = next() {
			b, ok := p.(*importBatch)
			if !ok {
				return domain.Errorf(domain.KindInternal, "batch was not prepared by this store")
			}
			// Rows and audit entries carry the time their batch was
			// prepared with, as when each batch was its own transaction.
			t.now = b.now
			res, e, err := writeImport(ctx, t, b, agencyIDs, d)
			if err != nil {
				return err
			}
			results = append(results, res)
			entries = append(entries, e)
		}
		if err := d.apply(ctx, t); err != nil {
			return err
		}
		for _, e := range entries {
			if err := t.audit(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// importLockKey orders imports on PostgreSQL (first key; the second is
// the schema's hash). 7462351 is the migrations' lock, 7462352 the audit
// log's, 7462353 the releases'.
const importLockKey = 7462354

// lockImportNumbers makes concurrent imports wait for each other on
// PostgreSQL, one transaction at a time. An import's transaction reserves
// case numbers from the sequence rows of several agencies and years, in
// the order its rows come; two imports taking the same rows in other
// orders deadlocked, and one of them failed. The lock is taken first, so
// its holder waits at most for single-sequence writers (a case created
// on a page), which never wait for it. SQLite has a single writer.
func lockImportNumbers(ctx context.Context, t *tx) error {
	if t.d != postgresDialect {
		return nil
	}
	if _, err := t.exec(ctx, `SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))`, importLockKey); err != nil {
		return classify(err, "waiting for another import")
	}
	return nil
}

// writeImport writes the cases of b whose source key is not stored yet
// and returns the batch's result and audit entry.
func writeImport(ctx context.Context, t *tx, b *importBatch, agencyIDs map[string]string, d *cubeChanges) (domain.ImportResult, *domain.AuditEntry, error) {
	var res domain.ImportResult
	existing, err := existingSourceKeys(ctx, t, b.cases)
	if err != nil {
		return res, nil, err
	}
	fresh := &importBatch{now: b.now}
	for i, c := range b.cases {
		if existing[c.SourceKey] {
			res.Skipped++
			continue
		}
		existing[c.SourceKey] = true
		if _, ok := agencyIDs[c.Agency]; !ok {
			id, err := importAgencyID(ctx, t, c.Agency)
			if err != nil {
				return res, nil, err
			}
			agencyIDs[c.Agency] = id
		}
		fresh.cases = append(fresh.cases, c)
		fresh.rows = append(fresh.rows, b.rows[i])
		fresh.parts = append(fresh.parts, b.parts[i])
		fresh.names = append(fresh.names, b.names[i])
	}
	if err := writeBatch(ctx, t, fresh, agencyIDs, d); err != nil {
		return res, nil, err
	}
	res.Created = len(fresh.cases)
	// One entry per batch: an import of a million records writes 500
	// entries, not a million.
	e := domain.NewAuditEntry(ctx, domain.AuditImport)
	e.At = b.now
	e.Resource = string(domain.ResCase)
	e.Detail = map[string]any{"created": res.Created, "skipped": res.Skipped}
	if len(fresh.cases) > 0 {
		e.AgencyID = agencyIDs[fresh.cases[0].Agency]
		e.Detail["first"], e.Detail["last"] = fresh.cases[0].Number, fresh.cases[len(fresh.cases)-1].Number
	}
	return res, e, nil
}

func existingSourceKeys(ctx context.Context, t *tx, cases []*domain.Case) (map[string]bool, error) {
	const chunk = 500
	keys := make([]string, len(cases))
	for i, c := range cases {
		keys[i] = c.SourceKey
	}
	found := make(map[string]bool, len(cases))
	if err := t.storedSourceKeys(ctx, keys, found); err != nil {
		return nil, err
	}
	// A key "id:X" names a case by its Vigie ID (an HTCDS export's id
	// column): when case X is in this database — created here, with no
	// source key, and exported — importing the export back is that case,
	// not a second copy of it.
	var ids []any
	keysOf := map[string][]string{} // the ID as stored (lower case) → its keys
	for _, c := range cases {
		if id, ok := strings.CutPrefix(c.SourceKey, "id:"); ok && isUUID(id) && !found[c.SourceKey] {
			id = strings.ToLower(id)
			if keysOf[id] == nil {
				ids = append(ids, id)
			}
			keysOf[id] = append(keysOf[id], c.SourceKey)
		}
	}
	for start := 0; start < len(ids); start += chunk {
		end := min(start+chunk, len(ids))
		here, err := t.stringList(ctx, `SELECT id FROM cases WHERE id IN `+placeholders(end-start), ids[start:end]...)
		if err != nil {
			return nil, classify(err, "checking case IDs")
		}
		for _, id := range here {
			for _, k := range keysOf[strings.ToLower(id)] {
				found[k] = true
			}
		}
	}
	return found, nil
}

// exportWhere is the filter of an export: a list's, with the cases
// registered with a span inside its years (case_list_periods.go) in the
// same statement, since an export reads every match in creation order.
func exportWhere(t *tx, f *domain.CaseFilter, aid string) (string, []any) {
	cond, cargs, ok := periodCond(f)
	if !ok {
		return filterClause(t, f, aid, false)
	}
	where, args := filterClause(t, withoutYears(f), aid, false)
	years, yargs := filterClause(t, &domain.CaseFilter{YearFrom: f.YearFrom, YearTo: f.YearTo}, "", false)
	where = andWhere(where, "(("+strings.TrimPrefix(years, " WHERE ")+") OR ("+cond+"))")
	return where, append(append(args, yargs...), cargs...)
}

// exportPage is how many cases ExportCases reads per query.
const exportPage = 500

// ExportCases calls fn for each case matching f, with its parts, in
// creation order. It reads page by page so memory stays flat.
func (db *DB) ExportCases(ctx context.Context, f domain.CaseFilter, fn func(*domain.Case) error) error {
	f.Sort, f.Cursor, f.Limit = "created", "", exportPage
	if err := f.Validate(); err != nil {
		return err
	}
	after := ""
	for {
		var batch []*domain.Case
		err := db.read(ctx, func(t *tx) error {
			var aid string
			if f.Agency != "" {
				var err error
				if aid, err = agencyID(ctx, t, f.Agency); err != nil {
					return err
				}
			}
			where, args := exportWhere(t, &f, aid)
			if after != "" {
				if where == "" {
					where = " WHERE c.id > ?"
				} else {
					where += " AND c.id > ?"
				}
				args = append(args, after)
			}
			rows, err := t.query(ctx, caseSelect+where+` ORDER BY c.id LIMIT ?`, append(args, exportPage)...)
			if err != nil {
				return classify(err, "exporting cases")
			}
			if batch, err = t.scanCases(rows); err != nil {
				return err
			}
			return loadParts(ctx, t, batch)
		})
		if err != nil {
			return err
		}
		for _, c := range batch {
			if err := fn(c); err != nil {
				return err
			}
		}
		if len(batch) < exportPage {
			return nil
		}
		after = batch[len(batch)-1].ID
	}
}

// importAgencyID is the ID of an imported case's agency; when the import
// creates agencies (domain.WithImportAgencies), one that does not exist is
// created here, in the import's transaction, named "Import CODE" (its
// creation is in the import's audit entry). Another writer may have just
// created it: the insert then does nothing and its ID is read.
func importAgencyID(ctx context.Context, t *tx, code string) (string, error) {
	id, err := agencyID(ctx, t, code)
	if err == nil || !domain.ImportCreatesAgencies(ctx) || !domain.ValidAgencyCode(code) {
		return id, err
	}
	if fe := domain.FieldErrors(err); len(fe) != 1 || fe[0].Code != "validation.unknown_agency" {
		return id, err
	}
	if err := insertAgency(ctx, t, &domain.Agency{Code: code, Name: "Import " + code}, ` ON CONFLICT (code) DO NOTHING`); err != nil {
		return "", classify(err, "creating agency "+code)
	}
	return agencyID(ctx, t, code)
}

// keptTime is t, a time a file gives for a record, when it can be one: not
// after now, not before 1990, and not before each of after (a change is
// not older than the creation); else now.
func keptTime(t, now time.Time, after ...time.Time) time.Time {
	if t.IsZero() || t.After(now) || t.Year() < 1990 {
		return now
	}
	for _, a := range after {
		if t.Before(a) {
			return now
		}
	}
	return t.UTC().Truncate(time.Microsecond)
}

// storedSourceKeys marks in found those of keys that stored cases carry as
// their source key, 500 keys a query.
func (t *tx) storedSourceKeys(ctx context.Context, keys []string, found map[string]bool) error {
	for start := 0; start < len(keys); start += 500 {
		end := min(start+500, len(keys))
		args := make([]any, 0, end-start)
		for _, k := range keys[start:end] {
			args = append(args, k)
		}
		here, err := t.stringList(ctx, `SELECT source_key FROM cases WHERE source_key IN `+placeholders(len(args)), args...)
		if err != nil {
			return classify(err, "checking source keys")
		}
		for _, k := range here {
			found[k] = true
		}
	}
	return nil
}
