// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"text/tabwriter"

	"vigie/internal/domain"
	"vigie/internal/httpapi"
	"vigie/internal/strictjson"
)

func runCase(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "case", args, []command{
		{"add", "enregistrer un dossier depuis un fichier JSON / register a case from a JSON file", caseAdd},
		{"show", "afficher un dossier / show a case: vigie case show KIN-2026-000001", caseShow},
		{"list", "lister les dossiers filtrés / list filtered cases", caseList},
	})
}

// maxCaseFile bounds a case document read by the CLI.
const maxCaseFile = 1 << 20

func caseAdd(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("case add", "FICHIER.json|-", "Enregistre un dossier décrit en JSON (clés HTCDS, voir /api/v1/openapi.json) ; « - » lit l'entrée standard. / Registers a case described in JSON (HTCDS keys); \"-\" reads standard input.")
	var d dbFlags
	d.register(fs)
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if err := fs.want(env, 1); err != nil {
		return err
	}
	var r io.Reader = env.Stdin
	if name := fs.Arg(0); name != "-" {
		f, err := openInput(name)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	raw, err := io.ReadAll(io.LimitReader(r, maxCaseFile+1))
	if err != nil {
		return domain.Wrap(domain.KindInvalid, err, "cannot read the case file")
	}
	if len(raw) > maxCaseFile {
		return domain.Errorf(domain.KindTooLarge, "the case file is larger than %d bytes", maxCaseFile)
	}
	raw = strictjson.TrimBOM(raw) // a file saved by Notepad as UTF-8 with BOM
	var c domain.Case
	if err := strictjson.Decode(raw, &c); err != nil {
		return err
	}
	if err := domain.MissingConsentAnswers(raw).Err(); err != nil {
		return err
	}
	// As the API: an ID, version, timestamp or case number in the file
	// is refused, not silently replaced by the one Vigie assigns.
	if err := domain.NewCaseAssigned(&c); err != nil {
		return err
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	c.RegisteredToday(db.Now.Today())
	// Comments are their writer's, as through the API (which names the
	// signed-in user): here the account on this machine, as the audit
	// log names it, not a vig_Author the file may give.
	for _, cm := range c.Comments {
		if cm != nil {
			cm.Author = "cli:" + osUser()
		}
	}
	if err := db.CreateCase(ctx, &c); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, c.Number)
	return nil
}

func caseShow(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("case show", "NUMÉRO|ID", "Affiche un dossier complet en JSON. / Prints a whole case as JSON.")
	var d dbFlags
	d.register(fs)
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if err := fs.want(env, 1); err != nil {
		return err
	}
	db, err := d.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := db.Case(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	e := domain.NewAuditEntry(ctx, domain.AuditRead)
	e.Resource, e.RecordID, e.CaseID, e.CaseNumber = string(domain.ResCase), c.ID, c.ID, c.Number
	if err := db.Audit(ctx, e); err != nil {
		return err
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(c)
}

// caseListFlags are the flags of vigie case list: one per parameter of
// GET /api/v1/cases (its name with - for _, situation for situation_id),
// with its help.
var caseListFlags = []struct{ param, flag, help string }{
	{"agency", "agency", "code d'agence / agency code"},
	{"status", "status", "statut / cas_Status: " + strings.Join(domain.CaseStatus.Values, ", ")},
	{"trafficking_status", "trafficking-status", "statut de traite / vic_TraffickingStatus: " + strings.Join(domain.TraffickingStatus.Values, ", ")},
	{"gender", "gender", "genre / prs_Gender: " + strings.Join(domain.Gender.Values, ", ")},
	{"age_group", "age-group", "groupe d'âge / age group: Child, Adult, Unknown"},
	{"age_band", "age-band", "tranche d'âge / age band (CTDC): " + strings.Join(domain.AgeBand.Values, ", ")},
	{"exploitation", "exploitation", "forme d'exploitation / vic_TypeOfExploitation"},
	{"citizenship", "citizenship", "nationalité / citizenship (ISO 3166, e.g. CD)"},
	{"exploitation_country", "exploitation-country", "pays d'exploitation / country of exploitation"},
	{"situation_id", "situation", "situation de traite (ID) / trafficking situation (ID)"},
	{"province", "province", "province d'identification (CD-NK ou Nord-Kivu) / province of identification (CD-NK or Nord-Kivu)"},
	{"year_from", "year-from", "année d'enregistrement minimale / first registration year"},
	{"year_to", "year-to", "année d'enregistrement maximale / last registration year"},
	{"registered_from", "registered-from", "enregistré à partir du / registered from (YYYY-MM-DD ; dossiers datés seulement, les années : --year-from / dated cases only, years: --year-from)"},
	{"registered_to", "registered-to", "enregistré jusqu'au / registered up to (YYYY-MM-DD, inclus / included ; dossiers datés seulement / dated cases only)"},
	{"updated_from", "updated-from", "modifié à partir du / updated from (YYYY-MM-DD or RFC 3339)"},
	{"updated_to", "updated-to", "modifié jusqu'au / updated up to (YYYY-MM-DD inclus / included, or RFC 3339)"},
	{"sort", "sort", "tri / sort: " + strings.Join(domain.CaseSorts, ", ") + " (défaut / default -created)"},
	{"limit", "limit", "nombre de lignes / rows per page (1-500, défaut / default 50)"},
	{"cursor", "cursor", "page suivante / next page (from the previous output)"},
}

func caseList(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("case list", "", "Liste les dossiers (sans données personnelles), avec les filtres de GET /api/v1/cases. / Lists cases (no personal data), with the filters of GET /api/v1/cases.")
	var d dbFlags
	d.register(fs)
	values := map[string]*string{}
	for _, fl := range caseListFlags {
		values[fl.flag] = fs.String(fl.flag, "", fl.help)
	}
	asJSON := fs.Bool("json", false, "sortie JSON / JSON output")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if err := fs.want(env, 0); err != nil {
		return err
	}
	// The flags given become the API's query parameters, read by the
	// API's own parser: the same values are accepted and refused with the
	// same codes, each error naming the flag.
	q := url.Values{}
	flagOf := map[string]string{}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, fl := range caseListFlags {
		flagOf[fl.param] = fl.flag
		if set[fl.flag] {
			q.Set(fl.param, *values[fl.flag])
		}
	}
	// Errors name the flag, not the parameter.
	asFlags := func(err error) error {
		var e *domain.Error
		if errors.As(err, &e) {
			for i, fe := range e.Fields {
				if name, ok := flagOf[fe.Field]; ok {
					e.Fields[i].Field = "--" + name
				}
			}
		}
		return err
	}
	f, err := httpapi.ParseCaseFilter(q)
	if err != nil {
		return asFlags(err)
	}
	db, err := d.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	page, err := db.FindCases(ctx, f)
	if err != nil {
		return asFlags(err)
	}
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(page)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NUMÉRO\tSTATUT\tGENRE\tÂGE\tNATIONALITÉ\tEXPLOITATION\tPAYS\tANNÉE")
	for _, s := range page.Items {
		year := s.RegistrationPeriod
		if s.RegistrationYear != 0 {
			year = fmt.Sprint(s.RegistrationYear)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Number, s.Status, s.Gender, s.AgeGroup,
			strings.Join(s.Citizenship, ";"), strings.Join(s.TypeOfExploitation, ";"), strings.Join(s.ExploitationCountries, ";"), year)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "total: %d\n", page.Total)
	if page.NextCursor != "" {
		fmt.Fprintf(env.Stdout, "suite / next: --cursor %s\n", page.NextCursor)
	}
	return nil
}
