// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"fmt"
	"path/filepath"

	"vigie/internal/domain"
	"vigie/internal/training"
)

func runTraining(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "training", args, []command{
		{"import", "importer une liste de participants / import a participant list: vigie training import SESSION-ID FICHIER.csv|.xlsx", trainingImport},
	})
}

// trainingImport reads a participant list (CSV or XLSX, headers in French
// or English) into a session: every row or none. Each rejected row is
// printed with its number, column and reason.
func trainingImport(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("training import", "SESSION-ID FICHIER",
		"Importe une liste de participants (CSV UTF-8 ou XLSX ; en-têtes en français ou en anglais : prénom, nom, sexe, ministère, fonction, province, téléphone, e-mail, rôle, présent, pré-test, post-test, certifié, certifié formateur). Toutes les lignes ou aucune. / Imports a participant list into a session: all rows or none.")
	var d dbFlags
	d.register(fs)
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if err := fs.want(env, 2); err != nil {
		return err
	}
	path := fs.Arg(1)
	f, err := openInput(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, rejects, err := training.Parse(f, filepath.Base(path))
	if err != nil {
		return err
	}
	if len(rejects) == 0 {
		db, err := d.open(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		list := make([]*domain.NewTraineeAttendance, len(rows))
		for i, r := range rows {
			list[i] = r.NewTraineeAttendance
		}
		err = db.ImportAttendances(ctx, fs.Arg(0), list)
		if domain.KindOf(err) == domain.KindInvalid && len(domain.FieldErrors(err)) > 0 {
			rejects = training.StoreRejects(rows, domain.FieldErrors(err))
		} else if err != nil {
			return err
		}
	}
	for _, r := range rejects {
		fmt.Fprintf(env.Stderr, "ligne / row %d, colonne / column %s: %s (%s)\n", r.Row, r.Column, r.Reason, r.Code)
	}
	if len(rejects) > 0 {
		return domain.Errorf(domain.KindInvalid, "%d lignes rejetées, rien n'a été importé / %d rows rejected, nothing was imported", len(rejects), len(rejects))
	}
	fmt.Fprintf(env.Stdout, "importés / imported: %d\n", len(rows))
	return nil
}
