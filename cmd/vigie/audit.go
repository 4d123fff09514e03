// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

func runAudit(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "audit", args, []command{
		{"verify", "vérifier la chaîne du journal / verify the log's hash chain", auditVerify},
	})
}

// auditProgressEvery is how often verify reports progress: a log of
// millions of entries takes minutes, and a silent command looks hung.
const auditProgressEvery = 100_000

// auditReasonsFR translates sqlstore's fixed reasons.
var auditReasonsFR = map[string]string{
	sqlstore.AuditReasonMissing:   "manquante (supprimée ?)",
	sqlstore.AuditReasonAltered:   "modifiée, ou des entrées ont été réordonnées",
	sqlstore.AuditReasonSequence:  "hors séquence (entrée forgée ?)",
	sqlstore.AuditReasonMalformed: "mal formée (une colonne est vide ou n'est pas telle que Vigie l'écrit)",
}

func auditVerify(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("audit verify", "",
		"Recalcule la chaîne de MAC du journal d'audit avec la clé du fichier de clé (--key-file, sinon DATA/vigie.key) "+
			"et signale la première entrée supprimée, modifiée ou déplacée (code de sortie 5). La suppression des dernières entrées "+
			"ne se voit qu'en comparant la tête affichée à une tête notée ailleurs.\n"+
			"Recomputes the audit log's MAC chain with the key from the key file (--key-file, else DATA/vigie.key) "+
			"and reports the first entry deleted, altered or moved (exit code 5). Removal of the newest entries only shows by "+
			"comparing the head printed here with a head recorded elsewhere.")
	var d dbFlags
	d.register(fs)
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if err := fs.want(env, 0); err != nil {
		return err
	}
	// open would create a missing key file; a fresh key would make every
	// entry of an existing log look altered. Verify creates nothing.
	if _, err := os.Stat(d.keyPath()); errors.Is(err, os.ErrNotExist) {
		return domain.Errorf(domain.KindNotFound, "pas de fichier de clé %s : la chaîne ne se vérifie qu'avec la clé qui l'a écrite / no key file %s: the chain can only be verified with the key that wrote it (--key-file)", d.keyPath(), d.keyPath())
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	var shown int64
	checked, problem, err := db.VerifyAudit(ctx, func(done int64) {
		if done/auditProgressEvery > shown {
			shown = done / auditProgressEvery
			fmt.Fprintf(env.Stderr, "vérifié / checked %d\n", done)
		}
	})
	if err != nil {
		return err
	}
	if problem != nil {
		fr, ok := auditReasonsFR[problem.Reason]
		if !ok {
			fr = problem.Reason
		}
		fmt.Fprintf(env.Stdout, "audit: entrée %d : %s / entry %d: %s\n", problem.Seq, fr, problem.Seq, problem.Reason)
		return domain.Errorf(domain.KindConflict, "journal d'audit rompu après %d entrées vérifiées / audit log broken after %d verified entries", checked, checked)
	}
	fmt.Fprintf(env.Stdout, "audit: %d entrées vérifiées, chaîne intacte / %d entries verified, chain intact\n", checked, checked)
	// The chain cannot show that its newest entries were removed; the
	// head, noted outside the database, can.
	seq, mac, err := db.AuditHead(ctx)
	if err != nil {
		return err
	}
	if seq > 0 {
		fmt.Fprintf(env.Stdout, "audit: tête / head %d %x (à noter hors de la base / record it outside the database)\n", seq, mac)
	}
	return nil
}
