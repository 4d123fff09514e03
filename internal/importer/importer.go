// SPDX-License-Identifier: AGPL-3.0-or-later

// Package importer runs a file import: it reads records from a format's
// reader, stores them in batches, writes every rejected row to a reject
// file and reports progress. Formats (CTDC, HTCDS) only parse and map.
package importer

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// Next yields the next record: a case to import, or the row's rejects, or
// io.EOF at the end.
type Next func() (row int, c *domain.Case, rejects []domain.RowError, err error)

// Store is what an import needs from storage.
type Store interface {
	ImportCases(ctx context.Context, cases []*domain.Case) (domain.ImportResult, error)
}

// groupImporter is implemented by stores that can write several prepared
// batches in one transaction (sqlstore.DB.ImportPreparedGroup): the store
// pulls batches from next until it returns nil.
type groupImporter interface {
	ImportPreparedGroup(ctx context.Context, next func() domain.PreparedImport) ([]domain.ImportResult, error)
}

// DefaultBatchSize is the number of cases per transaction when Options
// leaves it unset.
const DefaultBatchSize = 10000

// DefaultChunkSize is the most cases read, validated and encoded at once
// when Options leaves it unset: a transaction of BatchSize cases is
// written in chunks of this size, so that memory stays flat however large
// the transactions are.
const DefaultChunkSize = 2000

// Options tune a run.
type Options struct {
	BatchSize int // cases per transaction (default DefaultBatchSize)
	// ChunkSize is the most cases encoded at once (default
	// DefaultChunkSize, at most BatchSize), for stores that write several
	// chunks in one transaction; for others a transaction is one chunk of
	// BatchSize cases.
	ChunkSize  int
	RejectPath string // where rejected rows are written (created only if needed)
	// Progress is called after each batch with the cases read so far.
	Progress func(read int)
}

// Result counts what a run did.
type Result struct {
	Imported   int // new cases stored
	Skipped    int // already stored by an earlier run (same source key)
	Rejected   int // rows refused, each written to the reject file
	RejectPath string
}

// Line is the closing line every import prints.
func (r Result) Line() string {
	return fmt.Sprintf("imported: %d rejected: %d", r.Imported, r.Rejected)
}

// job is one batch on its way from the reader to the database.
type job struct {
	cases    []*domain.Case
	rows     []int
	prepared domain.PreparedImport // when the store can prepare batches
	err      error                 // from PrepareImport
	read     int                   // rows read when the batch was closed
}

// Run imports everything next yields. Each batch of BatchSize cases is
// one transaction, so an interrupted run leaves whole batches stored and
// can be run again: rows already stored are skipped by source key. When
// the store can also write several prepared chunks in one transaction
// (groupImporter), a batch is read, encoded and written in chunks of
// ChunkSize cases, so that large transactions cost no memory. When the
// store can prepare batches (domain.BatchImporter), reading, mapping,
// validation and encoding of the next chunk run on one core while the
// database writes the previous one on the other. (Rows of a chunk that
// the store refuses as invalid are rejected one by one; see storeGroup.)
func Run(ctx context.Context, st Store, next Next, opt Options) (Result, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = DefaultBatchSize
	}
	res := Result{RejectPath: opt.RejectPath}
	rw := &rejectWriter{path: opt.RejectPath}
	defer rw.close()
	bi, pipelined := st.(domain.BatchImporter)
	gi, grouped := st.(groupImporter)
	if opt.ChunkSize <= 0 {
		opt.ChunkSize = DefaultChunkSize
	}
	chunk := opt.BatchSize
	if pipelined && grouped {
		chunk = min(chunk, opt.ChunkSize)
	}

	// Unbuffered: the reader prepares the next chunk while the store
	// writes one, then waits for the store to take it. The writer is the
	// slower side, so a queued chunk never saved time; it held 2,000 more
	// encoded cases (peak RSS 300 → 276 MB for 300,000 rows, same CPU).
	jobs := make(chan job)
	stop := make(chan struct{})
	var (
		readErr     error
		rejected    int
		interrupted bool
	)
	go func() {
		defer close(jobs)
		read := 0
		batch := make([]*domain.Case, 0, chunk)
		rows := make([]int, 0, chunk)
		send := func() bool {
			if len(batch) == 0 {
				return true
			}
			j := job{cases: batch, rows: rows, read: read}
			if pipelined {
				j.prepared, j.err = bi.PrepareImport(batch)
			}
			batch = make([]*domain.Case, 0, chunk)
			rows = make([]int, 0, chunk)
			select {
			case jobs <- j:
				return true
			case <-stop:
				return false
			}
		}
		for {
			if ctx.Err() != nil {
				// Store what was read: the batch is whole and a rerun skips it.
				interrupted = true
				send()
				return
			}
			row, c, rejects, err := next()
			if errors.Is(err, io.EOF) {
				send()
				return
			}
			if err != nil {
				readErr = err
				send()
				return
			}
			read++
			if len(rejects) > 0 {
				rejected++
				if err := rw.write(rejects); err != nil {
					readErr = err
					send()
					return
				}
				continue
			}
			batch = append(batch, c)
			rows = append(rows, row)
			if len(batch) == chunk && !send() {
				return
			}
		}
	}()

	// Batches are written even after a cancellation: each is one short
	// transaction, and stopping halfway through the queue gains nothing.
	wctx := context.WithoutCancel(ctx)
	var writeErr error
	var held *job // a job the last group read but could not take
	for {
		var j job
		if held != nil {
			j, held = *held, nil
		} else if next, ok := <-jobs; ok {
			j = next
		} else {
			break
		}
		if writeErr != nil {
			continue // drain so that the reader can finish
		}
		var err error
		read := j.read
		if grouped && j.prepared != nil && j.err == nil {
			read, held, err = storeGroup(wctx, st, gi, j, jobs, opt.BatchSize, &res, rw)
		} else {
			err = storeJob(wctx, st, bi, j, &res, rw)
		}
		if err != nil {
			writeErr = err
			close(stop)
			continue
		}
		if opt.Progress != nil {
			opt.Progress(read)
		}
	}
	res.Rejected += rejected
	if rw.f == nil {
		res.RejectPath = "" // no reject was written
	}
	if writeErr != nil {
		return res, writeErr
	}
	if readErr != nil {
		return res, readErr
	}
	if interrupted {
		return res, domain.Wrap(domain.KindUnavailable, ctx.Err(), "importation interrompue : relancez la même commande pour la terminer (les lignes déjà importées sont ignorées) / "+
			"import interrupted; run the same command again to finish (rows already imported are skipped)")
	}
	return res, rw.close()
}

// storeGroup writes first and the prepared jobs that follow it, up to
// size cases, in one transaction. A job that cannot join the group (its
// preparation failed) ends it and is returned in after, for storeJob. If
// the store refuses the group as invalid, nothing of it is stored and its
// jobs are written again one at a time, so that only the bad rows are
// rejected. read is the rows read when the group's last job was closed.
func storeGroup(ctx context.Context, st Store, gi groupImporter, first job, jobs <-chan job, size int,
	res *Result, rw *rejectWriter) (read int, after *job, err error) {
	group := []job{first}
	n := first.prepared.Len()
	taken := false
	results, err := gi.ImportPreparedGroup(ctx, func() domain.PreparedImport {
		if !taken {
			taken = true
			return group[0].prepared
		}
		// The store has written the previous job: drop its encoded rows
		// (most of its memory), keep its cases in case the group must
		// be written again.
		group[len(group)-1].prepared = nil
		if n >= size {
			return nil
		}
		j, ok := <-jobs
		if !ok {
			return nil
		}
		if j.prepared == nil || j.err != nil {
			after = &j
			return nil
		}
		group = append(group, j)
		n += j.prepared.Len()
		return j.prepared
	})
	read = group[len(group)-1].read
	if err == nil {
		for _, r := range results {
			res.Imported += r.Created
			res.Skipped += r.Skipped
		}
		return read, after, nil
	}
	if domain.KindOf(err) != domain.KindInvalid {
		return read, after, err
	}
	for _, j := range group {
		if err := storeBatch(ctx, st, j.cases, j.rows, res, rw); err != nil {
			return read, after, err
		}
	}
	return read, after, nil
}

// storeJob writes a prepared batch, or an unprepared one.
func storeJob(ctx context.Context, st Store, bi domain.BatchImporter, j job, res *Result, rw *rejectWriter) error {
	if j.prepared != nil && j.err == nil {
		r, err := bi.ImportPrepared(ctx, j.prepared)
		if err == nil {
			res.Imported += r.Created
			res.Skipped += r.Skipped
			return nil
		}
		if domain.KindOf(err) != domain.KindInvalid {
			return err
		}
	} else if j.err != nil && domain.KindOf(j.err) != domain.KindInvalid {
		return j.err
	}
	return storeBatch(ctx, st, j.cases, j.rows, res, rw)
}

// storeBatch stores a batch. If the store refuses the batch as invalid
// (which the readers' validation should prevent), the batch is retried one
// case at a time so that only the bad rows are rejected.
func storeBatch(ctx context.Context, st Store, batch []*domain.Case, rows []int, res *Result, rw *rejectWriter) error {
	r, err := st.ImportCases(ctx, batch)
	if err == nil {
		res.Imported += r.Created
		res.Skipped += r.Skipped
		return nil
	}
	if domain.KindOf(err) != domain.KindInvalid {
		return err
	}
	for i, c := range batch {
		r, err := st.ImportCases(ctx, []*domain.Case{c})
		if err == nil {
			res.Imported += r.Created
			res.Skipped += r.Skipped
			continue
		}
		if domain.KindOf(err) != domain.KindInvalid {
			return err
		}
		res.Rejected++
		var rejects []domain.RowError
		// The value refused, as the readers' rejects show it (a
		// referral's agency refused by the database had none).
		raw, _ := json.Marshal(c)
		for _, f := range domain.FieldErrors(err) {
			rejects = append(rejects, domain.RowError{Row: rows[i], Column: f.Field, Value: domain.ValueAt(raw, f.Field), Code: f.Code, Reason: f.Message})
		}
		if len(rejects) == 0 {
			rejects = []domain.RowError{{Row: rows[i], Code: "invalid", Reason: domain.SafeMessage(err)}}
		}
		if err := rw.write(rejects); err != nil {
			return err
		}
	}
	return nil
}

// rejectWriter writes rejected rows as CSV, creating the file on the
// first reject only.
type rejectWriter struct {
	mu   sync.Mutex // the reader and the writer both report rejects
	path string
	f    *os.File
	w    *csv.Writer
}

func (r *rejectWriter) write(rejects []domain.RowError) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		if r.path == "" {
			return nil
		}
		f, err := os.OpenFile(r.path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		if err != nil {
			return domain.Wrap(domain.KindUnavailable, err, "cannot create the reject file %s", r.path)
		}
		// The mode of OpenFile applies to a new file only: a reject file
		// left by an earlier run (or made by someone else) would keep its
		// mode, world-readable perhaps, while it now holds victims' data.
		// A device or a pipe (/dev/null) keeps its own.
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Mode().Perm() != 0o600 {
			if err := f.Chmod(0o600); err != nil {
				f.Close()
				return domain.Wrap(domain.KindUnavailable, err, "cannot restrict the reject file %s to its owner", r.path)
			}
		}
		r.f, r.w = f, csv.NewWriter(f)
		// A byte-order mark, as the report's CSV has: Excel, where the
		// caseworker opens this file, otherwise reads UTF-8 as its own
		// code page and garbles every accent of the French reasons. Not
		// on a device or a pipe, read by programs.
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			if _, err := f.WriteString("\ufeff"); err != nil {
				return r.writeError(err)
			}
		}
		if err := r.w.Write([]string{"row", "column", "value", "code", "reason"}); err != nil {
			return r.writeError(err)
		}
	}
	for _, e := range rejects {
		if err := r.w.Write([]string{strconv.Itoa(e.Row), e.Column, csvSafe(e.Value), e.Code, bilingualReason(e)}); err != nil {
			return r.writeError(err)
		}
	}
	return nil
}

// french is the catalog the reject file's reasons are first given in.
var french = i18n.For(i18n.FR)

// bilingualReason is a reject's reason in French, then English: the
// catalog's French sentence of its code, then the reason, which keeps the
// detail (the value, what is expected). The readers' reasons are English;
// the operators who fix the rows read French first. A reason already in
// both, or a code without a sentence, is left as it is.
func bilingualReason(e domain.RowError) string {
	if e.Code == "" || strings.Contains(e.Reason, " / ") {
		return e.Reason
	}
	if t := french.T(e.Code); !strings.HasPrefix(t, "⟦") {
		return t + " / " + e.Reason
	}
	return e.Reason
}

// writeError says that the reject file could not be written, and why — a
// full disk above all, which ended the import with 'internal error: write
// /dev/full: no space left on device', exit 1 — and what to do: the rows
// it lacks are rejected again when the import is run again.
func (r *rejectWriter) writeError(err error) error {
	whyFR, whyEN := err.Error(), err.Error()
	if errors.Is(err, syscall.ENOSPC) {
		whyFR, whyEN = "disque plein", "disk full"
	}
	return domain.Wrap(domain.KindUnavailable, err, "le fichier des rejets %s n'a pas pu être écrit (%s) : libérez de la place ou choisissez un autre --reject, puis relancez la même importation (les lignes déjà importées sont ignorées) / "+
		"the reject file %s could not be written (%s): free some space or choose another --reject, then run the same import again (rows already imported are skipped)", r.path, whyFR, r.path, whyEN)
}

func (r *rejectWriter) close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return nil
	}
	r.w.Flush()
	err := r.w.Error()
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	r.f = nil
	if err != nil {
		return r.writeError(err)
	}
	return nil
}

// csvSafe neutralises spreadsheet formulas in values copied from the
// input, so that opening the reject file in a spreadsheet runs nothing.
// A plain number (-99, CTDC's "missing") is no formula: it is shown as it
// was written, not as '-99.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') && !plainNumber.MatchString(s) {
		return "'" + s
	}
	return s
}

// plainNumber is a number a spreadsheet reads as a number, sign included.
var plainNumber = regexp.MustCompile(`^-?[0-9]+([.,][0-9]+)?$`)
