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

func runSuspect(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "suspect", args, []command{
		{"add", "enregistrer un suspect / register a suspect: vigie suspect add --agency A --first F --last L [--alias X]…", suspectAdd},
		{"show", "afficher un suspect en JSON (lecture journalisée) / print a suspect as JSON (the read is audited): vigie suspect show NUMÉRO|ID", suspectShow},
		{"list", "lister les suspects / list suspects [--agency A] [--case NUMÉRO]", suspectList},
		{"link", "lier un suspect à un dossier ou une situation / link a suspect to a case or a situation: vigie suspect link NUMÉRO --case N [--roles R,…]", suspectLink},
	})
}

// documentList is a repeatable --document TYPE:NUMBER[:COUNTRY] flag.
type documentList []domain.IdentityDocument

func (d *documentList) String() string { return fmt.Sprint(len(*d)) }
func (d *documentList) Set(v string) error {
	parts := strings.SplitN(v, ":", 3)
	if len(parts) < 2 {
		return fmt.Errorf("TYPE:NUMÉRO[:PAYS] / TYPE:NUMBER[:COUNTRY] attendu / expected")
	}
	doc := domain.IdentityDocument{Type: strings.TrimSpace(parts[0]), Number: strings.TrimSpace(parts[1])}
	if n, ok := domain.IdentityDocumentType.Normalize(doc.Type); ok {
		doc.Type = n
	}
	if len(parts) == 3 {
		doc.Country = strings.ToUpper(strings.TrimSpace(parts[2]))
	}
	*d = append(*d, doc)
	return nil
}

func suspectAdd(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("suspect add", "", "Enregistre un suspect (identité chiffrée) et signale les doublons possibles. / Registers a suspect (identity sealed) and reports possible duplicates.")
	var d dbFlags
	d.register(fs)
	s := domain.Suspect{Identity: &domain.SuspectIdentity{}}
	var aliases, phones stringList
	var docs documentList
	fs.StringVar(&s.Agency, "agency", "", "code de l'agence qui enregistre / registering agency code")
	fs.StringVar(&s.Identity.FirstName, "first", "", "prénom / first name")
	fs.StringVar(&s.Identity.MiddleName, "middle", "", "post-nom / middle name")
	fs.StringVar(&s.Identity.LastName, "last", "", "nom / last name")
	fs.Var(&aliases, "alias", "surnom ou autre nom, répétable / alias, repeatable")
	birth := fs.String("birthdate", "", "date de naissance / birth date (AAAA-MM-JJ / YYYY-MM-DD)")
	fs.StringVar(&s.Gender, "gender", "", "genre / prs_Gender: "+strings.Join(domain.Gender.Values, ", "))
	fs.StringVar(&s.AgeBand, "age-band", "", "tranche d'âge sans date de naissance / age band without a birth date: "+strings.Join(domain.PerpetratorAgeBand.Values, ", "))
	fs.StringVar(&s.Citizenship, "citizenship", "", "nationalité / citizenship (ISO 3166, e.g. CD)")
	fs.Var(&docs, "document", "pièce d'identité TYPE:NUMÉRO[:PAYS], répétable / identity document, repeatable ("+strings.Join(domain.IdentityDocumentType.Values, ", ")+")")
	fs.Var(&phones, "phone", "téléphone E.164, répétable / E.164 phone, repeatable")
	fs.StringVar(&s.Identity.Description, "description", "", "signalement / physical description")
	db, err := d.parseAndOpen(ctx, env, fs, args, 0)
	if err != nil {
		return err
	}
	defer db.Close()
	if *birth != "" {
		if s.Identity.Birthdate, err = domain.ParseDate(*birth); err != nil {
			return &domain.Error{Kind: domain.KindInvalid, Message: "invalid data", Fields: []domain.FieldError{{Field: "birthdate", Code: "validation.date_format", Message: "is not a date in the form YYYY-MM-DD"}}}
		}
	}
	s.Identity.Aliases, s.Identity.Phones, s.Identity.Documents = aliases, phones, docs
	s.Citizenship = strings.ToUpper(s.Citizenship)
	if n, ok := domain.Gender.Normalize(s.Gender); ok {
		s.Gender = n
	}
	if err := db.CreateSuspect(ctx, &s); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, s.Number)
	q := domain.SuspectQuery{Name: s.Identity.Name(), Aliases: s.Identity.Aliases, Birthdate: s.Identity.Birthdate}
	if dupes, err := db.SuspectDuplicates(ctx, q, "", 6); err == nil {
		for _, m := range dupes {
			if m.SuspectID != s.ID {
				fmt.Fprintf(env.Stderr, "doublon possible / possible duplicate: %s (%s) %.0f %%\n", m.Number, m.Agency, m.Score*100)
			}
		}
	}
	return nil
}

func suspectShow(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("suspect show", "NUMÉRO|ID", "Affiche un suspect et ses liens en JSON ; la lecture est journalisée. / Prints a suspect and their links as JSON; the read is audited.")
	var d dbFlags
	d.register(fs)
	db, err := d.parseAndOpen(ctx, env, fs, args, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := db.Suspect(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	e := domain.NewAuditEntry(ctx, domain.AuditRead)
	e.Resource, e.RecordID, e.Detail = string(domain.ResSuspect), s.ID, map[string]any{"number": s.Number}
	if err := db.Audit(ctx, e); err != nil {
		return err
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

func suspectList(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("suspect list", "", "Liste les suspects, les plus récents d'abord (noms : --names, lecture journalisée). / Lists suspects, newest first (names with --names, an audited read).")
	var d dbFlags
	d.register(fs)
	var f domain.SuspectFilter
	fs.StringVar(&f.Agency, "agency", "", "code d'agence / agency code")
	fs.StringVar(&f.Gender, "gender", "", "genre / prs_Gender")
	fs.StringVar(&f.Citizenship, "citizenship", "", "nationalité / citizenship (ISO 3166)")
	caseRef := fs.String("case", "", "suspects liés à ce dossier / linked to this case (number)")
	fs.IntVar(&f.Limit, "limit", 50, "nombre de lignes / rows (max 500)")
	withNames := fs.Bool("names", false, "afficher les noms / show names")
	db, err := d.parseAndOpen(ctx, env, fs, args, 0)
	if err != nil {
		return err
	}
	defer db.Close()
	if *caseRef != "" {
		c, err := db.Case(ctx, *caseRef)
		if err != nil {
			return err
		}
		f.CaseID = c.ID
	}
	list, total, err := db.FindSuspects(ctx, f)
	if err != nil {
		return err
	}
	if *withNames && len(list) > 0 {
		numbers := make([]string, len(list))
		for i, s := range list {
			numbers[i] = s.Number
		}
		e := domain.NewAuditEntry(ctx, domain.AuditRead)
		e.Resource, e.Detail = string(domain.ResSuspect), map[string]any{"suspects": numbers}
		if err := db.Audit(ctx, e); err != nil {
			return err
		}
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	header := "NUMÉRO / NUMBER\tAGENCE / AGENCY\tGENRE / GENDER\tÂGE / AGE\tNATIONALITÉ / CITIZENSHIP"
	if *withNames {
		header += "\tNOM / NAME"
	}
	fmt.Fprintln(tw, header)
	for _, s := range list {
		line := fmt.Sprintf("%s\t%s\t%s\t%s\t%s", s.Number, s.Agency, s.Gender, s.AgeGroup, s.Citizenship)
		if *withNames {
			line += "\t" + oneLine(s.Name())
		}
		fmt.Fprintln(tw, line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if total > len(list) {
		fmt.Fprintf(env.Stderr, "%d sur / of %d\n", len(list), total)
	}
	return nil
}

func suspectLink(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("suspect link", "NUMÉRO|ID", "Lie un suspect au dossier d'une victime (rôle, relation, organisation) ou à une situation. / Links a suspect to a victim's case (role, relation, organisation) or to a situation.")
	var d dbFlags
	d.register(fs)
	var l domain.SuspectLink
	var roles stringList
	fs.StringVar(&l.CaseNumber, "case", "", "numéro du dossier / case number")
	fs.StringVar(&l.SituationID, "situation", "", "ID de la situation / situation ID")
	fs.Var(&roles, "roles", "rôles / per_RoleInProcess: "+strings.Join(domain.RoleInProcess.Values, ", "))
	fs.StringVar(&l.Relation, "relation", "", "relation avec la victime / relation to the victim: "+strings.Join(domain.PerpetratorRelation.Values, ", "))
	fs.StringVar(&l.Organisation, "organisation", "", "organisation ou réseau / organisation or network")
	db, err := d.parseAndOpen(ctx, env, fs, args, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, r := range roles {
		if n, ok := domain.RoleInProcess.Normalize(r); ok {
			r = n
		}
		l.Roles = append(l.Roles, r)
	}
	l.SuspectID = fs.Arg(0)
	if err := db.LinkSuspect(ctx, &l); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, l.ID)
	return nil
}
