// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"vigie/internal/domain"
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
		f, err := os.Open(name)
		if err != nil {
			return domain.Wrap(domain.KindNotFound, err, "cannot open %s", name)
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
	c.Warnings = nil
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
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
	db, err := d.parseAndOpen(ctx, env, fs, args, 1)
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

func caseList(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("case list", "", "Liste les dossiers (sans données personnelles). / Lists cases (no personal data).")
	var d dbFlags
	d.register(fs)
	var f domain.CaseFilter
	fs.StringVar(&f.Agency, "agency", "", "code d'agence / agency code")
	fs.StringVar(&f.Status, "status", "", "statut / cas_Status: "+strings.Join(domain.CaseStatus.Values, ", "))
	fs.StringVar(&f.Gender, "gender", "", "genre / prs_Gender")
	fs.StringVar(&f.AgeGroup, "age-group", "", "Child, Adult, Unknown")
	fs.StringVar(&f.Exploitation, "exploitation", "", "forme d'exploitation / vic_TypeOfExploitation")
	fs.StringVar(&f.Citizenship, "citizenship", "", "nationalité / citizenship (ISO 3166, e.g. CD)")
	fs.StringVar(&f.ExploitationCountry, "exploitation-country", "", "pays d'exploitation / country of exploitation")
	province := fs.String("province", "", "province d'identification (CD-NK ou Nord-Kivu) / province of identification (CD-NK or Nord-Kivu)")
	fs.IntVar(&f.YearFrom, "year-from", 0, "année d'enregistrement minimale / first registration year")
	fs.IntVar(&f.YearTo, "year-to", 0, "année d'enregistrement maximale / last registration year")
	fs.StringVar(&f.Sort, "sort", "-created", "tri / sort: "+strings.Join(domain.CaseSorts, ", "))
	fs.IntVar(&f.Limit, "limit", 50, "nombre de lignes / rows per page (max 500)")
	fs.StringVar(&f.Cursor, "cursor", "", "page suivante / next page (from the previous output)")
	asJSON := fs.Bool("json", false, "sortie JSON / JSON output")
	db, err := d.parseAndOpen(ctx, env, fs, args, 0)
	if err != nil {
		return err
	}
	defer db.Close()
	f.Province = *province
	if n, ok := domain.Province.Normalize(f.Province); ok {
		f.Province = n
	}
	page, err := db.FindCases(ctx, f)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(page)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NUMÉRO\tSTATUT\tGENRE\tÂGE\tNATIONALITÉ\tEXPLOITATION\tPAYS\tANNÉE")
	for _, s := range page.Items {
		year := ""
		if s.RegistrationYear != 0 {
			year = fmt.Sprint(s.RegistrationYear)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Number, s.Status, s.Gender, s.AgeGroup,
			strings.Join(s.Citizenship, ";"), strings.Join(s.TypeOfExploitation, ";"), s.ExploitationCountry, year)
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
