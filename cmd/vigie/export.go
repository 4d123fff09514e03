// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"fmt"
	"path/filepath"

	"vigie/internal/domain"
	"vigie/internal/htcds"
)

func runExport(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "export", args, []command{
		{"htcds", "exporter les dossiers au format HTCDS / export cases in HTCDS form", exportHTCDS},
	})
}

func exportHTCDS(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("export htcds", "", "Exporte les dossiers (données personnelles comprises : gardez le fichier en lieu sûr) en CSV, XLSX ou JSON HTCDS. / Exports cases (personal data included: keep the file safe) as HTCDS CSV, XLSX or JSON.")
	var d dbFlags
	d.register(fs)
	format := fs.String("format", "", "csv, xlsx ou json / csv, xlsx or json (obligatoire / required)")
	out := fs.String("out", "", "fichier de sortie, - pour la sortie standard (obligatoire) / output file, - for standard output (required)")
	var f domain.CaseFilter
	fs.StringVar(&f.Agency, "agency", "", "seulement cette agence / only this agency")
	fs.StringVar(&f.Status, "status", "", "seulement ce statut / only this cas_Status")
	fs.IntVar(&f.YearFrom, "year-from", 0, "année d'enregistrement minimale / first registration year")
	fs.IntVar(&f.YearTo, "year-to", 0, "année d'enregistrement maximale / last registration year")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if err := fs.want(env, 0); err != nil {
		return err
	}
	switch *format {
	case "csv", "xlsx", "json":
	default:
		return usageError{fmt.Sprintf("--format %q : csv, xlsx ou json / csv, xlsx or json", *format)}
	}
	if *out == "" {
		return usageError{"--out FICHIER est obligatoire / --out FILE is required"}
	}
	if err := refuseOwnFile("--out", *out, d.ownFiles()); err != nil {
		return err
	}
	db, err := d.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if f.Agency != "" {
		// An agency that does not exist is not found (4), before any
		// file is made; it was "invalid data" (3).
		if _, err := db.Agency(ctx, f.Agency); err != nil {
			return err
		}
	}
	// The file appears under its name only once complete (createOutput).
	o, err := createOutput(*out, env.Stdout)
	if err != nil {
		return err
	}
	defer o.abort()
	w, err := htcds.NewWriter(o, *format)
	if err != nil {
		return o.fail(err)
	}
	n := 0
	err = db.ExportCases(ctx, f, func(c *domain.Case) error {
		n++
		return w.Write(c)
	})
	if err != nil {
		return o.fail(err)
	}
	if err := w.Close(); err != nil {
		return o.fail(domain.Wrap(domain.KindUnavailable, err, "writing %s", *out))
	}
	if err := o.commit(); err != nil {
		return err
	}
	// The file holds personal data in clear: who wrote it, where, with
	// which filter, is recorded.
	e := domain.NewAuditEntry(ctx, domain.AuditExport)
	e.Resource = string(domain.ResCase)
	e.Detail = map[string]any{"cases": n, "format": *format, "file": exportedTo(*out), "agency": f.Agency}
	if err := db.Audit(ctx, e); err != nil {
		return err
	}
	// With --out -, the cases are standard output: the line goes beside,
	// as it does when they go to a device or a pipe (--out /dev/stdout
	// put the line at the end of the exported data).
	say := env.Stdout
	if *out == "-" || o.target == "" {
		say = env.Stderr
	}
	fmt.Fprintf(say, "exported: %d → %s\n", n, *out)
	fmt.Fprintln(env.Stderr, "ce fichier contient des données personnelles en clair : protégez-le / this file holds personal data in clear: protect it")
	return nil
}

// exportedTo is where an export went, as the audit log records it: the
// whole path (the file's name alone did not say where the copy of the
// victims' data is), or standard output.
func exportedTo(out string) string {
	if out == "-" {
		return "- (sortie standard / standard output)"
	}
	if abs, err := filepath.Abs(out); err == nil {
		return abs
	}
	return out
}
