// SPDX-License-Identifier: AGPL-3.0-or-later

// Package sqlstore stores Vigie's records in SQLite (the embedded,
// zero-configuration default) or PostgreSQL (shared national servers),
// with the same plain SQL and the same contract tests on both.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"vigie/internal/domain"
)

// DB is an open database. SQLite gets one writer connection (SQLite allows
// one writer at a time; queuing in Go beats SQLITE_BUSY) and a pool of
// read-only connections; PostgreSQL uses one pool for both.
type DB struct {
	w, r    *sql.DB
	dialect dialect
	// stmts caches the prepared multi-row inserts of full chunks: parsing
	// a statement of thousands of parameters costs as much as running it.
	stmts       sync.Map // SQL text → *sql.Stmt
	prepareOnce sync.Mutex
	prepared    bool
	// Now is the clock; tests replace it.
	Now domain.Clock
	// Location describes the database for logs, without secrets.
	Location string
	// walkBound bounds the rows a list page walks (see boundedWalkQuery).
	walkBound int
	// keys seals personal data and keys the blind index and audit chain.
	keys Keys
	// path is the SQLite file ("" on PostgreSQL).
	path string
	// Notice, when set, is told what Migrate does besides migrating (the
	// indexes an interrupted import left dropped, rebuilt).
	Notice func(msg string)
	// importSituations are the situations an import may create when its
	// cases name them (see AllowImportedSituation): situation ID → agency.
	importSituations sync.Map
}

// Open opens (creating if needed) the database named by dbURL: empty for
// SQLite in dataDir/vigie.db, "sqlite:PATH" for another SQLite file, or a
// postgres:// URL. It does not migrate; call Migrate.
func Open(ctx context.Context, dbURL, dataDir string) (*DB, error) {
	switch {
	case dbURL == "" || strings.HasPrefix(dbURL, "sqlite:"):
		path := strings.TrimPrefix(dbURL, "sqlite:")
		if path == "" {
			if err := os.MkdirAll(dataDir, 0o700); err != nil {
				return nil, domain.Wrap(domain.KindUnavailable, err, "cannot create the data directory %s: %s", dataDir, pathReason(err))
			}
			path = filepath.Join(dataDir, "vigie.db")
		}
		return openSQLite(ctx, path)
	}
	if err := CheckURL(dbURL); err != nil {
		return nil, err
	}
	return openPostgres(ctx, dbURL)
}

// CheckURL tells whether dbURL names a database Open can open, without
// opening it: empty, sqlite:PATH, or a PostgreSQL URL that parses. The CLI
// refuses a bad --db as a usage error before anything else.
func CheckURL(dbURL string) error {
	switch {
	case dbURL == "sqlite:":
		return domain.Errorf(domain.KindInvalid, "--db sqlite: : donnez le chemin du fichier, sqlite:CHEMIN / give the file's path, sqlite:PATH")
	case dbURL == "" || strings.HasPrefix(dbURL, "sqlite:"):
		return nil
	case strings.HasPrefix(dbURL, "postgres://"), strings.HasPrefix(dbURL, "postgresql://"):
		if _, err := pgconn.ParseConfig(dbURL); err != nil {
			return domain.Errorf(domain.KindInvalid, "--db %[1]s : pas une URL PostgreSQL valide / not a valid PostgreSQL URL (postgres://user@host:5432/db?sslmode=disable)", redact(dbURL))
		}
		return nil
	}
	if scheme, _, ok := strings.Cut(dbURL, "://"); ok && (strings.EqualFold(scheme, "postgres") || strings.EqualFold(scheme, "postgresql")) {
		return domain.Errorf(domain.KindInvalid, "--db : écrivez le schéma en minuscules, postgres:// (pas %[1]s://) / write the scheme in lower case, postgres:// (not %[1]s://)", scheme)
	}
	return domain.Errorf(domain.KindInvalid, "--db %[1]q : donnez une URL postgres://utilisateur@hôte/base, ou sqlite:CHEMIN, ou rien pour la base intégrée / use a postgres://user@host/db URL, or sqlite:PATH, or leave it empty for the embedded database", redact(dbURL))
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	// busy_timeout first so the other pragmas wait instead of failing.
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	// The writer gets a 32 MB page cache and checkpoints every 8,192 pages
	// (32 MB of WAL) instead of 1,000: on a million cases the index pages
	// no longer fit the 2 MB default and every checkpoint rewrote hot
	// pages (1M-case import 77 s → 60 s, peak RSS 92 → 153 MB).
	// temp_store=MEMORY keeps statement journals (every multi-row INSERT
	// writes one) and sort spills off the disk: they were 14 % of an
	// import's CPU in pwrite calls, and they hold victims' rows in clear.
	w, err := sql.Open("sqlite", "file:"+uriPath(path)+"?"+pragmas+"&_pragma=cache_size(-32768)&_pragma=wal_autocheckpoint(8192)&_pragma=temp_store(MEMORY)&_txlock=immediate")
	if err != nil {
		return nil, domain.Wrap(domain.KindUnavailable, err, "cannot open %s", path)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		reason := err.Error()
		if fi, serr := os.Stat(path); serr == nil && fi.IsDir() {
			reason = "it is a directory, not a database file"
		} else if serr != nil && !errors.Is(serr, os.ErrNotExist) {
			reason = pathReason(serr)
		} else if serr != nil {
			// No file yet: SQLite says only that it cannot open it;
			// creating it tells why (permission denied, read-only).
			if f, cerr := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); cerr != nil {
				reason = pathReason(cerr)
			} else {
				f.Close()
				os.Remove(path)
			}
		}
		return nil, domain.Wrap(domain.KindUnavailable, err, "impossible d'ouvrir la base SQLite %[1]s / cannot open the SQLite database %[1]s: %[2]s", path, reason)
	}
	// Only the owner may read the database file.
	_ = os.Chmod(path, 0o600)
	r, err := sql.Open("sqlite", "file:"+uriPath(path)+"?"+pragmas+"&_pragma=query_only(1)&_pragma=temp_store(MEMORY)")
	if err != nil {
		w.Close()
		return nil, domain.Wrap(domain.KindUnavailable, err, "cannot open %s", path)
	}
	r.SetMaxOpenConns(max(4, runtime.NumCPU()))
	return &DB{w: w, r: r, dialect: sqliteDialect, Now: time.Now, Location: "sqlite:" + path, walkBound: defaultWalkBound, path: path}, nil
}

// uriPath writes a file path for SQLite's file: URI, which decodes %HH
// and ends the path at ? or #: "sqlite:q%41.db" opened qA.db while every
// check (its mode, the outputs that must not overwrite it) looked at
// q%41.db.
func uriPath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
}

// pathReason is what the system said of a path (not a directory,
// permission denied, read-only file system), without the path again.
func pathReason(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func openPostgres(ctx context.Context, dbURL string) (*DB, error) {
	p, err := sql.Open("pgx", dbURL)
	if err != nil {
		return nil, domain.Wrap(domain.KindInvalid, err, "cannot parse the PostgreSQL URL %s", redact(dbURL))
	}
	p.SetMaxOpenConns(max(8, 4*runtime.NumCPU()))
	p.SetMaxIdleConns(max(8, 4*runtime.NumCPU()))
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := p.PingContext(pctx); err != nil {
		p.Close()
		return nil, connectError(err, redact(dbURL))
	}
	return &DB{w: p, r: p, dialect: postgresDialect, Now: time.Now, Location: redact(dbURL), walkBound: defaultWalkBound}, nil
}

// connectError says why PostgreSQL at where cannot be used: the server's
// own answer when it refused the connection (a database or a role that
// does not exist, a wrong password), else why it could not be reached.
// Each of these was "cannot reach PostgreSQL at URL", exit 7, which sent
// whoever mistyped the database's name to look for a server that was up.
func connectError(err error, where string) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "3D000": // invalid_catalog_name
			// Not found, as a --data folder without a database is (4).
			return domain.Wrap(domain.KindNotFound, err, "PostgreSQL en %[1]s : la base n'existe pas (%[2]s) ; corrigez son nom dans --db ou créez-la (CREATE DATABASE nom;) / PostgreSQL at %[1]s: %[2]s: fix the database's name in --db, or create it (CREATE DATABASE name;)", where, pe.Message)
		case strings.HasPrefix(pe.Code, "28"): // invalid authorization
			return domain.Wrap(domain.KindUnauthorized, err, "PostgreSQL en %[1]s a refusé la connexion (%[2]s) : vérifiez l'utilisateur et le mot de passe dans --db / PostgreSQL at %[1]s refused the connection: %[2]s: check the user and password in --db", where, pe.Message)
		}
		return domain.Wrap(domain.KindUnavailable, err, "PostgreSQL en %[1]s a refusé la connexion / PostgreSQL at %[1]s refused the connection: %[2]s (SQLSTATE %[3]s)", where, pe.Message, pe.Code)
	}
	var oe *net.OpError
	switch {
	case errors.As(err, &oe):
		return domain.Wrap(domain.KindUnavailable, err, "PostgreSQL injoignable en %[1]s / cannot reach PostgreSQL at %[1]s: %[2]v", where, oe.Err)
	case errors.Is(err, context.DeadlineExceeded):
		return domain.Wrap(domain.KindUnavailable, err, "PostgreSQL injoignable en %[1]s : pas de réponse en 10 s / cannot reach PostgreSQL at %[1]s: no answer within 10 s", where)
	}
	return domain.Wrap(domain.KindUnavailable, err, "PostgreSQL injoignable en %[1]s / cannot reach PostgreSQL at %[1]s", where)
}

// redact removes the password from a database URL for messages and logs.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Dialect names the database kind: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.String() }

// Close closes both pools.
func (db *DB) Close() error {
	db.stmts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	err := db.w.Close()
	if db.r != db.w {
		if e := db.r.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Ping checks that the database answers (for /healthz).
func (db *DB) Ping(ctx context.Context) error {
	if err := db.r.PingContext(ctx); err != nil {
		return domain.Wrap(domain.KindUnavailable, err, "the database does not answer")
	}
	return nil
}

// tx is a transaction with the dialect and the moment it started, so that
// every record it writes carries the same timestamp.
type tx struct {
	*sql.Tx
	db  *DB
	d   dialect
	now time.Time
	// write is set in read-write transactions: loadCase then locks the
	// case row on PostgreSQL (see loadCase).
	write bool
	// keys holds the data keys of the cases this transaction read, so
	// that their parts and updates are sealed with the same key.
	keys map[string]recordKey
	// pendingAudit holds the audit entries to write at the commit.
	pendingAudit []pendingAudit
}

func (t *tx) setKey(caseID string, k recordKey) {
	if t.keys == nil {
		t.keys = map[string]recordKey{}
	}
	t.keys[caseID] = k
}

// keyOf returns the key of a case read earlier in the transaction.
func (t *tx) keyOf(caseID string) recordKey { return t.keys[caseID] }

func (t *tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.ExecContext(ctx, t.d.rebind(q), args...)
}

func (t *tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.QueryContext(ctx, t.d.rebind(q), args...)
}

func (t *tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.QueryRowContext(ctx, t.d.rebind(q), args...)
}

// write runs fn in a read-write transaction and commits when fn succeeds.
func (db *DB) write(ctx context.Context, fn func(*tx) error) error {
	return db.run(ctx, db.w, false, time.Time{}, fn)
}

// writeAt is write with the transaction's time fixed by the caller (rows
// encoded before the transaction carry that time).
func (db *DB) writeAt(ctx context.Context, now time.Time, fn func(*tx) error) error {
	return db.run(ctx, db.w, false, now, fn)
}

// read runs fn in a read-only transaction (one consistent snapshot).
func (db *DB) read(ctx context.Context, fn func(*tx) error) error {
	return db.run(ctx, db.r, true, time.Time{}, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, readOnly bool, now time.Time, fn func(*tx) error) error {
	// SQLite's read pool is opened query_only; the ReadOnly option is only
	// passed to PostgreSQL (the SQLite driver rejects it).
	var opts *sql.TxOptions
	if readOnly && db.dialect == postgresDialect {
		opts = &sql.TxOptions{ReadOnly: true}
	}
	sqlTx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return classify(err, "starting a transaction")
	}
	if now.IsZero() {
		now = db.Now().UTC().Truncate(time.Microsecond)
	}
	t := &tx{Tx: sqlTx, db: db, d: db.dialect, now: now, write: !readOnly}
	if err := fn(t); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := t.flushAudit(ctx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return classify(err, "committing")
	}
	return nil
}

// placeholders returns "(?,?,?)" for n columns.
func placeholders(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")"
}

// insertChunk is how many rows one multi-row INSERT carries at most.
const insertChunk = 256

// insertRows inserts rows with multi-row VALUES statements, in chunks
// that stay under both databases' parameter limits. Full chunks reuse a
// prepared statement.
func (t *tx) insertRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	per := min(insertChunk, max(1, 30000/len(cols)))
	args := make([]any, 0, min(len(rows), per)*len(cols))
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		args = args[:0]
		for i := start; i < end; i++ {
			args = append(args, rows[i]...)
		}
		q := t.d.rebind(insertSQL(table, cols, end-start))
		var err error
		if st, ok := t.db.stmts.Load(q); ok {
			_, err = t.StmtContext(ctx, st.(*sql.Stmt)).ExecContext(ctx, args...)
		} else {
			_, err = t.ExecContext(ctx, q, args...)
		}
		if err != nil {
			return classify(err, fmt.Sprintf("inserting into %s", table))
		}
	}
	return nil
}

func insertSQL(table string, cols []string, n int) string {
	one := placeholders(len(cols))
	var b strings.Builder
	b.Grow(len(table) + 40 + n*(len(one)+1))
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ",") + ") VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(one)
	}
	return b.String()
}

// prepareInserts prepares the full-chunk inserts of the bulk tables, once,
// outside any transaction: SQLite's writer pool has one connection, which
// a transaction holds.
func (db *DB) prepareInserts(ctx context.Context) error {
	db.prepareOnce.Lock()
	defer db.prepareOnce.Unlock()
	if db.prepared {
		return nil
	}
	tables := map[string][]string{"cases": caseColumns}
	for _, l := range caseLinks {
		tables[l.table] = []string{"case_id", l.column}
	}
	for _, k := range domain.PartKinds {
		tables[string(k)] = partColumns
	}
	for table, cols := range tables {
		per := min(insertChunk, max(1, 30000/len(cols)))
		q := db.dialect.rebind(insertSQL(table, cols, per))
		st, err := db.w.PrepareContext(ctx, q)
		if err != nil {
			return classify(err, "preparing inserts")
		}
		db.stmts.Store(q, st)
	}
	db.prepared = true
	return nil
}
