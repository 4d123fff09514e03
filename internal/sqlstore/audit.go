// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

// The audit log is append-only twice over: triggers refuse UPDATE and
// DELETE from the application's own connections (so a bug fails loudly),
// and every entry carries a MAC chained to the previous entry's MAC with a
// key from the key file (so that someone who drops the triggers, or edits
// the database file, is found out by VerifyAudit).
//
// Canonical encoding of an entry, the bytes given to Keys.AuditMAC (with
// the previous entry's MAC, or 32 zero bytes for entry 1, as prev):
//
//	"vigie-audit-v1\x00"                 domain tag (15 bytes)
//	seq                                  8 bytes, big-endian two's complement
//	then 13 text fields, in this order, each as a 4-byte big-endian
//	byte length followed by the field's UTF-8 bytes exactly as stored:
//	at, actor_id, actor, actor_agency, action, resource, record_id,
//	case_id, case_number, agency_id, addr, outcome, detail
//
// Every field has an explicit length, so no two different entries encode
// to the same bytes (moving text from one column to the next changes the
// lengths); seq is inside, so moving, removing or inserting a row breaks
// the chain at that row. "at" (UTC, timeLayout) and "detail" (JSON) are
// stored as text and hashed as that very text: nothing is re-encoded at
// verification, so a driver or a JSON library that formats differently
// tomorrow cannot make an intact log look altered. The tag keeps these
// MACs apart from anything else the same key might ever authenticate.
//
// What the chain cannot detect on its own: removal of the newest entries.
// A log cut after entry N is a valid chain of N entries, and the next
// append continues from N. Only a copy of the head kept outside the
// database (AuditHead: printed by `vigie audit verify`, shipped to a log
// server, written in a register) shows that entries N+1… once existed.

import (
	"context"
	"crypto/hmac"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"vigie/internal/domain"
)

var _ domain.AuditLog = (*DB)(nil)

// Reasons VerifyAudit gives in AuditProblem.Reason, in English, without
// the entry number (the problem carries it). Fixed strings, so that the
// CLI and the web interface can translate them.
const (
	AuditReasonMissing   = "missing (deleted?)"
	AuditReasonAltered   = "altered, or entries were reordered"
	AuditReasonSequence  = "out of sequence (forged entry?)"
	AuditReasonMalformed = "malformed (a column is empty or not as Vigie writes it)"
)

const (
	// auditTag separates this encoding (and its version) from any other
	// bytes the audit key might authenticate.
	auditTag = "vigie-audit-v1\x00"
	// auditLockKey serialises appends on PostgreSQL (7462351 is the
	// migrations' lock).
	auditLockKey = 7462352
	// auditFieldMax bounds each short field: some come from outside (the
	// e-mail typed in a failed sign-in, the client address), and the log
	// must not become a way to fill the disk.
	auditFieldMax = 1024
	// auditChunk is how many entries VerifyAudit reads per query: memory
	// stays constant and no read transaction stays open for long (a long
	// one would hold back SQLite checkpoints and PostgreSQL's vacuum).
	auditChunk = 1000
	// auditDefaultLimit and auditMaxLimit bound AuditEntries pages.
	auditDefaultLimit = 100
	auditMaxLimit     = 1000
)

// auditGenesis is the "previous MAC" of entry 1.
var auditGenesis = make([]byte, 32)

// auditColumns are the stored columns, in the canonical order after seq.
const auditColumns = `seq, at, actor_id, actor, actor_agency, action, resource, record_id, case_id, case_number, agency_id, addr, outcome, detail, mac`

// auditRow is an entry as stored: the exact texts that were hashed.
type auditRow struct {
	seq int64
	// f holds at, actor_id, actor, actor_agency, action, resource,
	// record_id, case_id, case_number, agency_id, addr, outcome, detail.
	f   [13]string
	mac []byte
}

// canonical appends the canonical encoding of r to buf (see the top of
// this file).
func (r *auditRow) canonical(buf []byte) ([]byte, error) {
	buf = append(buf, auditTag...)
	buf = binary.BigEndian.AppendUint64(buf, uint64(r.seq))
	for _, s := range r.f {
		if uint64(len(s)) > math.MaxUint32 {
			return nil, domain.Errorf(domain.KindInternal, "audit entry %d: a field is too long to encode", r.seq)
		}
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(s)))
		buf = append(buf, s...)
	}
	return buf, nil
}

// auditText makes a value storable identically on both databases:
// PostgreSQL refuses NUL bytes and invalid UTF-8 in TEXT, and an entry
// that fails to insert would be an event that leaves no trace (a NUL in
// the e-mail of a failed sign-in must not silence its audit entry).
func auditText(s string) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
	if len(s) > auditFieldMax {
		// Cut at a character boundary, so the text stays valid UTF-8.
		n := auditFieldMax
		for !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n]
	}
	return s
}

// audit appends e to the log inside the caller's write transaction, so
// that a change and its entry commit or roll back together. It sets e.At
// to the transaction's time when zero; e's texts are normalised as stored,
// and e.Seq is set when the transaction commits.
//
// The entry is written just before the commit (flushAudit), whatever the
// place of the call in the transaction: on PostgreSQL the append takes an
// advisory lock that serialises every writer of the log, and a
// transaction that took it and then waited for a row another writer held
// (a case's counts, while that writer waited for the lock) deadlocked —
// two clients each updating their own case got 503s, some after their
// change had been committed. SQLite has a single writer; the order is the
// same there.
func (t *tx) audit(ctx context.Context, e *domain.AuditEntry) error {
	if e.Action == "" || e.Outcome == "" {
		return domain.Errorf(domain.KindInternal, "audit entry without an action or an outcome")
	}
	detail := []byte("{}")
	if len(e.Detail) > 0 {
		var err error
		if detail, err = json.Marshal(e.Detail); err != nil {
			return domain.Wrap(domain.KindInternal, err, "encoding the audit entry's detail")
		}
	}
	if e.At.IsZero() {
		e.At = t.now
	}
	e.At = e.At.UTC().Truncate(time.Microsecond)
	for _, p := range []*string{&e.ActorID, &e.Actor, &e.ActorAgency, &e.Action, &e.Resource, &e.RecordID,
		&e.CaseID, &e.CaseNumber, &e.AgencyID, &e.Addr, &e.Outcome} {
		*p = auditText(*p)
	}
	// The row is taken now: the caller may reuse e for its next entry.
	t.pendingAudit = append(t.pendingAudit, pendingAudit{entry: e, row: auditRow{f: [13]string{e.At.Format(timeLayout), e.ActorID, e.Actor, e.ActorAgency, e.Action,
		e.Resource, e.RecordID, e.CaseID, e.CaseNumber, e.AgencyID, e.Addr, e.Outcome, string(detail)}}})
	return nil
}

// pendingAudit is an entry of the transaction, written at its commit.
type pendingAudit struct {
	entry *domain.AuditEntry // its Seq is set once written
	row   auditRow
}

// flushAudit writes the transaction's entries, chained onto the log's
// head, as its last statements (see audit).
func (t *tx) flushAudit(ctx context.Context) error {
	if len(t.pendingAudit) == 0 {
		return nil
	}
	keys, err := t.db.keyring()
	if err != nil {
		return err
	}
	if t.d == postgresDialect {
		if _, err := t.exec(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(auditLockKey)); err != nil {
			return classify(err, "locking the audit log")
		}
	}
	prev := auditGenesis
	var last int64
	var lastMAC []byte
	switch err := t.queryRow(ctx, `SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&last, &lastMAC); {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return classify(err, "reading the head of the audit log")
	default:
		prev = lastMAC
	}
	seqs := make([]int64, len(t.pendingAudit))
	for i := range t.pendingAudit {
		r := &t.pendingAudit[i].row
		r.seq = last + 1
		msg, err := r.canonical(nil)
		if err != nil {
			return err
		}
		r.mac = keys.AuditMAC(prev, msg)
		args := make([]any, 0, 15)
		args = append(args, r.seq)
		for _, s := range r.f {
			args = append(args, s)
		}
		args = append(args, r.mac)
		if _, err := t.exec(ctx, `INSERT INTO audit_log (`+auditColumns+`) VALUES `+placeholders(15), args...); err != nil {
			return classify(err, "appending to the audit log")
		}
		last, prev, seqs[i] = r.seq, r.mac, r.seq
	}
	for i, p := range t.pendingAudit {
		p.entry.Seq = seqs[i]
	}
	t.pendingAudit = nil
	return nil
}

// Audit appends e in a transaction of its own, for events that change no
// data: reads, sign-ins, refusals, failures.
//
// It ignores the cancellation of ctx (within a bound): an event that
// happened must be recorded even when the client has gone, or a client
// could hang up to leave no trace of a failed sign-in.
func (db *DB) Audit(ctx context.Context, e *domain.AuditEntry) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	return db.write(ctx, func(t *tx) error { return t.audit(ctx, e) })
}

// AuditHead returns the sequence number and MAC of the newest entry (0
// and nil for an empty log). Recorded outside the database, it lets an
// auditor detect what the chain alone cannot: removal of the newest
// entries.
func (db *DB) AuditHead(ctx context.Context) (seq int64, mac []byte, err error) {
	err = db.read(ctx, func(t *tx) error {
		err := t.queryRow(ctx, `SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &mac)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return classify(err, "reading the head of the audit log")
	})
	return seq, mac, err
}

// auditListQuery builds the AuditEntries query. Each filter repeats its
// partial index's predicate (the column is not empty) so that the
// planners can use audit_case_idx, audit_agency_idx or audit_actor_idx:
// a PostgreSQL generic plan cannot otherwise prove that a parameter is
// not empty, and SQLite only matches the predicate's own terms.
func auditListQuery(f domain.AuditFilter) (string, []any, error) {
	limit := f.Limit
	switch {
	case limit == 0:
		limit = auditDefaultLimit
	case limit < 0 || limit > auditMaxLimit:
		return "", nil, domain.Errorf(domain.KindInvalid, "limit must be between 1 and %d", auditMaxLimit)
	}
	if f.Before < 0 {
		return "", nil, domain.Errorf(domain.KindInvalid, "before must be a positive entry number")
	}
	var where []string
	var args []any
	for _, c := range []struct{ col, v string }{{"case_id", f.CaseID}, {"agency_id", f.AgencyID}, {"actor_id", f.ActorID}} {
		if c.v != "" {
			where = append(where, c.col+` = ? AND `+c.col+` <> ''`)
			args = append(args, c.v)
		}
	}
	if f.Action != "" {
		where = append(where, `action = ?`)
		args = append(args, f.Action)
	}
	// "at" is stored as fixed-width UTC text (timeLayout), which sorts as
	// the time does: compared as text, the same on both databases.
	if !f.From.IsZero() {
		where = append(where, `at >= ?`)
		args = append(args, f.From.UTC().Format(timeLayout))
	}
	if !f.To.IsZero() {
		where = append(where, `at < ?`)
		args = append(args, f.To.UTC().Format(timeLayout))
	}
	if f.Before > 0 {
		where = append(where, `seq < ?`)
		args = append(args, f.Before)
	}
	q := `SELECT ` + auditColumns + ` FROM audit_log`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY seq DESC LIMIT ?`
	args = append(args, limit)
	return q, args, nil
}

// AuditEntries returns entries of the log, newest first. A page ends
// with the smallest Seq it holds: pass it as Before for the next page.
// Numbers in Detail come back as float64 (JSON).
func (db *DB) AuditEntries(ctx context.Context, f domain.AuditFilter) ([]*domain.AuditEntry, error) {
	q, args, err := auditListQuery(f)
	if err != nil {
		return nil, err
	}
	var out []*domain.AuditEntry
	err = db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return classify(err, "reading the audit log")
		}
		defer rows.Close()
		for rows.Next() {
			var r auditRow
			if err := r.scan(rows); err != nil {
				return err
			}
			e, err := r.entry()
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return classify(rows.Err(), "reading the audit log")
	})
	return out, err
}

// scan reads a row of auditColumns; a NULL fails (the schema forbids it).
func (r *auditRow) scan(rows *sql.Rows) error {
	dest := make([]any, 0, 15)
	dest = append(dest, &r.seq)
	for i := range r.f {
		dest = append(dest, &r.f[i])
	}
	dest = append(dest, &r.mac)
	if err := rows.Scan(dest...); err != nil {
		return domain.Wrap(domain.KindInternal, err, "reading the audit log (run vigie audit verify)")
	}
	return nil
}

// entry decodes a stored row.
func (r *auditRow) entry() (*domain.AuditEntry, error) {
	at, err := time.Parse(timeLayout, r.f[0])
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "audit entry %d: bad time (run vigie audit verify)", r.seq)
	}
	e := &domain.AuditEntry{Seq: r.seq, At: at, ActorID: r.f[1], Actor: r.f[2], ActorAgency: r.f[3], Action: r.f[4],
		Resource: r.f[5], RecordID: r.f[6], CaseID: r.f[7], CaseNumber: r.f[8], AgencyID: r.f[9], Addr: r.f[10], Outcome: r.f[11]}
	if err := json.Unmarshal([]byte(r.f[12]), &e.Detail); err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "audit entry %d: bad detail (run vigie audit verify)", r.seq)
	}
	// Entries are written with "{}" for no detail; give back what was given.
	if len(e.Detail) == 0 {
		e.Detail = nil
	}
	return e, nil
}

// VerifyAudit recomputes the whole chain, in seq order and in chunks (so
// memory stays constant on millions of entries), and returns the first
// problem, or nil when every entry verifies. checked counts the entries
// verified before the problem (all of them without one). progress, when
// not nil, is called after each chunk with the running count.
//
// It verifies the entries that exist when it starts; entries appended
// meanwhile are left for the next run. It cannot detect removal of the
// newest entries: compare AuditHead with a head recorded elsewhere.
func (db *DB) VerifyAudit(ctx context.Context, progress func(done int64)) (checked int64, problem *domain.AuditProblem, err error) {
	return db.verifyAudit(ctx, auditChunk, progress)
}

func (db *DB) verifyAudit(ctx context.Context, chunk int, progress func(done int64)) (int64, *domain.AuditProblem, error) {
	keys, err := db.keyring()
	if err != nil {
		return 0, nil, err
	}
	head, _, err := db.AuditHead(ctx)
	if err != nil {
		return 0, nil, err
	}
	var (
		checked int64
		prev    = auditGenesis
		after   = int64(math.MinInt64) // rows numbered 0 or less are forgeries to report, not to skip
		rows    = make([]verifyRow, 0, chunk)
		msg     []byte
	)
	for {
		rows = rows[:0]
		err := db.read(ctx, func(t *tx) error {
			rs, err := t.query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`, after, head, chunk)
			if err != nil {
				return classify(err, "reading the audit log")
			}
			defer rs.Close()
			for rs.Next() {
				var v verifyRow
				if err := v.scan(rs); err != nil {
					return err
				}
				rows = append(rows, v)
			}
			return classify(rs.Err(), "reading the audit log")
		})
		if err != nil {
			return checked, nil, err
		}
		for i := range rows {
			v := &rows[i]
			want := checked + 1
			switch {
			case v.seq > want:
				return checked, &domain.AuditProblem{Seq: want, Reason: AuditReasonMissing}, nil
			case v.seq < want:
				return checked, &domain.AuditProblem{Seq: v.seq, Reason: AuditReasonSequence}, nil
			case !v.complete():
				return checked, &domain.AuditProblem{Seq: v.seq, Reason: AuditReasonMalformed}, nil
			}
			r := v.row()
			if msg, err = r.canonical(msg[:0]); err != nil {
				return checked, &domain.AuditProblem{Seq: v.seq, Reason: AuditReasonMalformed}, nil
			}
			if !hmac.Equal(keys.AuditMAC(prev, msg), r.mac) {
				return checked, &domain.AuditProblem{Seq: v.seq, Reason: AuditReasonAltered}, nil
			}
			// A valid MAC over a row the application could not have
			// written means a bug, or a leaked key: report it too.
			if _, err := r.entry(); err != nil || r.f[12] == "" || r.f[12][0] != '{' {
				return checked, &domain.AuditProblem{Seq: v.seq, Reason: AuditReasonMalformed}, nil
			}
			prev = r.mac // Scan gave each row its own copy
			checked++
		}
		if progress != nil && len(rows) > 0 {
			progress(checked)
		}
		if len(rows) < chunk {
			return checked, nil, nil
		}
		after = rows[len(rows)-1].seq
	}
}

// verifyRow is a row scanned leniently: VerifyAudit reports a NULL (the
// schema altered by hand) as a problem of that entry, not as a failure.
type verifyRow struct {
	seq int64
	f   [13]sql.NullString
	mac []byte
}

func (v *verifyRow) scan(rows *sql.Rows) error {
	dest := make([]any, 0, 15)
	dest = append(dest, &v.seq)
	for i := range v.f {
		dest = append(dest, &v.f[i])
	}
	dest = append(dest, &v.mac)
	if err := rows.Scan(dest...); err != nil {
		return domain.Wrap(domain.KindInternal, err, "reading the audit log")
	}
	return nil
}

func (v *verifyRow) complete() bool {
	for _, s := range v.f {
		if !s.Valid {
			return false
		}
	}
	return len(v.mac) > 0
}

func (v *verifyRow) row() auditRow {
	r := auditRow{seq: v.seq, mac: v.mac}
	for i, s := range v.f {
		r.f[i] = s.String
	}
	return r
}
