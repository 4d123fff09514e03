// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"vigie/internal/ctdc"
	"vigie/internal/domain"
	"vigie/internal/htcds"
	"vigie/internal/importer"
	"vigie/internal/sqlstore"
)

func runImport(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "import", args, []command{
		{"ctdc", "importer un jeu de données CTDC (CSV) / import a CTDC dataset (CSV)", importCTDC},
		{"htcds", "importer un fichier HTCDS (.xlsx, .csv, .json) / import an HTCDS file", importHTCDS},
	})
}

// importFlags are shared by the import commands.
type importFlags struct {
	dbFlags
	agency, source, reject string
	batch                  int
	quiet, createAgencies  bool
	deferIndexes           string
	format                 string // csv, xlsx or json: how the file's rows are counted
	// blank, set by the reader, counts the rows with no value in any
	// cell that were skipped (nil for JSON, which has no such rows).
	blank func() int
	// notes, set by the HTCDS readers, says what the person should look
	// at in the file after the import: rows repeating an earlier row cell
	// for cell, rows hidden in the sheet (imported as cases).
	notes func(io.Writer)
	// rerun is set when this very content was imported before (an
	// interrupted or repeated import): its skipped rows were not edited.
	rerun bool
	// identified is set for HTCDS files, whose rows name people: a row
	// identical to a row of another file is then the same person.
	identified bool
	// warnOnly is set when --source gives a new name: the file is
	// checked only to name an HTCDS file's rows found in other files.
	warnOnly bool
	// completes is set when --source names a source already used: the
	// file completes it (checkIdentity looks only for other files' rows).
	completes bool
	// check is set when the file must be checked before it is imported
	// (checkIdentity): new content, or content imported before under a
	// name that now holds other content too.
	check bool
	// reusedOn is set when another file of the same name (the default
	// source) and other content was imported, on that day.
	reusedOn time.Time
}

func (f *importFlags) register(fs *flagSet, defaultAgency string) {
	f.dbFlags.register(fs)
	agencyHelp := "code de l'agence propriétaire des dossiers (créée si absente) / agency code that owns the cases (created if absent)"
	if defaultAgency == "" {
		// An HTCDS row that names its agency keeps it: --agency only
		// fills the rows that name none (the help said it owned them
		// all, and a file of SYN rows imported with --agency KIN was
		// rejected row by row).
		agencyHelp = "agence des lignes qui n'en nomment aucune, créée si absente ; une ligne dont la colonne agency est remplie garde la sienne / " +
			"agency of the rows that name none, created if absent; a row whose agency column is filled keeps its own"
	}
	fs.StringVar(&f.agency, "agency", defaultAgency, agencyHelp)
	fs.StringVar(&f.source, "source", "", "nom de la source pour l'idempotence (défaut : nom du fichier ; une copie renommée d'un fichier déjà importé reprend son nom) / source name for idempotent re-imports (default: file name; a renamed copy of a file already imported takes its name)")
	fs.StringVar(&f.reject, "reject", "", "fichier des lignes rejetées (défaut : x.csv → x.rejects.csv, x.json → x.json.rejects.csv) / reject file (default: x.csv → x.rejects.csv, x.json → x.json.rejects.csv)")
	fs.IntVar(&f.batch, "batch", importer.DefaultBatchSize, "dossiers par transaction, de 1 à 100 000 / cases per transaction, 1 to 100,000")
	fs.BoolVar(&f.quiet, "quiet", false, "sans barre de progression / no progress bar")
	if defaultAgency == "" {
		// Only an HTCDS file names agencies (a CTDC file has no agency
		// column: --agency is the agency of every row).
		fs.BoolVar(&f.createAgencies, "create-agencies", false, "créer les agences inconnues de la colonne agency / create unknown agencies named in the agency column")
	}
	fs.StringVar(&f.deferIndexes, "defer-indexes", "auto", "auto, yes ou no : supprimer les index de listes pendant l'import et les reconstruire à la fin (auto : SQLite, quand le fichier a au moins autant de lignes nouvelles que la base a de dossiers, et au moins 50 000) / "+
		"drop the list indexes while importing and rebuild them at the end (auto: on SQLite, when the file has at least as many new rows as the database has cases, and at least 50,000)")
}

func importCTDC(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("import ctdc", "FICHIER.csv", "Importe le Global Dataset CTDC (2017) ou le jeu victimes–auteurs synthétique ; le format est reconnu à l'en-tête. Relancer la même importation ne crée aucun doublon. / Imports the CTDC Global Dataset or the victim–perpetrator synthetic dataset; re-running creates no duplicates.")
	var f importFlags
	f.register(fs, "CTDC")
	f.format = "csv"
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if err := fs.want(env, 1); err != nil {
		return err
	}
	if f.agency == "" {
		// A CTDC file names no agency: every row is --agency's.
		return usageError{"--agency : un fichier CTDC ne nomme pas d'agence, donnez celle de ses dossiers (CTDC par défaut) / a CTDC file names no agency: give the agency of its cases (CTDC by default)"}
	}
	return runFileImport(ctx, env, &f, fs.Arg(0), func(r io.Reader, size int64) (importer.Next, error) {
		rd, err := ctdc.NewReader(r, ctdc.Options{Agency: f.agency, Source: f.source})
		if err != nil {
			return nil, err
		}
		f.blank = rd.Blank
		return func() (int, *domain.Case, []domain.RowError, error) {
			rec, rejects, err := rd.Next()
			if rec == nil {
				return 0, nil, rejects, err
			}
			return rec.Row, rec.Case, rejects, err
		}, nil
	})
}

func importHTCDS(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("import htcds", "FICHIER.xlsx|.csv|.json", "Importe des dossiers au format HTCDS : le modèle Excel de l'OIM (.xlsx), sa forme CSV, ou l'export JSON de Vigie. / Imports cases in HTCDS form: IOM's Excel template, its CSV form, or Vigie's JSON export.")
	var f importFlags
	f.register(fs, "")
	format := fs.String("format", "", "csv, xlsx ou json (défaut : selon l'extension) / default: from the file extension")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if err := fs.want(env, 1); err != nil {
		return err
	}
	if *format == "" {
		*format = strings.TrimPrefix(strings.ToLower(filepath.Ext(fs.Arg(0))), ".")
	}
	switch *format {
	case "csv", "xlsx", "json":
	default:
		return usageError{fmt.Sprintf("--format %q : csv, xlsx ou json / csv, xlsx or json", *format)}
	}
	f.format = *format
	f.identified = true // HTCDS rows name people
	return runFileImport(ctx, env, &f, fs.Arg(0), func(r io.Reader, size int64) (importer.Next, error) {
		next, blank, notes, err := htcdsSource(r, size, *format, htcds.Options{Agency: f.agency, Source: f.source})
		f.blank, f.notes = blank, notes
		for _, fe := range domain.FieldErrors(err) {
			if fe.Field == "agency" && f.agency == "" {
				return nil, domain.Wrap(domain.KindInvalid, err, "le fichier n'a pas de colonne agency : donnez l'agence qui enregistre ces dossiers avec --agency CODE (voir vigie agency list) / the file has no agency column: give the agency that registers these cases with --agency CODE (see vigie agency list)")
			}
		}
		return next, err
	})
}

// runFileImport opens the file, makes sure the agency exists, runs the
// import with a progress bar on a terminal and prints the closing line.
func runFileImport(ctx context.Context, env *Env, f *importFlags, path string, open func(io.Reader, int64) (importer.Next, error)) error {
	// A bad --agency is the command's mistake, as a bad --batch is:
	// refused before the file is opened (it was exit 3 "invalid data"
	// with an "imported: 0 rejected: 0" line, or exit 4 for a file that
	// does not exist).
	if err := f.dbFlags.checkURL(); err != nil {
		return err
	}
	if f.agency != "" && !domain.ValidAgencyCode(f.agency) {
		return usageError{fmt.Sprintf("--agency %q : un code d'agence a 2 à 10 majuscules ou chiffres, par exemple KIN / an agency code is 2 to 10 capital letters or digits, e.g. KIN", f.agency)}
	}
	var file *os.File
	var err error
	if path == "-" {
		// Standard input, as the exports' --out - is standard output;
		// named as /dev/stdin is (source "stdin", stdin.rejects.csv).
		path = "/dev/stdin"
		file, err = stdinFile(env)
	} else {
		file, err = openInput(path)
	}
	if err != nil {
		return err
	}
	defer file.Close()
	st, err := file.Stat()
	if err == nil && st.IsDir() {
		// The command's mistake, as --reject FOLDER and --out FOLDER are.
		return usageError{fmt.Sprintf("%[1]s est un dossier : donnez le fichier à importer / %[1]s is a folder: give the file to import", path)}
	}
	if err != nil {
		return domain.Errorf(domain.KindInvalid, "%[1]s n'est pas un fichier ordinaire / %[1]s is not a regular file", path)
	}
	switch f.deferIndexes {
	case "auto", "yes", "no":
	default:
		return usageError{fmt.Sprintf("--defer-indexes %q : auto, yes ou no / auto, yes or no", f.deferIndexes)}
	}
	// A batch is one transaction: 0 or less meant the default without a
	// word, and a batch of millions holds the whole file in one transaction
	// that an interruption loses entirely.
	if f.batch < 1 || f.batch > maxBatch {
		return usageError{fmt.Sprintf("--batch %d : entre 1 et %d dossiers par transaction / between 1 and %d cases per transaction", f.batch, maxBatch, maxBatch)}
	}
	if f.source != "" && strings.TrimSpace(f.source) == "" {
		// A blank name is no name: it was a new source, and every row
		// of a file imported before was imported again.
		return usageError{"--source : donnez un nom, pas des espaces / give a name, not spaces"}
	}
	explicitSource := f.source != ""
	if !explicitSource {
		f.source = defaultSource(path)
	}
	if f.reject == "" {
		f.reject = defaultRejectPath(path)
		if !st.Mode().IsRegular() || strings.HasPrefix(path, "/dev/") || strings.HasPrefix(path, "/proc/") {
			// A pipe's folder is no place for it (/dev/stdin gave
			// /dev/stdin.rejects.csv, also when standard input is a
			// file: < file.csv): the current folder is.
			f.reject = defaultRejectPath(filepath.Base(path))
		}
	}
	if err := refuseOwnFile("--reject", f.reject, f.dbFlags.ownFiles()); err != nil {
		return err
	}
	// The reject file is created at the first rejected row, which may
	// come after thousands of imported ones: a folder that does not exist
	// is refused now, before anything is opened or imported.
	if st, err := os.Stat(filepath.Dir(f.reject)); err != nil {
		return outputError(err, "--reject "+f.reject)
	} else if !st.IsDir() {
		return domain.Errorf(domain.KindInvalid, "--reject %s : %s n'est pas un dossier / is not a folder", f.reject, filepath.Dir(f.reject))
	}
	// A reject file left by an earlier import holds that run's rejected
	// rows (victims' data): when this run rejects nothing it stays as it
	// was, and the caseworker is told, so that an old file is neither
	// taken for this run's nor forgotten on the disk.
	var stale os.FileInfo
	if rst, err := os.Stat(f.reject); err == nil && rst.Mode().IsRegular() && rst.Size() > 0 {
		stale = rst
	}
	// A reject file that is the file being imported (the same name, a
	// link to it) would be truncated under the reader, or grow with the
	// rows it rejects as the reader reaches them: an import that never
	// ends and fills the disk (found in the acceptance pass: 68 GB).
	if rst, err := os.Stat(f.reject); err == nil && os.SameFile(st, rst) {
		return usageError{fmt.Sprintf("--reject %s : c'est le fichier importé, choisissez un autre fichier / is the file being imported, choose another file", f.reject)}
	} else if err == nil && rst.IsDir() {
		// Refused now, as export --out DIR is: at the first rejected row
		// it failed as "database unavailable" (exit 7) after importing
		// the rows before it, and counted that row as rejected.
		return usageError{fmt.Sprintf("--reject %s : c'est un dossier, donnez un nom de fichier / is a folder, give a file name", f.reject)}
	}
	// Every import of a file ends with its line, also when the file is
	// refused as a whole (its header, its encoding): nothing imported,
	// no row rejected one by one, and the reason on stderr. A usage
	// error above is not an import: it prints on stderr only.
	ended := false
	defer func() {
		if !ended {
			fmt.Fprintln(env.Stdout, importer.Result{}.Line())
		}
	}()
	// A pipe is read once: it is kept in an unlinked temporary file, so
	// that its content, as a file's, tells a rerun of the same data from
	// other data under the same name ("stdin": two different pipes lost
	// the second's rows identical to the first's, unsaid).
	size := st.Size()
	if !st.Mode().IsRegular() {
		spooled, n, err := spool(file)
		if err != nil {
			return err
		}
		defer spooled.Close()
		file, size = spooled, n
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	// One import at a time: each decides from what the database holds
	// whether its file was imported before (see LockImports).
	unlock, err := db.LockImports(ctx, func() {
		fmt.Fprintln(env.Stderr, "vigie: une autre importation est en cours dans cette base : celle-ci attend sa fin / another import is running in this database: this one waits for it to end")
	})
	if err != nil {
		return err
	}
	defer unlock()
	var res importer.Result
	digest, err := settleSource(ctx, env, db, f, file, explicitSource)
	if err != nil {
		return err
	}
	defer func() {
		// A file refused as a whole, or of which nothing was
		// imported, is not remembered as imported. Rows skipped as
		// already stored are of it: a rerun that skipped every row
		// (rows with keys of their own) forgot the file, and the next
		// run took it for edited content.
		if res.Imported == 0 && res.Skipped == 0 {
			_ = db.ForgetImportSource(context.WithoutCancel(ctx), digest, f.source)
		}
	}()
	if f.check {
		if err := checkIdentity(ctx, env, db, f, file, size, open); err != nil {
			return err
		}
		if err := recordSource(ctx, db, f, digest); err != nil {
			return err
		}
	}
	counter := &importer.CountingReader{R: file}
	next, err := open(counter, size)
	if err != nil {
		return err
	}
	if f.agency != "" {
		if _, err := db.EnsureAgency(ctx, f.agency, "Import "+f.agency); err != nil {
			return err
		}
	}
	if err := db.PrepareBulkImport(ctx); err != nil {
		return err
	}
	deferral, err := deferIndexes(ctx, env, db, f, path, st)
	if err != nil {
		return err
	}
	if deferral != nil {
		// Whatever happens to the import, build the indexes again now
		// (an import killed before this line leaves them recorded: the
		// next command that opens the database builds them).
		defer deferral.Release()
	}
	if f.createAgencies {
		ctx = domain.WithImportAgencies(ctx)
	}
	next = importer.CheckAgencies(ctx, db, next)
	next = keepSituations(db, next)
	opt := importer.Options{BatchSize: f.batch, RejectPath: f.reject}
	var bar *progressbar.ProgressBar
	if out, ok := env.Stderr.(*os.File); ok && !f.quiet && term.IsTerminal(int(out.Fd())) {
		bar = progressbar.NewOptions64(size, progressbar.OptionSetWriter(out), progressbar.OptionShowBytes(true),
			progressbar.OptionSetDescription("import"), progressbar.OptionThrottle(100_000_000), progressbar.OptionClearOnFinish())
		opt.Progress = func(int) { _ = bar.Set64(counter.N.Load()) }
	}
	res, err = importer.Run(ctx, db, next, opt)
	if bar != nil {
		_ = bar.Finish()
	}
	if deferral != nil {
		if rerr := restoreIndexes(context.WithoutCancel(ctx), env, deferral, f.quiet); rerr != nil && err == nil {
			err = rerr
		}
	}
	if res.Imported > 0 {
		// New statistics keep list queries on the right indexes.
		if aerr := db.Analyze(context.WithoutCancel(ctx)); aerr != nil && err == nil {
			err = aerr
		}
	}
	if res.Skipped > 0 {
		fmt.Fprintf(env.Stdout, "déjà importés, ignorés / already imported, skipped: %d\n", res.Skipped)
		// Rows edited in the file since they were imported (an export
		// corrected in Excel, then imported again) were lost unsaid. Not
		// said when the file is the one imported before, unchanged.
		if !f.rerun {
			fmt.Fprintln(env.Stderr, "vigie: une importation ne modifie jamais un dossier enregistré : une ligne modifiée depuis son importation est ignorée si elle a sa propre clé (id, vig_SourceKey), ou importée comme un nouveau dossier si elle n'en a pas ; corrigez les dossiers dans Vigie / an import never changes a stored case: a row edited since it was imported is skipped when it has a key of its own (id, vig_SourceKey), or imported as a new case when it has none; correct cases in Vigie")
		}
	}
	if f.blank != nil && f.blank() > 0 {
		// Rows of separators or spaces only hold no case; said, so that
		// every row of the file is accounted for.
		fmt.Fprintf(env.Stdout, "lignes vides ignorées / blank rows skipped: %d\n", f.blank())
	}
	if f.notes != nil && !f.rerun { // said when the file was first imported
		f.notes(env.Stderr)
	}
	fmt.Fprintln(env.Stdout, res.Line())
	ended = true
	if res.RejectPath != "" {
		fmt.Fprintln(env.Stdout, "rejects:", res.RejectPath)
	} else if stale != nil {
		fmt.Fprintf(env.Stderr, "vigie: %[1]s vient d'une importation précédente (%[2]s) : cette importation n'a rien rejeté ; supprimez-le s'il ne sert plus, il contient des données de victimes / "+
			"is left from an earlier import (%[2]s): this import rejected nothing; delete it when it is no longer needed, it holds victims' data\n",
			f.reject, stale.ModTime().Format("2006-01-02 15:04"))
	}
	if err == nil && res.Imported == 0 && res.Skipped == 0 && res.Rejected > 0 {
		// Every row refused: the import did nothing, and a script that
		// reads only the exit code took it for a success (exit 0). Some
		// rows imported is a success with its reject file, as before.
		if res.Rejected == 1 {
			return domain.Errorf(domain.KindInvalid, "aucun dossier importé : la seule ligne a été rejetée (voir %[1]s) / nothing imported: the only row was rejected (see %[1]s)", res.RejectPath)
		}
		return domain.Errorf(domain.KindInvalid, "aucun dossier importé : les %[1]d lignes ont toutes été rejetées (voir %[2]s) / nothing imported: all %[1]d rows were rejected (see %[2]s)", res.Rejected, res.RejectPath)
	}
	return err
}

// maxBatch bounds --batch: ten times the default, about a minute of
// writing on a slow machine.
const maxBatch = 10 * importer.DefaultBatchSize

// settleSource settles the import's source name from the file's content
// digest (SHA-256). When the same content was imported before under
// another name — a renamed copy — the rows' source keys take that first
// name, so that nothing is duplicated and an interrupted import of the
// copy goes on where the first stopped; an explicit --source keeps its
// name, importing the content again as a new source. New content under
// the default name is checked first (checkIdentity) and recorded only once
// the check has passed (recordSource): recorded before, an import stopped
// during its check skipped the check when run again, and lost victims.
// The file is read once for the digest and rewound.
func settleSource(ctx context.Context, env *Env, db *sqlstore.DB, f *importFlags, file *os.File, explicit bool) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, file); err != nil {
		return "", domain.Wrap(domain.KindInvalid, err, "impossible de lire %[1]s / cannot read %[1]s", file.Name())
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return "", domain.Wrap(domain.KindInternal, err, "cannot read %s again", file.Name())
	}
	digest := hex.EncodeToString(h.Sum(nil))
	// This very content imported before (an interrupted import run
	// again) goes on where it stopped, whatever else was imported under
	// its name.
	first, at, known, err := db.ImportDigest(ctx, digest)
	if err != nil {
		return digest, err
	}
	f.rerun = known
	if known && first != f.source {
		day := at.Format("2006-01-02")
		if explicit {
			fmt.Fprintf(env.Stdout, "même contenu que %q importé le %s : importé à nouveau sous --source %q / same content as %q imported on %s: imported again under --source %q\n", first, day, f.source, first, day, f.source)
		} else {
			// A renamed copy: the first name's keys, nothing new.
			fmt.Fprintf(env.Stdout, "même contenu que %q importé le %s : ses clés de source sont reprises, rien n'est dupliqué / same content as %q imported on %s: its source keys are used, nothing is duplicated (--source NAME imports it again as a new source)\n", first, day, first, day)
			f.source = first
		}
	}
	if explicit {
		// A name given for new data: the person says these are other
		// victims. A name already used: the person says the file is
		// that file's new version, but rows of other files in it would
		// still be counted twice: checkIdentity looks for them.
		if known && first == f.source {
			return digest, nil // this content under this name again: a rerun goes on
		}
		n, err := db.SourceCases(ctx, f.source)
		if err != nil {
			return digest, err
		}
		if n == 0 {
			// Other victims, the person says: imported, but an HTCDS
			// file's rows identical to another file's are still named.
			f.check, f.warnOnly = f.identified, true
			if !f.check {
				return digest, recordSource(ctx, db, f, digest)
			}
			return digest, nil
		}
		f.check, f.completes = true, true
		return digest, nil
	}
	// Another file under this name: its rows and this file's rows that
	// are identical (k-anonymised records often are, and are different
	// victims) would get one key, and this file's count as already
	// imported; and a file under a new name may be a copy of one imported
	// under another. checkIdentity reads the file first; the content is
	// recorded after it passed (an import stopped during the check
	// checks again when run again). The same content run again with no
	// other content under its name (an interrupted import) goes on.
	when, used, err := db.SourceUsedBy(ctx, f.source, digest)
	if err != nil {
		return digest, err
	}
	if used {
		f.reusedOn = when
	}
	if !known || used {
		f.check = true
		return digest, nil
	}
	return digest, recordSource(ctx, db, f, digest)
}

// recordSource records the file's digest under the import's source name
// (settleSource chose the name; a file of the same content recorded
// meanwhile keeps its first name).
func recordSource(ctx context.Context, db *sqlstore.DB, f *importFlags, digest string) error {
	_, _, err := db.ImportSource(ctx, digest, f.source)
	return err
}

// deferIndexes drops the list indexes for the import when --defer-indexes
// says so, and prints what it did. It returns nil when the indexes stay.
//
// auto counts the file's rows by reading it first, which a pipe (a FIFO,
// /dev/stdin) cannot afford: what the count read was gone for the import
// — a file of 30,000 rows piped to /dev/stdin came out 'imported: 287
// rejected: 1', the rest read by the count. A pipe keeps its indexes.
func deferIndexes(ctx context.Context, env *Env, db *sqlstore.DB, f *importFlags, path string, st os.FileInfo) (*sqlstore.IndexDeferral, error) {
	why := ""
	switch f.deferIndexes {
	case "no":
		return nil, nil
	case "auto":
		if !st.Mode().IsRegular() {
			return nil, nil
		}
		ok, rows, stored, err := importer.AutoDefer(ctx, db, f.source, func(need int) (int, error) {
			return estimateRows(path, st.Size(), f.format, need)
		})
		if err != nil || !ok {
			return nil, err
		}
		why = fmt.Sprintf(" (%d+ lignes / rows ≥ %d dossiers / cases)", rows, stored)
	}
	d, err := db.DeferIndexes(ctx)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(env.Stdout, "index de listes supprimés pendant l'import, reconstruits à la fin / list indexes dropped while importing, rebuilt at the end: %d%s\n", len(d.Dropped), why)
	return d, nil
}

// restoreIndexes builds the dropped indexes again and prints how long it
// took.
func restoreIndexes(ctx context.Context, env *Env, d *sqlstore.IndexDeferral, quiet bool) error {
	if !quiet {
		fmt.Fprintln(env.Stderr, "reconstruction des index… / rebuilding the indexes…")
	}
	start := time.Now()
	built, busy, err := d.Restore(ctx)
	if err != nil {
		// The rows are stored; only the indexes wait (their definitions
		// are kept). "starting a transaction: the database is busy"
		// alone read as if the import had failed.
		return domain.Wrap(domain.KindOf(err), err, "les dossiers sont importés, mais la reconstruction des index a échoué (%[1]s) : la prochaine commande vigie les reconstruira (vigie migrate, par exemple) / the cases are imported, but rebuilding the indexes failed (%[1]s): the next vigie command rebuilds them (vigie migrate, say)", domain.SafeMessage(err))
	}
	if busy {
		fmt.Fprintln(env.Stdout, "index laissés à un autre processus : l'autre import en cours les reconstruit à sa fin / indexes left to another process: the other import in progress rebuilds them when it ends")
		return nil
	}
	secs := time.Since(start).Seconds()
	fmt.Fprintf(env.Stdout, "index reconstruits en %.1f s / indexes rebuilt in %.1f s: %d\n", secs, secs, len(built))
	return nil
}

// estimateRows counts the rows of a CSV file (importer.CountLines),
// stopping once it reaches enough; other formats are estimated from their
// size, at 1,000 bytes a row.
func estimateRows(path string, size int64, format string, enough int) (int, error) {
	if format != "csv" {
		return int(size / 1000), nil
	}
	return importer.CountLines(path, enough)
}

// keepSituations lets the import create a situation that the database
// does not have, for the agency of the first case that names it (in the
// transaction that writes that case): an HTCDS export carries each case's
// situation_id, not the situation, and a re-import into another database
// would reject every linked case. A situation of another agency is
// refused with the case. CTDC rows name no situation.
func keepSituations(db *sqlstore.DB, next importer.Next) importer.Next {
	return func() (int, *domain.Case, []domain.RowError, error) {
		row, c, rejects, err := next()
		if err == nil && c != nil && c.SituationID != "" {
			db.AllowImportedSituation(c.SituationID, c.Agency)
		}
		return row, c, rejects, err
	}
}

// defaultRejectPath names the reject file of an import beside its file:
// x.csv gives x.rejects.csv; any other file keeps its extension in the
// name (x.json.rejects.csv, x.xlsx.rejects.csv), so that the exports of one
// registry in several formats, imported one after the other, do not
// overwrite each other's rejects (x.json and x.xlsx both wrote
// x.rejects.csv).
func defaultRejectPath(path string) string {
	if ext := filepath.Ext(path); strings.EqualFold(ext, ".csv") {
		return strings.TrimSuffix(path, ext) + ".rejects.csv"
	}
	return path + ".rejects.csv"
}

// spool copies a pipe into an unlinked temporary file (only this process
// reaches it, and the system frees it when the import ends, however it
// ends) and returns it at its start, with its size.
func spool(in *os.File) (*os.File, int64, error) {
	tmp, err := os.CreateTemp("", "vigie-import-*")
	if err != nil {
		return nil, 0, domain.Wrap(domain.KindInternal, err, "impossible de garder l'entrée standard / cannot keep standard input")
	}
	_ = os.Remove(tmp.Name())
	n, err := io.Copy(tmp, in)
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		tmp.Close()
		return nil, 0, domain.Wrap(domain.KindInvalid, err, "impossible de lire l'entrée standard / cannot read standard input")
	}
	return tmp, n, nil
}

// defaultSource is the source name of a file imported without --source:
// its base name, made UTF-8 text without control characters and cut to
// the readers' 160 characters. A name from a Windows archive (Latin-1
// bytes, "donn\xe9es.csv") was refused as "source: must be UTF-8 text", a
// flag the person never gave. The same file name always gives the same
// source.
func defaultSource(path string) string {
	name := strings.ToValidUTF8(filepath.Base(path), "\uFFFD")
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return '_'
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 160 {
		name = string(r[:160])
	}
	return name
}
