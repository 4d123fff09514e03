// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"vigie/internal/domain"
)

// The justice commands read proceedings on the server itself (an
// operator's reads are audited as "cli:USER", like every other); the
// proceedings are recorded through the pages and the API, where a
// justice user signs in.
func runJustice(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "justice", args, []command{
		{"list", "lister les procédures / list proceedings [--agency A] [--status S]", justiceList},
		{"show", "une procédure et sa chronologie / a proceeding and its timeline: vigie justice show NUMÉRO", justiceShow},
		{"figures", "chiffres de la chaîne pénale en JSON / justice figures as JSON [--from D --to D --agency A]", justiceFigures},
	})
}

// runLaw manages the list of offences charges cite. Vigie ships it
// empty: load the articles from the official text of the law, e.g.
//
//	vigie law add L22-067-A1 --law "Loi n° 22/067 du 26 décembre 2022" --article 1 --title-fr "…" --title-en "…"
func runLaw(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "law", args, []command{
		{"add", "ajouter une infraction (article de loi) / add an offence (article of law): vigie law add CODE --law L --article N --title-fr T [--title-en T]", lawAdd},
		{"list", "lister les infractions / list the offences [--all]", lawList},
		{"retire", "retirer une infraction des nouvelles charges / retire an offence from new charges: vigie law retire CODE", lawRetire},
	})
}

func lawAdd(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("law add", "CODE", "Ajoute un article de loi à la liste des infractions. Recopiez le texte officiel : Vigie n'en fournit aucun. / Adds an article of law to the list of offences. Copy the official text: Vigie ships none.")
	var d dbFlags
	d.register(fs)
	law := fs.String("law", "", "texte de loi / the law, e.g. \"Loi n° 22/067 du 26 décembre 2022\"")
	article := fs.String("article", "", "numéro de l'article / article number")
	titleFR := fs.String("title-fr", "", "intitulé en français / French title")
	titleEN := fs.String("title-en", "", "intitulé en anglais / English title")
	db, err := d.parseAndOpen(ctx, env, fs, args, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	a := &domain.LawArticle{Code: fs.Arg(0), Law: *law, Article: *article, TitleFR: *titleFR, TitleEN: *titleEN, Active: true}
	if err := db.CreateLawArticle(ctx, a); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, a.Code)
	return nil
}

func lawList(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("law list", "", "Liste les infractions (actives, ou toutes avec --all). / Lists the offences (active ones, or all with --all).")
	var d dbFlags
	d.register(fs)
	all := fs.Bool("all", false, "avec les articles retirés / with retired articles")
	db, err := d.parseAndOpen(ctx, env, fs, args, 0)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.LawArticles(ctx, !*all)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tLOI / LAW\tARTICLE\tINTITULÉ / TITLE\tACTIF / ACTIVE")
	for _, a := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\n", a.Code, oneLine(a.Law), oneLine(a.Article), oneLine(a.TitleFR), a.Active)
	}
	return tw.Flush()
}

func lawRetire(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("law retire", "CODE", "Retire une infraction : les charges qui la citent la gardent, les nouvelles ne peuvent plus la citer. / Retires an offence: charges citing it keep it, new ones cannot cite it.")
	var d dbFlags
	d.register(fs)
	db, err := d.parseAndOpen(ctx, env, fs, args, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.LawArticles(ctx, false)
	if err != nil {
		return err
	}
	code := strings.ToUpper(strings.TrimSpace(fs.Arg(0)))
	for _, a := range list {
		if a.Code == code {
			a.Active = false
			if err := db.UpdateLawArticle(ctx, a); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "%s: version %d\n", a.Code, a.Version)
			return nil
		}
	}
	return domain.Errorf(domain.KindNotFound, "no article %s", truncateArg(code))
}

func truncateArg(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func justiceList(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("justice list", "", "Liste les procédures, les plus récentes d'abord. / Lists proceedings, newest first.")
	var d dbFlags
	d.register(fs)
	agency := fs.String("agency", "", "agence / agency code")
	status := fs.String("status", "", "étape / stage: "+strings.Join(domain.Stages, ", "))
	db, err := d.parseAndOpen(ctx, env, fs, args, 0)
	if err != nil {
		return err
	}
	defer db.Close()
	list, total, err := db.Proceedings(ctx, domain.ProceedingFilter{Agency: *agency, Status: *status, Limit: domain.MaxPageSize})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NUMÉRO / NUMBER\tÉTAPE / STAGE\tPLAINTE / COMPLAINT\tTRIBUNAL / COURT")
	for _, p := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Number, p.Status, p.Complaint.Date, oneLine(p.Prosecution.Court))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if total > len(list) {
		fmt.Fprintf(env.Stderr, "%d sur / of %d\n", len(list), total)
	}
	return nil
}

func justiceShow(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("justice show", "NUMÉRO", "Affiche une procédure : étape, avertissements et chronologie (lecture journalisée). / Shows a proceeding: stage, warnings and timeline (the read is audited).")
	var d dbFlags
	d.register(fs)
	asJSON := fs.Bool("json", false, "la procédure entière en JSON / the whole proceeding as JSON")
	db, err := d.parseAndOpen(ctx, env, fs, args, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := db.Proceeding(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(p)
	}
	fmt.Fprintf(env.Stdout, "%s  %s  %s\n", p.Number, p.Agency, p.Status)
	for _, w := range p.Warnings {
		fmt.Fprintf(env.Stdout, "! %s: %s\n", w.Field, w.Message)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	for _, e := range p.Timeline() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Date, e.Kind, oneLine(e.Ref), oneLine(e.Value))
	}
	return tw.Flush()
}

func justiceFigures(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("justice figures", "", "Personnes poursuivies par étape, sexe, âge et nationalité ; infractions ; peines ; en JSON. / Persons by stage, sex, age and citizenship; offences; sentences; as JSON.")
	var d dbFlags
	d.register(fs)
	from := fs.String("from", "", "du / from YYYY-MM-DD")
	to := fs.String("to", "", "au / to YYYY-MM-DD (inclus / inclusive)")
	agency := fs.String("agency", "", "agence / agency code")
	db, err := d.parseAndOpen(ctx, env, fs, args, 0)
	if err != nil {
		return err
	}
	defer db.Close()
	f := domain.FiguresFilter{Agency: *agency}
	var p domain.Problems
	if f.From, err = domain.ParseDate(*from); err != nil {
		p.Add("from", "validation.date_format", "%q is not a date in the form YYYY-MM-DD", *from)
	}
	if f.To, err = domain.ParseDate(*to); err != nil {
		p.Add("to", "validation.date_format", "%q is not a date in the form YYYY-MM-DD", *to)
	}
	if err := p.Err(); err != nil {
		return err
	}
	fig, err := db.JusticeFigures(ctx, f)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(fig)
}
