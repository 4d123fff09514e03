// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"vigie/internal/demo"
	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// demoDataDir is where vigie serve --demo keeps its database unless
// --data names another: never the real ./vigie-data.
const demoDataDir = "./vigie-demo"

// checkMode records on first use whether the database is real or a demo,
// and refuses to mix them afterwards: the demo server never opens a
// database that held real data, and no command opens a demo database as
// if it were real (importing real victims into it, say).
func checkMode(ctx context.Context, db *sqlstore.DB, wantDemo bool) error {
	want := sqlstore.ModeReal
	if wantDemo {
		want = sqlstore.ModeDemo
	}
	got, err := db.ClaimInstanceMode(ctx, want)
	if err != nil {
		return err
	}
	switch {
	case got == want:
		return nil
	case wantDemo:
		return domain.Errorf(domain.KindConflict, "%s contient des données réelles (ou a été créée pour elles) : --demo refuse de l’utiliser ; lancez « vigie serve --demo » sans --data ni --db pour une démonstration dans %s / %s holds real data (or was created for it): --demo refuses it; run \"vigie serve --demo\" without --data or --db for a demo in %s", db.Location, demoDataDir, db.Location, demoDataDir)
	default:
		return domain.Errorf(domain.KindConflict, "%s est une base de démonstration (personnes fictives) : seul « vigie serve --demo » l’ouvre ; n’y mettez jamais de vraies données / %s is a demo database (fictitious people): only \"vigie serve --demo\" opens it; never put real data in it", db.Location, db.Location)
	}
}

// startDemo seeds the demo on first start and prints its accounts.
func startDemo(ctx context.Context, env *Env, db *sqlstore.DB) error {
	seeded, err := demo.Seeded(ctx, db)
	if err != nil {
		return err
	}
	var accounts []demo.Account
	if !seeded {
		fmt.Fprintln(env.Stdout, "Création des données de démonstration (personnes fictives)… / Creating the demo data (fictitious people)…")
		start := time.Now()
		// A fixed seed: every newcomer sees the same demo, and the
		// README's screenshots match it.
		if accounts, err = demo.Seed(ctx, db, demo.Options{Seed: 1}); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "… terminé en / done in %s\n", time.Since(start).Round(time.Millisecond))
	} else if accounts, err = demo.Secrets(ctx, db); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "DÉMONSTRATION — personnes fictives, ne saisissez aucune donnée réelle / DEMO — fictitious people, enter no real data.")
	fmt.Fprintln(env.Stdout, "Comptes de démonstration / demo accounts (le code à 6 chiffres s’affiche sur la page du code / the 6-digit code is shown on the code page):")
	tw := tabwriter.NewWriter(env.Stdout, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "  rôle / role\tagence / agency\te-mail\tmot de passe / password\tsecret TOTP")
	for _, a := range accounts {
		secret := a.TOTPSecret
		if secret == "" {
			secret = "— (pas de second facteur / no second factor)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", a.Role, a.Agency, a.Email, a.Password, secret)
	}
	return tw.Flush()
}
