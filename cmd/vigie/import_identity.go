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
// No rule can tell a row imported again from another victim described
// alike; the checks refuse what would lose or double victims on evidence
// about whole files, and say both readings and the command for each.
const (
	// holdShare: a file holds a file imported before when it holds this
	// share of the rows imported from it — a copy saved again, a file of
	// which the rejected rows were corrected, a completed or merged file
	// (they hold every row imported). A file of other victims of one
	// country's population held 92–96 % of the month before by chance:
	// only nearly all is a copy.
	holdShare = 0.99
	// minHeld: an earlier file of fewer rows imported is not looked for
	// (a large file holds the rows of a small one by chance).
	minHeld = 20
	// maxSameRows bounds the HTCDS rows named as another file's.
	maxSameRows = 100
)

// checkIdentity reads the file (keys only, every row) and refuses it
// (conflict, nothing imported) when importing it would lose or double
// victims: under a name that holds other content, a file that does not
// hold that content's rows (its rows identical to them would count as
// already imported); under any name, a file that holds a file imported
// under another name (its rows would be counted twice). Each refusal says
// what the file looks like and the command for each reading. An HTCDS
// file's rows identical to another file's rows are named, since rows that
// name people are the same people. The file is put back at its start.
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
		if c != nil && strings.HasPrefix(c.SourceKey, prefix) && !strings.HasPrefix(c.SourceKey, prefix+"id:") {
			// Keyed by content; a row keyed by the file's own case ID
			// (source:id:…) is the same row in a rerun only.
			rows = append(rows, keyedRow{row: row, suffix: strings.TrimPrefix(c.SourceKey, prefix)})
		}
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return domain.Wrap(domain.KindInternal, err, "cannot read %s again", file.Name())
	}
	if _, err := markFound(ctx, db, rows, f.source, func(r *keyedRow) { r.underName = true }); err != nil {
		return err
	}
	if !f.reusedOn.IsZero() && !f.completes {
		if err := checkNewVersion(ctx, env, db, f, rows); err != nil {
			return err
		}
	}
	return checkOtherFiles(ctx, env, db, f, rows)
}

// keyedRow is a row of the file keyed by its content.
type keyedRow struct {
	row       int
	suffix    string // digest:occurrence
	underName bool   // stored under the file's own name
	other     string // another name it is stored under, if any
}

// markFound calls mark for the rows stored under source, and counts them.
func markFound(ctx context.Context, db *sqlstore.DB, rows []keyedRow, source string, mark func(*keyedRow)) (int, error) {
	n := 0
	for start := 0; start < len(rows); start += 500 {
		end := min(start+500, len(rows))
		keys := make([]string, 0, end-start)
		for _, r := range rows[start:end] {
			keys = append(keys, source+":"+r.suffix)
		}
		found, err := db.FoundSourceKeys(ctx, keys)
		if err != nil {
			return n, err
		}
		for i, k := range keys {
			if found[k] {
				mark(&rows[start+i])
				n++
			}
		}
	}
	return n, nil
}

// checkNewVersion refuses a file of other content under a name already
// used: whether it is a new version of the file imported under the name
// (rows corrected or added: its stored rows are to be skipped) or other
// victims (none is to be skipped) cannot be told from the rows — in one
// country's data a month's file of other victims held 96 % of the month
// before by chance, and was skipped so. The person says which with
// --source. A rerun of the very content imported under the name, all of it
// stored, passes.
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
	if held == len(rows) && held > 0 && f.rerun {
		return nil
	}
	name, nameFr := sourceName(f.source)
	return domain.Errorf(domain.KindConflict, "%[1]s, d'un autre contenu, a été importé le %[2]s ; ce fichier contient %[3]d de ses %[4]d lignes importées, et %[5]d lignes qu'il n'a pas. "+
		"Si ses lignes sont d'autres victimes : --source NOM (un nom nouveau) les importe toutes ; si c'est une nouvelle version de ce fichier (lignes corrigées ou ajoutées) : --source %[6]q importe les %[5]d autres ; rien n'est importé / "+
		"%[7]s, of other content, was imported on %[2]s; this file holds %[3]d of its %[4]d imported rows, and %[5]d rows it does not have. "+
		"If its rows are other victims: --source NAME (a new name) imports them all; if it is a new version of that file (rows corrected or added): --source %[6]q imports the %[5]d others; nothing is imported",
		nameFr, f.reusedOn.Format("2006-01-02"), held, earlier, len(rows)-held, f.source, name)
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
// stored under its own name) under every other name. A file that holds a
// file imported under another name is refused; an HTCDS file's rows found
// elsewhere are named.
func checkOtherFiles(ctx context.Context, env *Env, db *sqlstore.DB, f *importFlags, rows []keyedRow) error {
	others, err := db.ImportSources(ctx)
	if err != nil {
		return err
	}
	var fresh []keyedRow // rows the import would write
	for _, r := range rows {
		if !r.underName {
			fresh = append(fresh, r)
		}
	}
	var held []heldFile // earlier files this file holds
	for _, other := range others {
		if other == f.source || len(fresh) == 0 {
			continue
		}
		n, err := markFound(ctx, db, fresh, other, func(r *keyedRow) {
			if r.other == "" {
				r.other = other
			}
		})
		if err != nil || n < minHeld {
			if err != nil {
				return err
			}
			continue
		}
		stored, err := db.SourceCases(ctx, other)
		if err != nil {
			return err
		}
		if stored >= minHeld && float64(n) >= holdShare*float64(stored) {
			held = append(held, heldFile{other, n, stored})
		}
	}
	if len(held) > 0 && !f.warnOnly {
		elsewhere := 0
		for _, r := range fresh {
			if r.other != "" {
				elsewhere++
			}
		}
		return holdsRefusal(f, held, len(fresh), elsewhere)
	}
	if f.identified {
		warnSameRows(env.Stderr, fresh)
	}
	return nil
}

// heldFile is a file imported under another name that the file holds.
type heldFile struct {
	source       string
	held, stored int
}

// holdsRefusal says which files imported before the file holds, and the
// command for each reading: one file held, with few rows of other files,
// is completed under its name; several are a merge, whose new rows are
// imported in a file of their own.
func holdsRefusal(f *importFlags, held []heldFile, fresh, elsewhere int) error {
	sort.Slice(held, func(i, j int) bool { return held[i].held > held[j].held })
	var list []string
	for _, h := range held {
		list = append(list, fmt.Sprintf("%q (%d/%d)", h.source, h.held, h.stored))
	}
	files := strings.Join(list, ", ")
	if len(held) == 1 && fresh-elsewhere+held[0].held >= fresh-fresh/20 && !f.completes {
		h := held[0]
		return domain.Errorf(domain.KindConflict, "ce fichier contient %[1]d des %[2]d lignes importées du fichier %[3]q : si c'est ce fichier à nouveau (copié, ses lignes rejetées corrigées, ou complété sous un autre nom), ses victimes seraient comptées deux fois. "+
			"Si ses lignes sont d'autres victimes : --source NOM (un nom nouveau) les importe toutes ; si c'est ce fichier : --source %[3]q (ses lignes importées sont ignorées, les %[4]d autres importées) ; rien n'est importé / "+
			"this file holds %[1]d of the %[2]d rows imported from the file %[3]q: if it is that file again (copied, its rejected rows corrected, or completed under another name), its victims would be counted twice. "+
			"If its rows are other victims: --source NAME (a new name) imports them all; if it is that file: --source %[3]q (its imported rows are skipped, the %[4]d others imported); nothing is imported",
			h.held, h.stored, h.source, fresh-h.held)
	}
	return domain.Errorf(domain.KindConflict, "ce fichier contient les lignes importées d'autres fichiers : %[1]s (lignes contenues/importées), et %[2]d de ses %[3]d lignes nouvelles pour ce nom sont des lignes d'autres fichiers : si c'est un assemblage de ces fichiers, leurs victimes seraient comptées deux fois. "+
		"Si c'en est un : importez les seules lignes nouvelles dans un fichier à part ; si ses lignes sont d'autres victimes : --source NOM (un nom nouveau) ; rien n'est importé / "+
		"this file holds the imported rows of other files: %[1]s (rows held/imported), and %[2]d of its %[3]d rows new to this name are other files' rows: if it is a merge of those files, their victims would be counted twice. "+
		"If it is one: import only the new rows, in a file of their own; if its rows are other victims: --source NAME (a new name); nothing is imported", files, elsewhere, fresh)
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
		if r.other == "" {
			continue
		}
		if n++; n > maxSameRows {
			continue
		}
		fmt.Fprintf(w, "vigie: attention, la ligne %[1]d est, cellule pour cellule, une ligne du fichier importé sous le nom %[2]q : sans doute la même victime, importée une seconde fois ; supprimez l'un des deux dossiers si c'est le cas / warning: row %[1]d is, cell for cell, a row of the file imported as %[2]q: most likely the same victim, imported a second time; delete one of the two cases if so\n", r.row, r.other)
	}
	if n > maxSameRows {
		fmt.Fprintf(w, "vigie: attention, %[1]d autres lignes de la sorte / warning: %[1]d more such rows\n", n-maxSameRows)
	}
}
