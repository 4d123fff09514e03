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
	db, err := sqlstore.Open(ctx, d.db, d.data)
	if err != nil {
		return err
	}
	defer db.Close()
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
	return nil
}
