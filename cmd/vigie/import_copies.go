// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"vigie/internal/domain"
	"vigie/internal/importer"
	"vigie/internal/sqlstore"
)

// Sampling bounds of checkCopyOfOther: the first copySample rows keyed by
// their content are looked for under every other source; at least
// copyMinRows of them, and copyShare of them found under one source, make
// the file a copy of that source's file.
const (
	copySample  = 1000
	copyMinRows = 20
	copyShare   = 0.95
)

// checkCopyOfOther refuses a file imported under a new name whose rows are
// those of a file imported under another name: a file opened in Excel and
// saved again under another name (other separators, other line ends: other
// bytes, so not recognised as the same content) gave its rows new keys,
// and every victim was counted twice. Rows keyed by their content carry
// the same digest and occurrence whatever the source name, so the first
// rows are looked for under each other source. Other data from the same
// population shares some rows (k-anonymised records repeat): only a file
// of which nearly every sampled row is another source's is refused
// (conflict, nothing imported), with the way out either way.
func checkCopyOfOther(ctx context.Context, env *Env, db *sqlstore.DB, f *importFlags, file *os.File, size int64, open func(io.Reader, int64) (importer.Next, error)) error {
	defer file.Seek(0, io.SeekStart)
	others, err := db.ImportSources(ctx)
	if err != nil {
		return err
	}
	others = slicesWithout(others, f.source)
	if len(others) == 0 {
		return nil
	}
	next, err := open(file, size)
	if err != nil {
		return nil // the import itself says why the file is refused
	}
	prefix := f.source + ":"
	var suffixes []string // digest:occurrence of the sampled rows
	var rows []int        // their row numbers
	for len(suffixes) < copySample {
		row, c, _, err := next()
		if err != nil {
			break
		}
		if c != nil && strings.HasPrefix(c.SourceKey, prefix) {
			suffixes = append(suffixes, strings.TrimPrefix(c.SourceKey, prefix))
			rows = append(rows, row)
		}
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return domain.Wrap(domain.KindInternal, err, "cannot read %s again", file.Name())
	}
	var same []sameRow // rows found under another source
	for _, other := range others {
		found := 0
		for start := 0; start < len(suffixes); start += 500 {
			end := min(start+500, len(suffixes))
			keys := make([]string, 0, end-start)
			for _, s := range suffixes[start:end] {
				keys = append(keys, other+":"+s)
			}
			hit, err := db.FoundSourceKeys(ctx, keys)
			if err != nil {
				return err
			}
			for i, k := range keys {
				if hit[k] {
					found++
					same = append(same, sameRow{rows[start+i], other})
				}
			}
		}
		if len(suffixes) >= copyMinRows && float64(found) >= copyShare*float64(len(suffixes)) {
			return domain.Errorf(domain.KindConflict, "%[1]d des %[2]d premières lignes de ce fichier sont celles du fichier importé sous le nom %[3]q : c'en est sans doute une copie enregistrée à nouveau, et ses victimes seraient comptées deux fois. "+
				"Pour le compléter ou le corriger, relancez avec --source %[3]q ; s'il s'agit bien d'autres victimes, donnez-lui un nom avec --source NOM ; rien n'est importé / "+
				"%[1]d of this file's first %[2]d rows are those of the file imported as %[3]q: it is likely a copy of it saved again, and its victims would be counted twice. "+
				"To complete or correct that file, run again with --source %[3]q; if these are indeed other victims, name them with --source NAME; nothing is imported", found, len(suffixes), other)
		}
	}
	if f.identified {
		warnSameRows(env.Stderr, same)
	}
	return nil
}

// sameRow is a row of the file identical to a row imported from another
// file.
type sameRow struct {
	row    int
	source string
}

// warnSameRows names the rows of an HTCDS file that are, cell for cell, a
// row imported from another file: rows that name a person are most likely
// that person again (a corrected file saved under a new name imported its
// rows already imported a second time). Each is imported (anonymised rows
// repeat), and said, so that the second case can be deleted.
func warnSameRows(w io.Writer, same []sameRow) {
	const shown = 10
	for i, s := range same {
		if i == shown {
			fmt.Fprintf(w, "vigie: attention, %[1]d autres lignes de la sorte / warning: %[1]d more such rows\n", len(same)-shown)
			break
		}
		fmt.Fprintf(w, "vigie: attention, la ligne %[1]d est, cellule pour cellule, une ligne du fichier importé sous le nom %[2]q : sans doute la même victime, importée une seconde fois ; supprimez l'un des deux dossiers si c'est le cas / warning: row %[1]d is, cell for cell, a row of the file imported as %[2]q: most likely the same victim, imported a second time; delete one of the two cases if so\n", s.row, s.source)
	}
}

// slicesWithout returns list without the value v.
func slicesWithout(list []string, v string) []string {
	out := list[:0]
	for _, x := range list {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}
