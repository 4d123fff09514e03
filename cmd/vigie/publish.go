// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"vigie/internal/domain"
	"vigie/internal/publish"
	"vigie/internal/sqlstore"
)

func runPublish(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "publish", args, []command{
		{"draft", "préparer une publication / draft a release: vigie publish draft --as EMAIL --kind records|tables --from AAAA --to AAAA", publishDraft},
		{"review", "relire (une autre personne que l'auteur) / review (not the author): vigie publish review ID --as EMAIL --version N", publishStep(domain.StepReview)},
		{"approve", "approuver / approve: vigie publish approve ID --as EMAIL --version N", publishStep(domain.StepApprove)},
		{"publish", "publier / publish: vigie publish publish ID --as EMAIL --version N", publishStep(domain.StepPublish)},
		{"reject", "rejeter / reject: vigie publish reject ID --as EMAIL --version N --reason TEXTE", publishStep(domain.StepReject)},
		{"list", "lister les publications / list releases: vigie publish list --as EMAIL [--status S]", publishList},
		{"show", "afficher une publication et son manifeste / show a release and its manifest: vigie publish show ID --as EMAIL", publishShow},
		{"download", "télécharger le fichier / download the file: vigie publish download ID --as EMAIL [-o FICHIER]", publishDownload},
		{"budget", "budget ε par année / ε budget per year: vigie publish budget --as EMAIL --from AAAA --to AAAA [--set E]", publishBudget},
	})
}

// publishActor opens the database and acts as the named user: a release's
// workflow needs to know who drafts and who reviews. The user must hold
// a role allowed to do act on res.
func publishActor(ctx context.Context, env *Env, fs *flagSet, d *dbFlags, as *string, args []string, nargs int, res domain.Resource, act domain.Action) (context.Context, *sqlstore.DB, error) {
	db, err := d.parseAndOpen(ctx, env, fs, args, nargs)
	if err != nil {
		return nil, nil, err
	}
	if *as == "" {
		db.Close()
		return nil, nil, usageError{"--as EMAIL est obligatoire / is required"}
	}
	u, err := db.User(ctx, domain.NormalizeEmail(*as))
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	p := &domain.Principal{UserID: u.ID, Email: u.Email, Agency: u.Agency, Roles: u.Roles, Via: "cli"}
	if u.Disabled || p.Allowed(res, act) == domain.ScopeNone {
		db.Close()
		return nil, nil, domain.Errorf(domain.KindForbidden, "%s ne peut pas / may not %s %s", u.Email, act, res)
	}
	return domain.WithActor(ctx, p), db, nil
}

func publishDraft(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("publish draft", "",
		"Prépare une publication à partir des dossiers de la période : enregistrements k-anonymes (records) ou tableaux agrégés (tables). Le fichier est fait maintenant et ne change plus. / Drafts a release from the period's cases; its file is made now and never changes.")
	var d dbFlags
	d.register(fs)
	as := fs.String("as", "", "e-mail du coordinateur qui agit / e-mail of the acting coordinator")
	kind := fs.String("kind", "tables", "records (CTDC, k-anonyme / k-anonymous) ou / or tables")
	title := fs.String("title", "", "titre / title")
	from := fs.Int("from", 0, "première année d'enregistrement / first year of registration")
	to := fs.Int("to", 0, "dernière année (défaut: --from) / last year (default --from)")
	k := fs.Int("k", 0, "records: k (défaut / default 11)")
	method := fs.String("method", "", "records: hybrid (défaut / default), mondrian, mondrian-strict ou / or suppress")
	qi := fs.String("qi", "", "records: quasi-identifiants séparés par des virgules (défaut: gender,ageBroad,citizenship,CountryOfExploitation,yearOfRegistration) / comma-separated quasi-identifiers")
	threshold := fs.Int("threshold", 0, "tables: seuil des petites cellules (défaut 11) / small-cell threshold (default 11)")
	protection := fs.Int("protection", 0, "tables: de combien chaque nombre masqué doit pouvoir varier (défaut 1) / how far every hidden count must be able to move (default 1)")
	eps := fs.Float64("epsilon", 0, "tables: ε de confidentialité différentielle (0: suppression de cellules) / differential privacy ε (0: cell suppression)")
	config := fs.String("config", "", "tables: fichier JSON des tableaux / JSON file of the tables (disclosure.Config)")
	ctx, db, err := publishActor(ctx, env, fs, &d, as, args, 0, domain.ResRelease, domain.ActCreate)
	if err != nil {
		return err
	}
	defer db.Close()
	// A flag given as 0 is a mistake, not "the default": --k 0 would
	// otherwise draft at k = 11 and --epsilon 0 without noise.
	var pr domain.Problems
	fs.Visit(func(f *flag.Flag) {
		switch {
		case f.Name == "k" && *k == 0:
			pr.Add("k", "validation.range", "--k 0: k is between 2 and 1000 (leave --k out for 11)")
		case f.Name == "epsilon" && !(*eps > 0):
			pr.Add("epsilon", "validation.range", "--epsilon %g: ε is a number above 0 (leave --epsilon out for cell suppression)", *eps)
		case f.Name == "threshold" && *threshold == 0:
			pr.Add("threshold", "validation.range", "--threshold 0: the threshold is between 2 and 1000 (leave it out for 11)")
		case f.Name == "protection" && *protection == 0:
			pr.Add("protection", "validation.range", "--protection 0: between 1 and the threshold (leave it out for 1)")
		case f.Name == "qi" && strings.TrimSpace(*qi) == "":
			pr.Add("quasi_identifiers", "validation.required", "--qi is empty: name the quasi-identifiers, or leave --qi out for the default ones")
		}
	})
	if err := pr.Err(); err != nil {
		return err
	}
	if *to == 0 {
		*to = *from
	}
	if *title == "" {
		*title = fmt.Sprintf("%s %d–%d", *kind, *from, *to)
	}
	opt := publish.Options{Kind: domain.ReleaseKind(*kind), Title: *title, From: *from, To: *to, K: *k, Method: *method}
	if *qi != "" {
		opt.QIs = strings.Split(*qi, ",")
	}
	if opt.Kind == domain.ReleaseTables {
		if opt.Tables, err = tablesConfig(*config, *threshold, *protection, *eps); err != nil {
			return err
		}
	}
	if err := (&domain.NewRelease{Kind: opt.Kind, Title: opt.Title, From: opt.From, To: opt.To, FileName: "-", File: []byte{0}}).Validate(db.Now.Today()); err != nil {
		return err
	}
	nr, err := publish.Build(ctx, db, opt)
	if err != nil {
		return err
	}
	r, err := db.CreateRelease(ctx, nr)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, r.ID)
	return nil
}

// tablesConfig is the tables' config: a file, or the default tables with
// the threshold or ε given.
func tablesConfig(path string, threshold, protection int, eps float64) (json.RawMessage, error) {
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, domain.Wrap(domain.KindNotFound, err, "cannot read %s", path)
		}
		return b, nil
	}
	return publish.TablesConfig(threshold, protection, eps)
}

func publishStep(step domain.ReleaseStep) func(context.Context, *Env, []string) error {
	return func(ctx context.Context, env *Env, args []string) error {
		fs := newFlagSet("publish "+string(step), "ID", map[domain.ReleaseStep]string{
			domain.StepReview:  "Marque la publication comme relue ; l'auteur ne peut pas relire la sienne. / Marks the release reviewed; its author cannot.",
			domain.StepApprove: "Approuve une publication relue ; pas par son auteur. / Approves a reviewed release; not by its author.",
			domain.StepPublish: "Publie une publication approuvée : tous les rôles pourront la télécharger. / Publishes an approved release for every role.",
			domain.StepReject:  "Rejette une publication (le budget ε dépensé reste dépensé). / Rejects a release (ε spent stays spent).",
		}[step])
		var d dbFlags
		d.register(fs)
		as := fs.String("as", "", "e-mail du coordinateur qui agit / e-mail of the acting coordinator")
		version := fs.Int64("version", 0, "version vue (vigie publish show) / version seen")
		reason := fs.String("reason", "", "reject: motif / reason")
		ctx, db, err := publishActor(ctx, env, fs, &d, as, args, 1, domain.ResRelease, domain.ActUpdate)
		if err != nil {
			return err
		}
		defer db.Close()
		r, err := db.StepRelease(ctx, fs.Arg(0), *version, step, *reason)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s %s version %d\n", r.ID, r.State, r.Version)
		return nil
	}
}

func publishList(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("publish list", "", "Liste les publications, les plus récentes d'abord. / Lists releases, newest first.")
	var d dbFlags
	d.register(fs)
	as := fs.String("as", "", "e-mail de l'utilisateur / user's e-mail")
	status := fs.String("status", "", "draft, reviewed, approved, published, rejected")
	ctx, db, err := publishActor(ctx, env, fs, &d, as, args, 0, domain.ResReleasePublished, domain.ActList)
	if err != nil {
		return err
	}
	defer db.Close()
	f := domain.ReleaseFilter{Limit: 200}
	if p := domain.ActorFrom(ctx); p.Allowed(domain.ResRelease, domain.ActList) == domain.ScopeNone {
		pub := domain.ReleasePublished
		f.Status = &pub // other roles see published releases only
	} else if *status != "" {
		s := domain.ReleaseStatus(*status)
		f.Status = &s
	}
	list, total, err := db.Releases(ctx, f)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTYPE / KIND\tPÉRIODE / PERIOD\tSTATUT / STATUS\tε\tVERSION\tTITRE / TITLE")
	for _, r := range list {
		fmt.Fprintf(tw, "%s\t%s\t%d–%d\t%s\t%s\t%d\t%s\n", r.ID, r.Kind, r.From, r.To, r.State, milli(r.EpsilonMilli), r.Version, oneLine(r.Title))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if total > len(list) {
		fmt.Fprintf(env.Stderr, "%d sur / of %d\n", len(list), total)
	}
	return nil
}

func milli(m int64) string {
	if m == 0 {
		return "-"
	}
	return strconv.FormatFloat(float64(m)/1000, 'f', -1, 64)
}

// readableRelease reads a release the actor may see: any as a
// coordinator, a published one for the other roles (any other is "not
// found", as if it did not exist).
func readableRelease(ctx context.Context, db *sqlstore.DB, id string) (*domain.Release, error) {
	r, err := db.Release(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.State != domain.ReleasePublished && domain.ActorFrom(ctx).Allowed(domain.ResRelease, domain.ActRead) == domain.ScopeNone {
		return nil, domain.Errorf(domain.KindNotFound, "release %s does not exist", id)
	}
	return r, nil
}

func publishShow(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("publish show", "ID", "Affiche une publication, ses étapes et son manifeste (JSON). / Shows a release, its steps and manifest (JSON).")
	var d dbFlags
	d.register(fs)
	as := fs.String("as", "", "e-mail de l'utilisateur / user's e-mail")
	ctx, db, err := publishActor(ctx, env, fs, &d, as, args, 1, domain.ResReleasePublished, domain.ActRead)
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := readableRelease(ctx, db, fs.Arg(0))
	if err != nil {
		return err
	}
	if domain.ActorFrom(ctx).Allowed(domain.ResRelease, domain.ActRead) == domain.ScopeNone {
		r.Manifest = nil // measured on the true data: for those who prepare releases
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func publishDownload(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("publish download", "ID", "Écrit le fichier de la publication, tel qu'il a été approuvé. / Writes the release's file, exactly as approved.")
	var d dbFlags
	d.register(fs)
	as := fs.String("as", "", "e-mail de l'utilisateur / user's e-mail")
	out := fs.String("o", "", "fichier de sortie (défaut: son nom) / output file (default: its name)")
	ctx, db, err := publishActor(ctx, env, fs, &d, as, args, 1, domain.ResReleasePublished, domain.ActRead)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := readableRelease(ctx, db, fs.Arg(0)); err != nil {
		return err
	}
	r, data, err := db.ReleaseFile(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	path := *out
	if path == "" {
		// The stored name, as a name in the current directory: never a
		// path the database could steer elsewhere.
		path = filepath.Base(r.FileName)
		if path != r.FileName || path == "." || path == ".." || strings.HasPrefix(path, ".") {
			return domain.Errorf(domain.KindInvalid, "the release's file name %q is not a plain name: give -o FILE", r.FileName)
		}
	}
	if err := refuseOwnFile("-o", path, d.ownFiles()); err != nil {
		return err
	}
	if err := refuseFolder("-o", path); err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return outputError(err, path)
	}
	fmt.Fprintf(env.Stdout, "%s %d octets / bytes sha256 %s\n", path, len(data), r.FileSHA256)
	return nil
}

func publishBudget(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("publish budget", "", "Affiche (ou fixe, --set) le budget ε de chaque année d'enregistrement. / Shows (or sets, --set) the ε budget of each year of registration.")
	var d dbFlags
	d.register(fs)
	as := fs.String("as", "", "e-mail du coordinateur / coordinator's e-mail")
	from := fs.Int("from", 0, "première année / first year")
	to := fs.Int("to", 0, "dernière année / last year")
	set := fs.Float64("set", 0, "nouveau budget ε par année / new ε budget per year")
	ctx, db, err := publishActor(ctx, env, fs, &d, as, args, 0, domain.ResRelease, domain.ActRead)
	if err != nil {
		return err
	}
	defer db.Close()
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "set" })
	if given && !(*set > 0) {
		// --set 0, a negative or NaN budget is a mistake, not "show".
		var pr domain.Problems
		pr.Add("budget", "validation.range", "--set %g: the budget is an ε between 0.001 and 100", *set)
		return pr.Err()
	}
	if given {
		if domain.ActorFrom(ctx).Allowed(domain.ResRelease, domain.ActUpdate) == domain.ScopeNone {
			return domain.Errorf(domain.KindForbidden, "setting the budget needs a coordinator")
		}
		if err := db.SetEpsilonBudget(ctx, int64(*set*1000+0.5)); err != nil {
			return err
		}
	}
	if *from == 0 {
		*from = db.Now.Today().Year()
	}
	if *to < *from {
		*to = *from
	}
	if *to-*from > 200 {
		return usageError{"--from..--to: 200 ans au plus / 200 years at most"}
	}
	b, err := db.ReleaseBudgets(ctx, *from, *to)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ANNÉE / YEAR\tε DÉPENSÉ / SPENT\tBUDGET")
	for _, y := range b {
		fmt.Fprintf(tw, "%d\t%s\t%s\n", y.Year, strings.TrimPrefix(milli(y.SpentMilli), "-"), milli(y.MaxMilli))
	}
	return tw.Flush()
}
