// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"fmt"

	"vigie/internal/sqlstore"
)

func runMigrate(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("migrate", "", "Applique les migrations du schéma (le serveur le fait aussi au démarrage). / Applies schema migrations (the server also does at start).")
	var d dbFlags
	d.register(fs)
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if err := fs.want(env, 0); err != nil {
		return err
	}
	if err := d.checkURL(); err != nil {
		return err
	}
	db, err := sqlstore.Open(ctx, d.db, d.data)
	if err != nil {
		return err
	}
	defer db.Close()
	db.Notice = func(msg string) { fmt.Fprintln(env.Stdout, msg) }
	applied, err := db.Migrate(ctx)
	for _, name := range applied {
		fmt.Fprintln(env.Stdout, "appliquée / applied:", name)
	}
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(env.Stdout, "schéma à jour / schema up to date:", db.Location)
	}
	// Sealing needs the key file, which this command does not open: say
	// what is left for the next start rather than leave it unseen.
	n, err := db.ProceedingsToSeal(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(env.Stdout, "%d procédure(s) écrite(s) en clair par une version antérieure, chiffrée(s) au prochain démarrage avec le fichier de clé ; illisibles d'ici là / %d proceeding(s) written in clear by an earlier version, to be encrypted at the next start with the key file; unreadable until then\n", n, n)
	}
	return nil
}
