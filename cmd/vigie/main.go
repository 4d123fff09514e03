// SPDX-License-Identifier: AGPL-3.0-or-later

// Command vigie is the counter-trafficking case management system: one
// binary for the server, the database migrations, imports and exports.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"os/user"
	"strings"
	"syscall"

	"vigie/internal/domain"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one subcommand (or group of subcommands).
type command struct {
	name    string
	summary string // French first, English beside it
	run     func(ctx context.Context, env *Env, args []string) error
}

// Env is what a command may use: its streams, so tests can capture them.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

var commands []command

func init() {
	commands = []command{
		{"serve", "démarrer le serveur / run the server", runServe},
		{"migrate", "mettre à jour le schéma de la base / apply database migrations", runMigrate},
		{"admin", "créer le premier administrateur / create an admin (create)", runAdmin},
		{"agency", "gérer les agences / manage agencies (add, list)", runAgency},
		{"user", "gérer les utilisateurs / manage users (add, list, reset-2fa)", runUser},
		{"token", "jetons d'API / API tokens (create)", runToken},
		{"keys", "clé maîtresse / master key (rotate)", runKeys},
		{"case", "gérer les dossiers / manage cases (add, show, list)", runCase},
		{"import", "importer des données / import data (ctdc, htcds)", runImport},
		{"export", "exporter des données / export data (htcds)", runExport},
		{"anonymize", "rendre un fichier k-anonyme / make a file k-anonymous (ctdc)", runAnonymize},
		{"audit", "journal d'audit / audit log (verify)", runAudit},
		{"training", "formation des agents / training of officials (import)", runTraining},
		{"provider", "annuaire des services / service directory (add, list, beds)", runProvider},
		{"awareness", "sensibilisation / awareness activities (summary)", runAwareness},
		{"suspect", "registre des auteurs présumés / perpetrator registry (add, show, list, link)", runSuspect},
		{"justice", "chaîne pénale / criminal-justice chain (list, show, figures)", runJustice},
		{"law", "infractions (articles de loi) / offences (articles of law) (add, list, retire)", runLaw},
		{"report", "rapport annuel / annual report (annual, lock, versions)", runReport},
		{"publish", "publications publiques / public releases (draft, review, approve, publish, list, show, download)", runPublish},
		{"version", "afficher la version / print the version", runVersion},
	}
}

// Main runs the command line and returns the exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	args = helpFor(args)
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return 0
	}
	// Everything the command line changes or reads is audited under the
	// operator's system account.
	ctx = domain.WithActor(ctx, &domain.Principal{Email: "cli:" + osUser(), Via: "cli"})
	for _, c := range commands {
		if c.name == args[0] {
			err := c.run(ctx, env, args[1:])
			code := exitCode(env, err)
			if code != 0 && ctx.Err() != nil {
				// Interrupted (Ctrl-C, SIGTERM): said as a shell says
				// it, not as the failure the cancelled work reported
				// ("database unavailable", 7, for an import a person
				// stopped).
				return exitInterrupted
			}
			return code
		}
	}
	fmt.Fprintf(stderr, "vigie: commande inconnue / unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

// helpFor turns « help COMMANDE… » into « COMMANDE… --help », so that
// vigie help serve and vigie case help show give that command's help.
//
// A trailing « help » after a command and a subcommand alone (vigie case
// show help, vigie serve help) asks for it too: it was read as a case
// number or a file name. Only there: « vigie agency add KIN help » names
// an agency.
func helpFor(args []string) []string {
	if len(args) > 1 && args[0] == "help" {
		return append(append([]string{}, args[1:]...), "--help")
	}
	if n := len(args); (n == 2 || n == 3) && args[n-1] == "help" && !strings.HasPrefix(args[0], "-") && !strings.HasPrefix(args[n-2], "-") {
		return append(append([]string{}, args[:n-1]...), "--help")
	}
	return args
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Vigie — gestion des dossiers de traite des personnes / counter-trafficking case management

Utilisation / usage: vigie COMMANDE [options]

`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
« vigie COMMANDE --help » détaille chaque commande / shows each command's options.

Premier démarrage / first run: aucun compte par défaut / no default account —
  vigie admin create EMAIL ; vigie agency add CODE NOM ;
  vigie user add EMAIL --agency CODE --role caseworker ; vigie token create EMAIL
  (vigie serve les rappelle tant qu'il n'y a aucun compte / vigie serve repeats them while there is none).

Codes de sortie / exit codes: 0 ok, 1 erreur interne / internal error, 2 usage,
3 données invalides / invalid data, 4 introuvable / not found, 5 conflit / conflict,
6 refusé / denied, 7 base indisponible / database unavailable.
`)
}

// osUser names the operator for the audit log.
func osUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "unknown"
}

func runVersion(_ context.Context, env *Env, args []string) error {
	fs := newFlagSet("version", "", "afficher la version / print the version")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "vigie", version)
	return nil
}
