// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
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
	for len(suffixes) < copySample {
		_, c, _, err := next()
		if err != nil {
			break
		}
		if c != nil && strings.HasPrefix(c.SourceKey, prefix) {
			suffixes = append(suffixes, strings.TrimPrefix(c.SourceKey, prefix))
		}
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return domain.Wrap(domain.KindInternal, err, "cannot read %s again", file.Name())
	}
	if len(suffixes) < copyMinRows {
		return nil
	}
	for _, other := range others {
		found := 0
		for start := 0; start < len(suffixes); start += 500 {
			keys := make([]string, 0, 500)
			for _, s := range suffixes[start:min(start+500, len(suffixes))] {
				keys = append(keys, other+":"+s)
			}
			n, err := db.StoredSourceKeys(ctx, keys)
			if err != nil {
				return err
			}
			found += n
		}
		if float64(found) >= copyShare*float64(len(suffixes)) {
			return domain.Errorf(domain.KindConflict, "%[1]d des %[2]d premières lignes de ce fichier sont celles du fichier importé sous le nom %[3]q : c'en est sans doute une copie enregistrée à nouveau, et ses victimes seraient comptées deux fois. "+
				"Pour le compléter ou le corriger, relancez avec --source %[3]q ; s'il s'agit bien d'autres victimes, donnez-lui un nom avec --source NOM ; rien n'est importé / "+
				"%[1]d of this file's first %[2]d rows are those of the file imported as %[3]q: it is likely a copy of it saved again, and its victims would be counted twice. "+
				"To complete or correct that file, run again with --source %[3]q; if these are indeed other victims, name them with --source NAME; nothing is imported", found, len(suffixes), other)
		}
	}
	return nil
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
