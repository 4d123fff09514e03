// SPDX-License-Identifier: AGPL-3.0-or-later

package importer

import (
	"bytes"
	"context"
	"io"
	"os"

	"vigie/internal/domain"
)

// DeferMinRows is the fewest rows for which `--defer-indexes auto` drops
// the indexes. Measured on SQLite (2 cores, load 3–4, fresh database):
// the CTDC file (47,102 rows) costs about the same CPU either way (5.7–8.5
// s), 300,000 generated rows 43–45 s of CPU deferred against 58–67 s
// kept (wall 34–40 s against 58–65 s). Building an index again costs
// about the same per row whatever the number of rows; keeping it costs
// more per row as the index outgrows the page cache, so the gain starts
// near 50,000 rows, and needs the file to be large beside what is stored
// (the rebuild sorts the stored rows too): hence rows ≥ stored cases.
const DeferMinRows = 50_000

// DeferStore is what the auto rule reads of the database.
type DeferStore interface {
	Dialect() string
	StoredCases(ctx context.Context) (int, error)
	// SourceCases counts the cases whose source keys are of source: the
	// rows of the file that an earlier run already imported.
	SourceCases(ctx context.Context, source string) (int, error)
}

// AutoDefer is the rule of `--defer-indexes auto`, shared by vigie import
// and the benchmark that mirrors it: on SQLite, defer when the file holds
// at least as many new rows as the database holds cases, and at least
// DeferMinRows. New rows are the file's rows less the cases an earlier run
// of the same source stored: a rerun that skips every row dropped and
// rebuilt every index for nothing (7 s at 143,000 cases), and the rest of
// an interrupted import is measured against what is stored. rows(need)
// counts the file's rows, and may stop counting once it reaches need. It
// returns the rows counted (0 when the database is not SQLite) and the
// cases stored.
func AutoDefer(ctx context.Context, db DeferStore, source string, rows func(need int) (int, error)) (ok bool, n, stored int, err error) {
	if db.Dialect() != "sqlite" {
		return false, 0, 0, nil
	}
	if stored, err = db.StoredCases(ctx); err != nil {
		return false, 0, 0, err
	}
	done := 0
	if source != "" {
		if done, err = db.SourceCases(ctx, source); err != nil {
			return false, 0, stored, err
		}
	}
	need := max(stored, DeferMinRows) + done
	if n, err = rows(need); err != nil {
		return false, 0, stored, err
	}
	return n >= need, n, stored, nil
}

// CountLines counts the line breaks of the file at path (a CSV file's
// rows, header included: a bound, quoted line breaks counted too),
// stopping once it reaches enough.
func CountLines(path string, enough int) (int, error) {
	file, err := os.Open(path)
	if err != nil {
		return 0, domain.Wrap(domain.KindNotFound, err, "cannot open %s", path)
	}
	defer file.Close()
	buf := make([]byte, 1<<20)
	n := 0
	for n < enough {
		k, err := file.Read(buf)
		n += bytes.Count(buf[:k], []byte{'\n'})
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, domain.Wrap(domain.KindUnavailable, err, "reading %s", path)
		}
	}
	return n, nil
}
