// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"vigie/internal/domain"
)

func runAgency(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "agency", args, []command{
		{"add", "ajouter une agence / add an agency: vigie agency add CODE NOM", agencyAdd},
		{"list", "lister les agences / list agencies", agencyList},
	})
}

// dispatch runs a subcommand of a group.
func dispatch(ctx context.Context, env *Env, group string, args []string, subs []command) error {
	args = helpFor(args)
	if len(args) > 0 {
		for _, c := range subs {
			if c.name == args[0] {
				return c.run(ctx, env, args[1:])
			}
		}
	}
	w := env.Stderr
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		w = env.Stdout
	}
	fmt.Fprintf(w, "Utilisation / usage: vigie %s SOUS-COMMANDE / SUBCOMMAND\n\n", group)
	for _, c := range subs {
		fmt.Fprintf(w, "  %-7s %s\n", c.name, c.summary)
	}
	if w == env.Stdout {
		return errHelp
	}
	if len(args) == 0 {
		return usageError{"sous-commande manquante / missing subcommand"}
	}
	return usageError{fmt.Sprintf("sous-commande inconnue / unknown subcommand %q", args[0])}
}

func agencyAdd(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("agency add", "CODE NOM", "Ajoute une agence ; CODE (2 à 10 majuscules ou chiffres) préfixe ses numéros de dossier. / Adds an agency; CODE prefixes its case numbers.")
	var d dbFlags
	d.register(fs)
	typ := fs.String("type", "", "type HTCDS / HTCDS org_Type: "+fmt.Sprint(domain.OrgType.Values))
	db, err := d.parseAndOpen(ctx, env, fs, args, 2)
	if err != nil {
		return err
	}
	defer db.Close()
	a := &domain.Agency{Code: fs.Arg(0), Name: fs.Arg(1), Type: *typ}
	if err := db.CreateAgency(ctx, a); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "agence créée / agency created: %s (%s)\n", a.Code, a.Name)
	return nil
}

func agencyList(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("agency list", "", "Liste les agences. / Lists agencies.")
	var d dbFlags
	d.register(fs)
	db, err := d.parseAndOpen(ctx, env, fs, args, 0)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.Agencies(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tNOM / NAME\tTYPE")
	for _, a := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", a.Code, a.Name, a.Type)
	}
	return tw.Flush()
}
