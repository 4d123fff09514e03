// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"vigie/internal/anonymize"
	"vigie/internal/domain"
)

func runAnonymize(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "anonymize", args, []command{
		{"ctdc", "rendre un fichier CTDC k-anonyme / make a CTDC file k-anonymous", anonymizeCTDC},
	})
}

// anonymizeCTDC is `vigie anonymize ctdc IN OUT`: a file in the CTDC Global
// Dataset format made k-anonymous, for trying settings on a file; the
// publication workflow is `vigie publish`. The manifest (JSON) goes to
// stdout.
func anonymizeCTDC(_ context.Context, env *Env, args []string) error {
	fs := newFlagSet("anonymize ctdc", "ENTRÉE.csv SORTIE.csv",
		"Rend k-anonyme un fichier au format CTDC Global Dataset : les quasi-identifiants sont généralisés (Mondrian) ou supprimés localement ; "+
			"seules les colonnes CTDC sortent (jamais de nom ni de texte libre). Le manifeste (risque et utilité) est écrit en JSON sur la sortie standard. / "+
			"Makes a CTDC Global Dataset file k-anonymous: quasi-identifiers are generalised (Mondrian) or locally suppressed; only CTDC columns "+
			"are written (never a name or free text). The manifest (risk and utility) is printed as JSON.")
	def := anonymize.DefaultConfig()
	k := fs.Int("k", def.K, "taille minimale des classes / smallest class size")
	qi := fs.String("qi", strings.Join(def.QINames(), ","), "quasi-identifiants, séparés par des virgules / quasi-identifiers, comma-separated")
	method := fs.String("method", string(def.Method), "hybrid, mondrian, mondrian-strict ou suppress / hybrid, mondrian, mondrian-strict or suppress")
	header := fs.String("header", "ctdc", "en-tête : ctdc ou htcds / header: ctdc or htcds")
	manifest := fs.String("manifest", "", "écrire aussi le manifeste dans ce fichier / also write the manifest to this file")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if err := fs.want(env, 2); err != nil {
		return err
	}
	mode := anonymize.HeaderCTDC
	switch *header {
	case "ctdc":
	case "htcds":
		mode = anonymize.HeaderHTCDS
	default:
		return usageError{fmt.Sprintf("--header %q : ctdc ou htcds / ctdc or htcds", *header)}
	}
	cfg := anonymize.Config{K: *k, Method: anonymize.Method(*method)}
	for _, c := range strings.Split(*qi, ",") {
		if c = strings.TrimSpace(c); c != "" {
			name, _ := anonymize.AllowedColumn(c)
			cfg.QIs = append(cfg.QIs, anonymize.QI{Column: c, Hierarchy: anonymize.HierarchyFor(name)})
		}
	}
	in, out := fs.Arg(0), fs.Arg(1)
	// No database is opened here: the files of the one VIGIE_DATA (or
	// ./vigie-data) names are protected all the same.
	own := ownFiles(envOr("VIGIE_DATA", "./vigie-data"), os.Getenv("VIGIE_DB"), os.Getenv("VIGIE_MASTER_KEY_FILE"))
	for _, o := range [][2]string{{"OUT", out}, {"--manifest", *manifest}} {
		if err := refuseOwnFile(o[0], o[1], own); err != nil {
			return err
		}
	}
	start := time.Now()
	f, err := openInput(in)
	if err != nil {
		return err
	}
	defer f.Close()
	t, err := anonymize.ReadCSV(f)
	if err != nil {
		return domain.Wrap(domain.KindInvalid, err, "%s: %v", in, err)
	}
	read := time.Since(start)
	res, err := anonymize.Run(t, cfg)
	if err != nil {
		return domain.Wrap(domain.KindInvalid, err, "%v", err)
	}
	run := time.Since(start) - read
	if err := writeRelease(out, res, mode); err != nil {
		return err
	}
	written := time.Since(start)
	man, err := res.Manifest(anonymize.EvalOptions{})
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if *manifest != "" {
		if err := os.WriteFile(*manifest, b, 0o644); err != nil {
			return outputError(err, *manifest)
		}
	}
	env.Stdout.Write(b)
	fmt.Fprintf(env.Stderr, "%d lignes lues, %d publiées, %d supprimées / %d rows read, %d released, %d suppressed; lecture/read %.2f s, anonymisation %.2f s, écriture/write %.2f s, manifeste/manifest %.2f s\n",
		t.Len(), res.Released(), res.Suppressed, t.Len(), res.Released(), res.Suppressed,
		read.Seconds(), run.Seconds(), (written - read - run).Seconds(), (time.Since(start) - written).Seconds())
	return nil
}

// writeRelease gives the release its name only once complete
// (createOutput), so a failed run never leaves a truncated release under
// the requested name. The rows are sorted (anonymize.WriteCTDCSorted): in
// the input's order they would tell what that order follows.
func writeRelease(out string, res *anonymize.Result, mode anonymize.HeaderMode) error {
	o, err := createOutput(out, nil)
	if err != nil {
		return err
	}
	defer o.abort()
	if err := anonymize.WriteCTDCSorted(o, res, mode); err != nil {
		return o.fail(domain.Wrap(domain.KindUnavailable, err, "writing %s", out))
	}
	return o.commit()
}
