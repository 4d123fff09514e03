// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"vigie/internal/ctdc"
	"vigie/internal/domain"
	"vigie/internal/htcds"
	"vigie/internal/importer"
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
}

func (f *importFlags) register(fs *flagSet, defaultAgency string) {
	f.dbFlags.register(fs)
	fs.StringVar(&f.agency, "agency", defaultAgency, "code de l'agence propriétaire des dossiers (créée si absente) / agency code that owns the cases (created if absent)")
	fs.StringVar(&f.source, "source", "", "nom de la source pour l'idempotence (défaut : nom du fichier) / source name for idempotent re-imports (default: file name)")
	fs.StringVar(&f.reject, "reject", "", "fichier des lignes rejetées (défaut : FICHIER.rejects.csv) / reject file (default: FILE.rejects.csv)")
	fs.IntVar(&f.batch, "batch", importer.DefaultBatchSize, "dossiers par transaction / cases per transaction")
	fs.BoolVar(&f.quiet, "quiet", false, "sans barre de progression / no progress bar")
	fs.BoolVar(&f.createAgencies, "create-agencies", false, "créer les agences inconnues de la colonne agency / create unknown agencies named in the agency column")
}

func importCTDC(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("import ctdc", "FICHIER.csv", "Importe le Global Dataset CTDC (2017) ou le jeu victimes–auteurs synthétique ; le format est reconnu à l'en-tête. Relancer la même importation ne crée aucun doublon. / Imports the CTDC Global Dataset or the victim–perpetrator synthetic dataset; re-running creates no duplicates.")
	var f importFlags
	f.register(fs, "CTDC")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if err := fs.want(env, 1); err != nil {
		return err
	}
	return runFileImport(ctx, env, &f, fs.Arg(0), func(r io.Reader, size int64) (importer.Next, error) {
		rd, err := ctdc.NewReader(r, ctdc.Options{Agency: f.agency, Source: f.source})
		if err != nil {
			return nil, err
		}
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
	return runFileImport(ctx, env, &f, fs.Arg(0), func(r io.Reader, size int64) (importer.Next, error) {
		next, err := htcdsSource(r, size, *format, htcds.Options{Agency: f.agency, Source: f.source})
		for _, fe := range domain.FieldErrors(err) {
			if fe.Field == "agency" && f.agency == "" {
				return nil, domain.Wrap(domain.KindInvalid, err, "the file has no agency column: give the agency that registers these cases with --agency CODE (see vigie agency list)")
			}
		}
		return next, err
	})
}

// runFileImport opens the file, makes sure the agency exists, runs the
// import with a progress bar on a terminal and prints the closing line.
func runFileImport(ctx context.Context, env *Env, f *importFlags, path string, open func(io.Reader, int64) (importer.Next, error)) error {
	file, err := os.Open(path)
	if err != nil {
		return domain.Wrap(domain.KindNotFound, err, "cannot open %s", path)
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil || st.IsDir() {
		return domain.Errorf(domain.KindInvalid, "%s is not a regular file", path)
	}
	if f.source == "" {
		f.source = filepath.Base(path)
	}
	if f.reject == "" {
		f.reject = strings.TrimSuffix(path, filepath.Ext(path)) + ".rejects.csv"
	}
	counter := &importer.CountingReader{R: file}
	next, err := open(counter, st.Size())
	if err != nil {
		return err
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if f.agency != "" {
		if _, err := db.EnsureAgency(ctx, f.agency, "Import "+f.agency); err != nil {
			return err
		}
	}
	if err := db.PrepareBulkImport(ctx); err != nil {
		return err
	}
	next = importer.CheckAgencies(ctx, db, next, f.createAgencies)
	opt := importer.Options{BatchSize: f.batch, RejectPath: f.reject}
	var bar *progressbar.ProgressBar
	if out, ok := env.Stderr.(*os.File); ok && !f.quiet && term.IsTerminal(int(out.Fd())) {
		bar = progressbar.NewOptions64(st.Size(), progressbar.OptionSetWriter(out), progressbar.OptionShowBytes(true),
			progressbar.OptionSetDescription("import"), progressbar.OptionThrottle(100_000_000), progressbar.OptionClearOnFinish())
		opt.Progress = func(int) { _ = bar.Set64(counter.N.Load()) }
	}
	res, err := importer.Run(ctx, db, next, opt)
	if bar != nil {
		_ = bar.Finish()
	}
	if res.Imported > 0 {
		// New statistics keep list queries on the right indexes.
		if aerr := db.Analyze(context.WithoutCancel(ctx)); aerr != nil && err == nil {
			err = aerr
		}
	}
	if res.Skipped > 0 {
		fmt.Fprintf(env.Stdout, "déjà importés, ignorés / already imported, skipped: %d\n", res.Skipped)
	}
	fmt.Fprintln(env.Stdout, res.Line())
	if res.RejectPath != "" {
		fmt.Fprintln(env.Stdout, "rejects:", res.RejectPath)
	}
	return err
}
