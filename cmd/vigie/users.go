// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"vigie/internal/auth"
	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

func runAdmin(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "admin", args, []command{
		{"create", "créer un administrateur / create an admin: vigie admin create EMAIL", adminCreate},
	})
}

func runUser(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "user", args, []command{
		{"add", "ajouter un utilisateur / add a user: vigie user add EMAIL --agency CODE --role ROLE", userAdd},
		{"list", "lister les utilisateurs / list users", userList},
		{"reset-2fa", "réinitialiser la double authentification / reset a user's second factor", userResetTOTP},
	})
}

func runToken(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "token", args, []command{
		{"create", "créer un jeton d'API / create an API token: vigie token create EMAIL", tokenCreate},
	})
}

// readPassword asks twice on a terminal (without echo), or reads one line
// from standard input when it is not a terminal (scripts, tests).
func readPassword(env *Env) (string, error) {
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.Stderr, "Mot de passe / password (12 caractères au moins / at least 12 characters): ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", domain.Wrap(domain.KindInvalid, err, "reading the password")
		}
		fmt.Fprint(env.Stderr, "Encore une fois / again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", domain.Wrap(domain.KindInvalid, err, "reading the password")
		}
		if string(a) != string(b) {
			return "", domain.Errorf(domain.KindInvalid, "les deux mots de passe diffèrent / the two passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(io.LimitReader(env.Stdin, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", domain.Wrap(domain.KindInvalid, err, "reading the password from standard input")
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", usageError{"aucun mot de passe sur l'entrée standard / no password on standard input (echo PASSWORD | vigie …)"}
	}
	return pw, nil
}

// newAccount checks and stores a user with a password read from the
// operator.
func newAccount(ctx context.Context, env *Env, db *sqlstore.DB, u *domain.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if err := domain.CheckRoleChange("", nil, u); err != nil {
		return err
	}
	pw, err := readPassword(env)
	if err != nil {
		return err
	}
	if err := auth.CheckPassword(pw, u.Email, u.Name); err != nil {
		return err
	}
	h, err := auth.HashPassword(pw, auth.DefaultParams)
	if err != nil {
		return domain.Wrap(domain.KindInternal, err, "hashing the password")
	}
	return db.CreateUser(ctx, u, h)
}

// adminAgency is the agency of admins created before any other agency:
// the national coordination, which the operator can rename.
const adminAgency = "ADMIN"

func adminCreate(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("admin create", "EMAIL", "Crée un administrateur (mot de passe demandé, ou lu sur l'entrée standard). Les administrateurs gèrent comptes et agences, sans accès aux dossiers. / Creates an admin (password prompted, or read from standard input). Admins manage accounts and agencies, with no access to cases.")
	var d dbFlags
	d.register(fs)
	agency := fs.String("agency", adminAgency, "agence de l'administrateur (créée si absente) / the admin's agency (created when absent)")
	name := fs.String("name", "", "nom affiché / display name")
	db, err := d.parseAndOpen(ctx, env, fs, args, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.EnsureAgency(ctx, *agency, "Administration Vigie"); err != nil {
		return err
	}
	u := &domain.User{Email: fs.Arg(0), Name: *name, Agency: *agency, Roles: []domain.Role{domain.RoleAdmin}}
	if err := newAccount(ctx, env, db, u); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "administrateur créé / admin created: %s (agence / agency %s)\n", u.Email, u.Agency)
	fmt.Fprintln(env.Stdout, "À la première connexion, configurez l'application d'authentification (TOTP). / At first sign-in, set up the authenticator app (TOTP).")
	return nil
}

func userAdd(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("user add", "EMAIL", "Ajoute un utilisateur (mot de passe demandé, ou lu sur l'entrée standard). Rôles : caseworker, supervisor, justice, coordinator, admin (--role plusieurs fois ou séparés par des virgules). / Adds a user (password prompted, or read from standard input). Roles: caseworker, supervisor, justice, coordinator, admin (repeat --role or separate with commas).")
	var d dbFlags
	d.register(fs)
	agency := fs.String("agency", "", "code de l'agence (obligatoire) / agency code (required)")
	name := fs.String("name", "", "nom affiché / display name")
	var roles stringList
	fs.Var(&roles, "role", "rôle (obligatoire) / role (required)")
	db, err := d.parseAndOpen(ctx, env, fs, args, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	if *agency == "" {
		return usageError{"--agency est obligatoire / --agency is required"}
	}
	if len(roles) == 0 {
		return usageError{"--role est obligatoire / --role is required (caseworker, supervisor, justice, coordinator, admin)"}
	}
	u := &domain.User{Email: fs.Arg(0), Name: *name, Agency: *agency}
	for _, r := range roles {
		u.Roles = append(u.Roles, domain.Role(r))
	}
	if err := newAccount(ctx, env, db, u); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "utilisateur créé / user created: %s (agence / agency %s, rôles / roles %s)\n", u.Email, u.Agency, roles.String())
	return nil
}

// stringList is a repeatable, comma-separated flag.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error {
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			*s = append(*s, x)
		}
	}
	return nil
}

func userList(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("user list", "", "Liste les utilisateurs. / Lists users.")
	var d dbFlags
	d.register(fs)
	agency := fs.String("agency", "", "seulement cette agence / only this agency")
	db, err := d.parseAndOpen(ctx, env, fs, args, 0)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.Users(ctx, *agency)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tAGENCE / AGENCY\tRÔLES / ROLES\tTOTP\tÉTAT / STATE")
	for _, u := range list {
		roles := make([]string, len(u.Roles))
		for i, r := range u.Roles {
			roles[i] = string(r)
		}
		state := "actif / active"
		if u.Disabled {
			state = "désactivé / disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%s\n", u.Email, u.Agency, strings.Join(roles, ","), u.TOTPEnabled, state)
	}
	return tw.Flush()
}

// userResetTOTP clears a user's authenticator and recovery codes, for a
// lost phone: they enrol again at their next sign-in.
func userResetTOTP(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("user reset-2fa", "EMAIL", "Efface l'authentificateur et les codes de secours d'un utilisateur (téléphone perdu) et ferme ses sessions. / Clears a user's authenticator and recovery codes (lost phone) and ends their sessions.")
	var d dbFlags
	d.register(fs)
	db, err := d.parseAndOpen(ctx, env, fs, args, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.User(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	if err := domain.ResetSecondFactor(ctx, db, db, u); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "double authentification réinitialisée / second factor reset: %s\n", u.Email)
	return nil
}

func tokenCreate(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("token create", "EMAIL", "Crée un jeton d'API pour un utilisateur et l'affiche une seule fois (à utiliser comme « Authorization: Bearer JETON »). / Creates an API token for a user and prints it once (use it as \"Authorization: Bearer TOKEN\").")
	var d dbFlags
	d.register(fs)
	name := fs.String("name", "cli", "à quoi sert le jeton / what the token is for")
	days := fs.Int("days", int(domain.DefaultTokenLifetime/(24*time.Hour)), "durée de validité en jours (1 à 366) / lifetime in days (1 to 366)")
	readOnly := fs.Bool("read-only", false, "lecture seule / read only")
	db, err := d.parseAndOpen(ctx, env, fs, args, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	if *days < 1 || *days > 366 {
		return usageError{"--days: entre 1 et 366 / between 1 and 366"}
	}
	u, err := db.User(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	if u.Disabled {
		return domain.Errorf(domain.KindConflict, "le compte %s est désactivé / account %s is disabled", u.Email, u.Email)
	}
	tok, hash, err := auth.NewToken(auth.APITokenPrefix)
	if err != nil {
		return domain.Wrap(domain.KindInternal, err, "drawing a token")
	}
	t := &domain.APIToken{UserID: u.ID, Name: *name, ReadOnly: *readOnly, ExpiresAt: time.Now().Add(time.Duration(*days) * 24 * time.Hour)}
	if err := db.CreateToken(ctx, t, hash); err != nil {
		return err
	}
	e := domain.NewAuditEntry(ctx, domain.AuditTokenCreate)
	e.Resource, e.RecordID, e.Detail = "token", t.ID, map[string]any{"user": u.Email, "read_only": t.ReadOnly, "days": *days}
	if err := db.Audit(ctx, e); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, tok)
	fmt.Fprintf(env.Stderr, "jeton créé pour / token created for %s, expire le / expires %s; il ne sera plus affiché / it will not be shown again\n", u.Email, t.ExpiresAt.Format("2006-01-02"))
	return nil
}
