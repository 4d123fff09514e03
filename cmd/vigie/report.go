// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"vigie/internal/domain"
	"vigie/internal/i18n"
	"vigie/internal/report"
	"vigie/internal/sqlstore"
)

func runReport(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "report", args, []command{
		{"annual", "rapport annuel dans un fichier / annual report to a file --year Y [--to Y] [--agency A] [--format xlsx|csv|html|pdf] [--lang fr|en] [--version N] --out FICHIER", reportAnnual},
		{"lock", "verrouiller une période ou émettre une version / lock a period or issue a version --year Y [--to Y] [--agency A] [--after N --reason TEXTE]", reportLock},
		{"versions", "versions verrouillées / locked versions --year Y [--to Y] [--agency A]", reportVersions},
	})
}

// periodFlags are the period and scope every report command takes.
type periodFlags struct {
	year, to *int
	agency   *string
}

func (p *periodFlags) register(fs *flagSet) {
	p.year = fs.Int("year", 0, "année du rapport / the report's year")
	p.to = fs.Int("to", 0, "dernière année, pour plusieurs années / last year, for several years")
	p.agency = fs.String("agency", "", "code d'agence (vide : tout le pays) / agency code (empty: the whole country)")
}

func (p *periodFlags) period() (report.Period, string, error) {
	r := report.Period{From: *p.year, To: *p.to}
	if r.To == 0 {
		r.To = r.From
	}
	if *p.year == 0 {
		return r, "", &domain.Error{Kind: domain.KindInvalid, Message: "invalid data", Fields: []domain.FieldError{{Field: "year", Code: "validation.required", Message: "--year is required"}}}
	}
	if *p.agency != "" && !domain.ValidAgencyCode(*p.agency) {
		return r, "", &domain.Error{Kind: domain.KindInvalid, Message: "invalid data", Fields: []domain.FieldError{{Field: "agency", Code: "validation.agency_code", Message: fmt.Sprintf("%q is not an agency code", *p.agency)}}}
	}
	return r, *p.agency, r.Validate()
}

// parsePeriod parses the command line and checks the period before
// anything is opened: a mistyped year must not create a data directory.
func parsePeriod(env *Env, fs *flagSet, args []string, pf *periodFlags) (report.Period, string, error) {
	if err := fs.parse(env, args); err != nil {
		return report.Period{}, "", err
	}
	if err := fs.want(env, 0); err != nil {
		return report.Period{}, "", err
	}
	return pf.period()
}

func openReports(ctx context.Context, env *Env, fs *flagSet, args []string, d *dbFlags) (*sqlstore.DB, *report.Service, error) {
	db, err := d.parseAndOpen(ctx, env, fs, args, 0)
	if err != nil {
		return nil, nil, err
	}
	return db, report.NewService(db), nil
}

func reportAnnual(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("report annual", "", "Écrit le rapport annuel (chiffres exacts, usage interne) dans un fichier : la dernière version verrouillée si la période l'est. / Writes the annual report (exact figures, internal use) to a file: the latest locked version if the period is locked.")
	var d dbFlags
	d.register(fs)
	var pf periodFlags
	pf.register(fs)
	format := fs.String("format", "xlsx", "xlsx, csv, html ou/or pdf")
	lang := fs.String("lang", "fr", "langue / language: fr, en")
	version := fs.Int("version", 0, "une version verrouillée / a locked version")
	out := fs.String("out", "", "fichier à écrire / file to write (required)")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	l, ok := i18n.Parse(*lang)
	if _, known := report.Formats[*format]; !known || !ok || *out == "" || *version < 0 {
		fs.printUsage(env.Stderr)
		return usageError{"--format xlsx|csv|html|pdf, --lang fr|en et/and --out FICHIER/FILE"}
	}
	p, agency, err := pf.period()
	if err != nil {
		return err
	}
	db, svc, err := openReports(ctx, env, fs, nil, &d)
	if err != nil {
		return err
	}
	defer db.Close()
	var rep *report.Report
	if *version > 0 {
		rep, _, err = svc.Version(ctx, p, agency, *version)
	} else {
		var v *report.View
		if v, err = svc.View(ctx, p, agency); err == nil {
			rep = v.Report
		}
	}
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := report.Write(&b, *format, i18n.For(l), rep, time.Now().UTC().Format("2006-01-02")); err != nil {
		return err
	}
	if err := refuseOwnFile("--out", *out, d.ownFiles()); err != nil {
		return err
	}
	if err := refuseFolder("--out", *out); err != nil {
		return err
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o600); err != nil {
		return outputError(err, *out)
	}
	fmt.Fprintf(env.Stdout, "%s: %d bytes\n", *out, b.Len())
	return nil
}

func reportLock(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("report lock", "", "Verrouille les chiffres d'une période (version 1), ou émet une nouvelle version avec un motif après la version --after. / Locks a period's figures (version 1), or issues a new version with a reason after version --after.")
	var d dbFlags
	d.register(fs)
	var pf periodFlags
	pf.register(fs)
	after := fs.Int("after", 0, "dernière version vue (0 : verrouiller) / latest version seen (0: lock)")
	reason := fs.String("reason", "", "motif, requis pour une nouvelle version / reason, required for a new version")
	p, agency, err := parsePeriod(env, fs, args, &pf)
	if err != nil {
		return err
	}
	db, svc, err := openReports(ctx, env, fs, nil, &d)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := svc.Lock(ctx, p, agency, strings.TrimSpace(*reason), *after)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s version %d\n", v.Period, v.Version)
	return nil
}

func reportVersions(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("report versions", "", "Liste les versions verrouillées d'une période. / Lists a period's locked versions.")
	var d dbFlags
	d.register(fs)
	var pf periodFlags
	pf.register(fs)
	p, agency, err := parsePeriod(env, fs, args, &pf)
	if err != nil {
		return err
	}
	db, svc, err := openReports(ctx, env, fs, nil, &d)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := svc.Store.ReportVersions(ctx, p.String(), agency)
	if err != nil {
		return err
	}
	for _, v := range list {
		fmt.Fprintf(env.Stdout, "%d\t%s\t%s\t%s\n", v.Version, v.CreatedAt.UTC().Format(time.RFC3339), v.CreatedBy, v.Reason)
	}
	return nil
}
