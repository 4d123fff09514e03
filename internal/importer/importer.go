// SPDX-License-Identifier: AGPL-3.0-or-later

// Package importer runs a file import: it reads records from a format's
// reader, stores them in batches, writes every rejected row to a reject
// file and reports progress. Formats (CTDC, HTCDS) only parse and map.
package importer

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"

	"vigie/internal/domain"
)

// Next yields the next record: a case to import, or the row's rejects, or
// io.EOF at the end.
type Next func() (row int, c *domain.Case, rejects []domain.RowError, err error)

// Store is what an import needs from storage.
type Store interface {
	ImportCases(ctx context.Context, cases []*domain.Case) (domain.ImportResult, error)
}

// Options tune a run.
type Options struct {
	BatchSize  int    // cases per transaction (default 2000)
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

// Run imports everything next yields. Each batch is one transaction, so an
// interrupted run leaves whole batches stored and can be run again: rows
// already stored are skipped by source key. When the store can prepare
// batches (domain.BatchImporter), reading, mapping, validation and
// encoding of the next batch run on one core while the database writes
// the previous batch on the other.
func Run(ctx context.Context, st Store, next Next, opt Options) (Result, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 2000
	}
	res := Result{RejectPath: opt.RejectPath}
	rw := &rejectWriter{path: opt.RejectPath}
	defer rw.close()
	bi, pipelined := st.(domain.BatchImporter)

	jobs := make(chan job, 1)
	stop := make(chan struct{})
	var (
		readErr     error
		rejected    int
		interrupted bool
	)
	go func() {
		defer close(jobs)
		read := 0
		batch := make([]*domain.Case, 0, opt.BatchSize)
		rows := make([]int, 0, opt.BatchSize)
		send := func() bool {
			if len(batch) == 0 {
				return true
			}
			j := job{cases: batch, rows: rows, read: read}
			if pipelined {
				j.prepared, j.err = bi.PrepareImport(batch)
			}
			batch = make([]*domain.Case, 0, opt.BatchSize)
			rows = make([]int, 0, opt.BatchSize)
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
			if len(batch) == opt.BatchSize && !send() {
				return
			}
		}
	}()

	// Batches are written even after a cancellation: each is one short
	// transaction, and stopping halfway through the queue gains nothing.
	wctx := context.WithoutCancel(ctx)
	var writeErr error
	for j := range jobs {
		if writeErr != nil {
			continue // drain so that the reader can finish
		}
		if err := storeJob(wctx, st, bi, j, &res, rw); err != nil {
			writeErr = err
			close(stop)
			continue
		}
		if opt.Progress != nil {
			opt.Progress(j.read)
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
		return res, domain.Wrap(domain.KindUnavailable, ctx.Err(), "import interrupted; run the same command again to finish (rows already imported are skipped)")
	}
	return res, rw.close()
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
		for _, f := range domain.FieldErrors(err) {
			rejects = append(rejects, domain.RowError{Row: rows[i], Column: f.Field, Code: f.Code, Reason: f.Message})
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
		r.f, r.w = f, csv.NewWriter(f)
		if err := r.w.Write([]string{"row", "column", "value", "code", "reason"}); err != nil {
			return err
		}
	}
	for _, e := range rejects {
		if err := r.w.Write([]string{strconv.Itoa(e.Row), e.Column, csvSafe(e.Value), e.Code, e.Reason}); err != nil {
			return domain.Wrap(domain.KindUnavailable, err, "writing the reject file")
		}
	}
	return nil
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
	return err
}

// csvSafe neutralises spreadsheet formulas in values copied from the
// input, so that opening the reject file in a spreadsheet runs nothing.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}
