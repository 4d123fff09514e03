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

func runProvider(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "provider", args, []command{
		{"add", "ajouter un prestataire à l'annuaire / add a provider: vigie provider add NOM --type T --services S,… --provinces P,…", providerAdd},
		{"list", "lister l'annuaire / list the directory [--service S] [--province P]", providerList},
		{"beds", "mettre à jour les lits libres / update free beds: vigie provider beds ID --free N [--total N]", providerBeds},
	})
}

func runAwareness(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "awareness", args, []command{
		{"summary", "totaux des activités de sensibilisation / awareness totals [--from D --to D --province P --type T --agency A]", awarenessSummary},
	})
}

// splitEnum reads a comma-separated list of an enum's values, accepting
// any case and the enum's aliases (province names such as "Nord-Kivu").
func splitEnum(e *domain.Enum, flag, s string) ([]string, error) {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		n, ok := e.Normalize(v)
		if !ok {
			return nil, &domain.Error{Kind: domain.KindInvalid, Message: "invalid data", Fields: []domain.FieldError{{Field: flag, Code: "validation.enum",
				Message: fmt.Sprintf("%q is not one of: %s", v, strings.Join(e.Values, ", "))}}}
		}
		out = append(out, n)
	}
	return out, nil
}

// optInt is an integer flag that may be absent (-1).
func optInt(n int) *int {
	if n < 0 {
		return nil
	}
	return &n
}

func providerAdd(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("provider add", "NOM", "Ajoute un prestataire à l'annuaire des services. / Adds a service provider to the directory.")
	var d dbFlags
	d.register(fs)
	typ := fs.String("type", "", "type / kind: "+strings.Join(domain.ProviderType.Values, ", "))
	services := fs.String("services", "", "services offerts, séparés par des virgules / services offered, comma-separated: "+strings.Join(domain.ProviderService.Values, ", "))
	provinces := fs.String("provinces", "", "provinces couvertes (CD-KN… ou noms) / provinces covered (CD-KN… or names)")
	agency := fs.String("agency", "", "code de l'agence Vigie, si le prestataire en est une / Vigie agency code, if the provider is one")
	phone := fs.String("phone", "", "téléphone E.164 / E.164 phone (+243…)")
	email := fs.String("email", "", "e-mail")
	address := fs.String("address", "", "adresse / address")
	total := fs.Int("beds-total", -1, "lits au total / beds in total")
	free := fs.Int("beds-free", -1, "lits libres / free beds")
	db, err := d.parseAndOpen(ctx, env, fs, args, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	p := &domain.Provider{Name: fs.Arg(0), Type: *typ, AgencyCode: *agency, Phone: *phone, Email: *email, Address: *address,
		BedsTotal: optInt(*total), BedsFree: optInt(*free)}
	if p.Type != "" {
		if n, ok := domain.ProviderType.Normalize(p.Type); ok {
			p.Type = n
		}
	}
	if p.Services, err = splitEnum(domain.ProviderService, "services", *services); err != nil {
		return err
	}
	if p.Provinces, err = splitEnum(domain.Province, "provinces", *provinces); err != nil {
		return err
	}
	if p.BedsTotal != nil || p.BedsFree != nil {
		p.CapacityDate = db.Now.Today()
	}
	if err := db.CreateProvider(ctx, p); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, p.ID)
	return nil
}

func providerList(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("provider list", "", "Liste l'annuaire des services. / Lists the service directory.")
	var d dbFlags
	d.register(fs)
	service := fs.String("service", "", "service: "+strings.Join(domain.ProviderService.Values, ", "))
	province := fs.String("province", "", "province (CD-KN… ou nom / or name)")
	db, err := d.parseAndOpen(ctx, env, fs, args, 0)
	if err != nil {
		return err
	}
	defer db.Close()
	f := domain.ProviderFilter{Service: *service, Province: *province, Limit: domain.MaxPageSize}
	if n, ok := domain.ProviderService.Normalize(f.Service); ok {
		f.Service = n
	}
	if n, ok := domain.Province.Normalize(f.Province); ok {
		f.Province = n
	}
	list, total, err := db.Providers(ctx, f)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNOM / NAME\tSERVICES\tPROVINCES\tLITS LIBRES / FREE BEDS")
	for _, p := range list {
		beds := ""
		if p.BedsFree != nil {
			beds = fmt.Sprint(*p.BedsFree)
			if p.BedsTotal != nil {
				beds += fmt.Sprintf("/%d", *p.BedsTotal)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.ID, oneLine(p.Name), strings.Join(p.Services, ","), strings.Join(p.Provinces, ","), beds)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if total > len(list) {
		fmt.Fprintf(env.Stderr, "%d sur / of %d\n", len(list), total)
	}
	return nil
}

// oneLine keeps a name on its table row: a name is checked for control
// characters, but a tab or a line break would still break the columns.
func oneLine(s string) string { return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s) }

func providerBeds(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("provider beds", "ID", "Met à jour les lits libres (et au total) d'un prestataire, à la date du jour. / Updates a provider's free (and total) beds, as of today.")
	var d dbFlags
	d.register(fs)
	free := fs.Int("free", -1, "lits libres / free beds")
	total := fs.Int("total", -1, "lits au total / beds in total")
	db, err := d.parseAndOpen(ctx, env, fs, args, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	if *free < 0 && *total < 0 {
		return usageError{"--free ou / or --total"}
	}
	p, err := db.Provider(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	if *free >= 0 {
		p.BedsFree = optInt(*free)
	}
	if *total >= 0 {
		p.BedsTotal = optInt(*total)
	}
	p.CapacityDate = db.Now.Today()
	if err := db.UpdateProvider(ctx, p); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: version %d\n", p.ID, p.Version)
	return nil
}

func awarenessSummary(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("awareness summary", "", "Totaux des personnes touchées par province et type d'activité, en JSON. / People reached per province and type of activity, as JSON.")
	var d dbFlags
	d.register(fs)
	from := fs.String("from", "", "du / from YYYY-MM-DD")
	to := fs.String("to", "", "au / to YYYY-MM-DD (inclus / inclusive)")
	province := fs.String("province", "", "province")
	typ := fs.String("type", "", "type: "+strings.Join(domain.AwarenessType.Values, ", "))
	agency := fs.String("agency", "", "agence organisatrice / organiser agency code")
	db, err := d.parseAndOpen(ctx, env, fs, args, 0)
	if err != nil {
		return err
	}
	defer db.Close()
	f := domain.AwarenessFilter{Province: *province, Type: *typ, Agency: *agency}
	if n, ok := domain.Province.Normalize(f.Province); ok {
		f.Province = n
	}
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
	s, err := db.AwarenessSummary(ctx, f)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}
