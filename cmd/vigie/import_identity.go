// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"vigie/internal/domain"
	"vigie/internal/importer"
	"vigie/internal/sqlstore"
)

// A row without a key of its own is keyed by its content: the import's
// source name, the digest of its cells and its occurrence among identical
// rows. Identical rows of anonymised data are often different victims, so
// the key tells a row imported before only within one file: checkIdentity
// decides, before anything is imported, whether the file is that file.
const (
	// newVersionShare: a file of other content under a name already
	// used is a new version of that file when it holds this share of the
	// rows imported under the name (a large earlier file holds most rows
	// of any other file of the same population: how much of the new file
	// is stored says nothing).
	newVersionShare = 0.9
	// copyShare: the rows a file would import (those not stored under its
	// own name) are mostly rows imported from other files when this share
	// of a sample of them is: the file is a copy, a merge or a corrected
	// version of those files saved under another name, and its victims
	// would be counted twice. Two random halves of the CTDC Global
	// Dataset share about 62 %: other victims of one population stay
	// under it.
	copyShare = 0.8
	// copySample and copyMinRows bound that sample.
	copySample  = 2000
	copyMinRows = 20
	// maxSameRows bounds the HTCDS rows named as another file's.
	maxSameRows = 100
)

// checkIdentity reads the file (keys only) and refuses it (conflict,
// nothing imported) when importing it would lose or double victims:
// another file's content under a name already used that does not hold
// that file's rows (other victims: their rows identical to its rows would
// count as already imported), or rows that are mostly other files' (a copy
// saved again, a merge, a corrected file under a new name: counted twice).
// Each refusal says how to go on. An HTCDS file's rows identical to
// another file's rows are named, since rows that name people are the same
// people. The file is put back at its start.
func checkIdentity(ctx context.Context, env *Env, db *sqlstore.DB, f *importFlags, file *os.File, size int64, open func(io.Reader, int64) (importer.Next, error)) error {
	defer file.Seek(0, io.SeekStart)
	next, err := open(file, size)
	if err != nil {
		return nil // the import itself says why the file is refused
	}
	prefix := f.source + ":"
	var rows []keyedRow
	for {
		row, c, _, err := next()
		if err != nil {
			break // the end, or a fatal error the import reports
		}
		if c != nil && strings.HasPrefix(c.SourceKey, prefix) {
			rows = append(rows, keyedRow{row: row, suffix: strings.TrimPrefix(c.SourceKey, prefix)})
		}
		if f.reusedOn.IsZero() && len(rows) == copySample {
			break // a new name: the sample is enough
		}
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return domain.Wrap(domain.KindInternal, err, "cannot read %s again", file.Name())
	}
	if err := markFound(ctx, db, rows, f.source, func(r *keyedRow) { r.underName = true }); err != nil {
		return err
	}
	if !f.reusedOn.IsZero() {
		if err := checkNewVersion(ctx, env, db, f, rows); err != nil {
			return err
		}
	}
	return checkOtherFiles(ctx, env, db, f, rows)
}

// keyedRow is a row of the file keyed by its content.
type keyedRow struct {
	row       int
	suffix    string   // digest:occurrence
	underName bool     // stored under the file's own name
	others    []string // other names it is stored under
}

// markFound calls mark for the rows stored under source.
func markFound(ctx context.Context, db *sqlstore.DB, rows []keyedRow, source string, mark func(*keyedRow)) error {
	for start := 0; start < len(rows); start += 500 {
		end := min(start+500, len(rows))
		keys := make([]string, 0, end-start)
		for _, r := range rows[start:end] {
			keys = append(keys, source+":"+r.suffix)
		}
		found, err := db.FoundSourceKeys(ctx, keys)
		if err != nil {
			return err
		}
		for i, k := range keys {
			if found[k] {
				mark(&rows[start+i])
			}
		}
	}
	return nil
}

// checkNewVersion refuses a file of other content under a name already
// used unless it holds nearly all the rows imported under the name.
func checkNewVersion(ctx context.Context, env *Env, db *sqlstore.DB, f *importFlags, rows []keyedRow) error {
	earlier, err := db.SourceCases(ctx, f.source)
	if err != nil || earlier == 0 {
		return err // nothing stored under the name: nothing to lose
	}
	held := 0
	for _, r := range rows {
		if r.underName {
			held++
		}
	}
	name, nameFr := sourceName(f.source)
	if float64(held) >= newVersionShare*float64(earlier) {
		fmt.Fprintf(env.Stdout, "%[1]s a été importé le %[2]s : ce fichier contient %[3]d de ses %[4]d lignes importées, il en est tenu pour une nouvelle version (--source NOM l'importe comme d'autres victimes) / "+
			"%[5]s was imported on %[2]s: this file holds %[3]d of its %[4]d imported rows, so it is taken as a new version of it (--source NAME imports it as other victims)\n", nameFr, f.reusedOn.Format("2006-01-02"), held, earlier, name)
		return nil
	}
	return domain.Errorf(domain.KindConflict, "%[1]s, d'un autre contenu, a été importé le %[2]s, et ce fichier ne contient que %[3]d de ses %[4]d lignes importées : ce sont sans doute d'autres victimes, et les %[3]d lignes identiques aux siennes seraient tenues pour déjà importées. "+
		"Donnez-lui un autre nom avec --source NOM (ou --source %[5]q si c'est bien une nouvelle version de ce fichier) ; rien n'est importé / "+
		"%[6]s, of other content, was imported on %[2]s, and this file holds only %[3]d of its %[4]d imported rows: these are likely other victims, and the %[3]d rows identical to its rows would count as already imported. "+
		"Name this file with --source NAME (or --source %[5]q if it is indeed a new version of that file); nothing is imported",
		nameFr, f.reusedOn.Format("2006-01-02"), held, earlier, f.source, name)
}

// sourceName says which earlier import a source name stands for: a file
// of that name, or standard input.
func sourceName(source string) (en, fr string) {
	if source == "stdin" {
		return "Standard input (source \"stdin\")", "L'entrée standard (source « stdin »)"
	}
	return fmt.Sprintf("Another file named %q", source), fmt.Sprintf("Un autre fichier nommé %q", source)
}

// checkOtherFiles looks for the rows the file would import (those not
// stored under its own name) under every other name: mostly found, the
// file is refused; found in an HTCDS file, they are named.
func checkOtherFiles(ctx context.Context, env *Env, db *sqlstore.DB, f *importFlags, rows []keyedRow) error {
	others, err := db.ImportSources(ctx)
	if err != nil {
		return err
	}
	var fresh []keyedRow // rows the import would write
	for _, r := range rows {
		if !r.underName && len(fresh) < copySample {
			fresh = append(fresh, r)
		}
	}
	for _, other := range others {
		if other == f.source {
			continue
		}
		if err := markFound(ctx, db, fresh, other, func(r *keyedRow) { r.others = append(r.others, other) }); err != nil {
			return err
		}
	}
	covered := 0
	bySource := map[string]int{}
	for _, r := range fresh {
		if len(r.others) > 0 {
			covered++
		}
		for _, o := range r.others {
			bySource[o]++
		}
	}
	if len(fresh) >= copyMinRows && float64(covered) >= copyShare*float64(len(fresh)) {
		return copyRefusal(covered, len(fresh), bySource)
	}
	if f.identified {
		warnSameRows(env.Stderr, fresh)
	}
	return nil
}

// copyRefusal says that the rows a file would import are other files'
// rows, which files, and how to go on: one file holding nearly all of them
// is completed or corrected under its own name; rows of several files
// (a merge) are imported as a file of the new rows alone.
func copyRefusal(covered, sampled int, bySource map[string]int) error {
	names := make([]string, 0, len(bySource))
	for n := range bySource {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if bySource[names[i]] != bySource[names[j]] {
			return bySource[names[i]] > bySource[names[j]]
		}
		return names[i] < names[j]
	})
	var list []string
	for i, n := range names {
		if i == 5 {
			list = append(list, fmt.Sprintf("… (+%d)", len(names)-5))
			break
		}
		list = append(list, fmt.Sprintf("%q (%d)", n, bySource[n]))
	}
	from := strings.Join(list, ", ")
	if top := names[0]; float64(bySource[top]) >= copyShare*float64(sampled) {
		return domain.Errorf(domain.KindConflict, "%[1]d des %[2]d lignes que ce fichier importerait sont, cellule pour cellule, des lignes déjà importées du fichier %[3]q : c'en est sans doute une copie, une version corrigée ou complétée enregistrée sous un autre nom, et ses victimes seraient comptées deux fois. "+
			"Pour le compléter ou le corriger, relancez avec --source %[3]q ; s'il s'agit bien d'autres victimes, donnez-lui un nom avec --source NOM ; rien n'est importé / "+
			"%[1]d of the %[2]d rows this file would import are, cell for cell, rows already imported from the file %[3]q: it is likely a copy of it, or a corrected or completed version saved under another name, and its victims would be counted twice. "+
			"To complete or correct that file, run again with --source %[3]q; if these are indeed other victims, name them with --source NAME; nothing is imported", covered, sampled, top)
	}
	return domain.Errorf(domain.KindConflict, "%[1]d des %[2]d lignes que ce fichier importerait sont, cellule pour cellule, des lignes déjà importées d'autres fichiers : %[3]s. C'en est sans doute un assemblage, et leurs victimes seraient comptées deux fois. "+
		"Importez les seules lignes nouvelles dans un fichier à part ; s'il s'agit bien d'autres victimes, donnez-lui un nom avec --source NOM ; rien n'est importé / "+
		"%[1]d of the %[2]d rows this file would import are, cell for cell, rows already imported from other files: %[3]s. It is likely a merge of them, and their victims would be counted twice. "+
		"Import only the new rows, in a file of their own; if these are indeed other victims, name them with --source NAME; nothing is imported", covered, sampled, from)
}

// warnSameRows names the rows of an HTCDS file that are, cell for cell,
// rows imported from another file: rows that name a person are most
// likely that person again (a corrected file saved under a new name
// imported its rows already imported a second time). Each is imported
// (anonymised rows repeat), and said, so that the second case can be
// deleted.
func warnSameRows(w io.Writer, rows []keyedRow) {
	n := 0
	for _, r := range rows {
		if len(r.others) == 0 {
			continue
		}
		if n++; n > maxSameRows {
			continue
		}
		fmt.Fprintf(w, "vigie: attention, la ligne %[1]d est, cellule pour cellule, une ligne du fichier importé sous le nom %[2]q : sans doute la même victime, importée une seconde fois ; supprimez l'un des deux dossiers si c'est le cas / warning: row %[1]d is, cell for cell, a row of the file imported as %[2]q: most likely the same victim, imported a second time; delete one of the two cases if so\n", r.row, r.others[0])
	}
	if n > maxSameRows {
		fmt.Fprintf(w, "vigie: attention, %[1]d autres lignes de la sorte / warning: %[1]d more such rows\n", n-maxSameRows)
	}
}
