// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"vigie/internal/domain"
	"vigie/internal/i18n"
	"vigie/internal/seal"
	"vigie/internal/sqlstore"
)

const exitUsage = domain.ExitUsage

// exitInterrupted is the exit code of a command stopped by Ctrl-C or
// SIGTERM, as shells report 128 + SIGINT.
const exitInterrupted = 130

// usageError is a mistake in the command line itself (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// errHelp means --help was asked for and printed (exit code 0).
var errHelp = errors.New("help")

// exitCode prints err and maps it to the process exit code, using the
// domain's one table from error kind to exit code.
func exitCode(env *Env, err error) int {
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(env.Stderr, "vigie:", ue.msg)
		return exitUsage
	}
	kind := domain.KindOf(err)
	if kind == domain.KindInternal {
		fmt.Fprintln(env.Stderr, "vigie: erreur interne / internal error:", err)
	} else {
		fmt.Fprintln(env.Stderr, "vigie:", bilingual(kind, domain.SafeMessage(err)))
		fr := i18n.For(i18n.FR)
		for _, f := range domain.FieldErrors(err) {
			msg := f.Message
			// The catalog's French sentence of the code, first; the
			// English message keeps the detail (the value, the limit).
			if t := fr.T(f.Code); f.Code != "" && !strings.HasPrefix(t, "⟦") && !strings.Contains(msg, " / ") {
				msg = t + " / " + msg
			}
			fmt.Fprintf(env.Stderr, "  %s: %s\n", f.Field, msg)
		}
	}
	return kind.ExitCode()
}

// kindLabels name each kind of error in French and English, for the
// registry's messages written in English alone.
var kindLabels = map[domain.Kind]string{
	domain.KindInvalid:      "données invalides / invalid data",
	domain.KindNotFound:     "introuvable / not found",
	domain.KindConflict:     "conflit / conflict",
	domain.KindForbidden:    "refusé / denied",
	domain.KindUnauthorized: "refusé / denied",
	domain.KindTooLarge:     "trop volumineux / too large",
	domain.KindTooMany:      "trop de tentatives / too many attempts",
	domain.KindUnavailable:  "indisponible / unavailable",
}

// bilingual gives a message in English alone its kind in French and
// English first; one that already has both (" / ") is left as it is.
func bilingual(kind domain.Kind, msg string) string {
	label, ok := kindLabels[kind]
	switch {
	case !ok || strings.Contains(msg, " / "):
		return msg
	case msg == "invalid data":
		return label
	}
	return label + ": " + msg
}

// flagSet wraps flag.FlagSet with bilingual usage and usage errors.
type flagSet struct {
	*flag.FlagSet
	name, args, summary string
	// env is the environment of the last parse (where dbFlags.open says
	// what it did besides opening).
	env *Env
}

func newFlagSet(name, args, summary string) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), name: name, args: args, summary: summary}
	fs.SetOutput(io.Discard)
	return fs
}

func (fs *flagSet) printUsage(w io.Writer) {
	fmt.Fprintf(w, "Utilisation / usage: vigie %s [options] %s\n\n%s\n", fs.name, fs.args, fs.summary)
	has := false
	fs.VisitAll(func(*flag.Flag) { has = true })
	if has {
		fmt.Fprintln(w, "\nOptions:")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}

// parse parses args (flags may follow positional arguments) and prints
// usage for --help.
func (fs *flagSet) parse(env *Env, args []string) error {
	fs.env = env
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.printUsage(env.Stdout)
				return errHelp
			}
			fs.printUsage(env.Stderr)
			return usageError{flagError(err)}
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
	return fs.Parse(append([]string{"--"}, positional...))
}

// flagError says in both languages why the flag package refused the
// command line. Its errors have no types: the three forms it has written
// since Go 1 are read from the text, anything else is shown as it is.
func flagError(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return "option inconnue / unknown flag: " + name
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return fmt.Sprintf("l'option %s attend une valeur / flag %s needs a value", name, name)
	}
	// invalid value "abc" for flag -days: parse error
	// invalid boolean value "maybe" for -json: parse error
	if rest, ok := strings.CutPrefix(msg, "invalid "); ok {
		if i := strings.Index(rest, "value "); i >= 0 {
			rest = rest[i+len("value "):]
			if j := strings.Index(rest, " for "); j >= 0 {
				value, flagName := rest[:j], strings.TrimPrefix(rest[j+len(" for "):], "flag ")
				if k := strings.Index(flagName, ":"); k >= 0 {
					flagName = flagName[:k]
				}
				return fmt.Sprintf("valeur invalide pour / invalid value for %s: %s", flagName, value)
			}
		}
	}
	return "ligne de commande invalide / invalid command line: " + msg
}

// want checks the number of positional arguments.
func (fs *flagSet) want(env *Env, n int) error {
	if fs.NArg() != n {
		fs.printUsage(env.Stderr)
		return usageError{fmt.Sprintf("%[1]s attend %[2]d argument(s), %[3]d donné(s) / %[1]s expects %[2]d argument(s), %[3]d given", fs.name, n, fs.NArg())}
	}
	return nil
}

// dbFlags are the options of every command that opens the database.
type dbFlags struct {
	data, db, keyFile string
	// keys is the keyring opened with the database.
	keys *seal.Keyring
	// createdKeys is set when open created the key file.
	createdKeys bool
	// demo opens a demonstration database (vigie serve --demo); every
	// other command refuses one (see checkMode).
	demo bool
	// fs is the command's flag set, for its environment's stderr.
	fs *flagSet
}

func (d *dbFlags) register(fs *flagSet) {
	d.fs = fs
	fs.StringVar(&d.data, "data", envOr("VIGIE_DATA", "./vigie-data"), "dossier des données / data directory (env VIGIE_DATA)")
	fs.StringVar(&d.db, "db", os.Getenv("VIGIE_DB"), "base PostgreSQL postgres://… (vide: SQLite intégré dans --data) / PostgreSQL URL (empty: embedded SQLite in --data) (env VIGIE_DB)")
	fs.StringVar(&d.keyFile, "key-file", os.Getenv("VIGIE_MASTER_KEY_FILE"), "fichier de la clé maîtresse (défaut: DATA/vigie.key) / master key file (default DATA/vigie.key) (env VIGIE_MASTER_KEY_FILE)")
}

// keyPath is the master key file: --key-file, or vigie.key in the data
// directory.
func (d *dbFlags) keyPath() string {
	if d.keyFile != "" {
		return d.keyFile
	}
	return filepath.Join(d.data, "vigie.key")
}

// checkURL refuses a --db that names no database Vigie can open (another
// scheme, a URL that does not parse) as the command's mistake, exit 2, as
// a bad --format is; it was "invalid data", exit 3.
func (d *dbFlags) checkURL() error {
	if err := sqlstore.CheckURL(d.db); err != nil {
		return usageError{domain.SafeMessage(err)}
	}
	return nil
}

// parseAndOpen parses the command line, checks its number of positional
// arguments, and opens the database.
func (d *dbFlags) parseAndOpen(ctx context.Context, env *Env, fs *flagSet, args []string, nargs int) (*sqlstore.DB, error) {
	if err := fs.parse(env, args); err != nil {
		return nil, err
	}
	if err := fs.want(env, nargs); err != nil {
		return nil, err
	}
	return d.open(ctx)
}

// openExisting is open for the commands that only read the registry
// (export, case list, case show): a --data folder holding no database is a
// mistake (a typo, another folder), and opening it would create an empty
// database and a new master key, then answer "exported: 0" as if all were
// well. It is refused as not found.
func (d *dbFlags) openExisting(ctx context.Context) (*sqlstore.DB, error) {
	if err := d.checkURL(); err != nil {
		return nil, err
	}
	path, isSQLite := strings.CutPrefix(d.db, "sqlite:")
	switch {
	case d.db == "":
		if _, err := os.Stat(filepath.Join(d.data, "vigie.db")); errors.Is(err, os.ErrNotExist) {
			return nil, domain.Errorf(domain.KindNotFound, "pas de base de données dans %s : vérifiez --data (ou VIGIE_DATA) ; vigie migrate en crée une / no database in %s: check --data (or VIGIE_DATA); vigie migrate creates one", d.data, d.data)
		}
	case isSQLite:
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, domain.Errorf(domain.KindNotFound, "pas de base de données en %s : vérifiez --db ; vigie migrate en crée une / no database at %s: check --db; vigie migrate creates one", path, path)
		}
	default:
		// PostgreSQL: a schema without Vigie's tables (a search_path
		// naming another schema) is refused before anything is created.
		db, err := sqlstore.Open(ctx, d.db, d.data)
		if err != nil {
			return nil, err
		}
		has, err := db.HasMigrations(ctx)
		db.Close()
		if err != nil {
			return nil, err
		}
		if !has {
			return nil, domain.Errorf(domain.KindNotFound, "pas de base Vigie dans le schéma de --db %s : vérifiez son search_path ; vigie migrate en crée une / no Vigie database in the schema of --db %s: check its search_path; vigie migrate creates one", db.Location, db.Location)
		}
	}
	return d.open(ctx)
}

// open opens and migrates the database, and opens the master key file
// (creating it, mode 0600, on first use).
func (d *dbFlags) open(ctx context.Context) (*sqlstore.DB, error) {
	if err := d.checkURL(); err != nil {
		return nil, err
	}
	db, err := sqlstore.Open(ctx, d.db, d.data)
	if err != nil {
		return nil, err
	}
	// Migrate rebuilds the indexes an interrupted import left dropped
	// and says so here.
	if d.fs != nil && d.fs.env != nil {
		stderr := d.fs.env.Stderr
		db.Notice = func(msg string) { fmt.Fprintln(stderr, "vigie:", msg) }
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := checkMode(ctx, db, d.demo); err != nil {
		db.Close()
		return nil, err
	}
	path := d.keyPath()
	_, statErr := os.Stat(path)
	if os.IsNotExist(statErr) {
		// A new key file would make every sealed record unreadable:
		// refuse rather than create one beside existing data.
		sealed, err := db.HasSealedData(ctx)
		if err != nil {
			db.Close()
			return nil, err
		}
		if sealed {
			db.Close()
			return nil, domain.Errorf(domain.KindUnavailable, "la base contient des données chiffrées mais le fichier de clé %s est absent : restaurez-le depuis votre sauvegarde / the database holds encrypted data but the key file %s is missing: restore it from your backup (or pass --key-file)", path, path)
		}
	}
	k, err := seal.OpenKeyring(path)
	if err != nil {
		db.Close()
		// seal's messages never hold the file's contents.
		return nil, domain.Wrap(domain.KindUnavailable, err, "clé maîtresse %s inutilisable / master key file unusable: %v", path, err)
	}
	d.keys, d.createdKeys = k, os.IsNotExist(statErr)
	db.SetKeys(k)
	// A migration may have queued cases whose blind-index keys only the
	// key file can rebuild; nothing is queued on an up-to-date database.
	if _, err := db.RebuildNameIndex(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// Likewise, migration 0017 queued the proceedings earlier versions
	// wrote in clear; they are sealed here, before anything reads them.
	if _, err := db.SealProceedings(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// And migration 0022 queued the cases with several events, whose
	// countries of exploitation only the key file can read.
	if _, err := db.RecountExploitationCountries(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// And migration 0025 the cases that may have a birth date and no
	// age band: only the key file can read the birth date.
	if _, err := db.RecountAgeBands(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
