// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"fmt"
	"time"

	"vigie/internal/domain"
)

func runKeys(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "keys", args, []command{
		{"rotate", "changer la clé maîtresse / rotate the master key", keysRotate},
	})
}

// keysRotate adds a new master key, re-wraps every record's data key
// under it, and drops the old key. It may run while a server runs: the
// server reloads the key file before wrapping new keys.
func keysRotate(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("keys rotate", "", "Crée une nouvelle clé maîtresse, ré-enveloppe sous elle la clé de chaque dossier (sans déchiffrer les données) puis supprime l'ancienne. Possible pendant que le serveur tourne. Sauvegardez ensuite le fichier de clé. / Creates a new master key, re-wraps every record's data key under it (without decrypting data), then drops the old one. Safe while the server runs. Back up the key file afterwards.")
	var d dbFlags
	d.register(fs)
	keepOld := fs.Bool("keep-old", false, "garder l'ancienne clé dans le fichier / keep the old key in the file")
	settle := fs.Duration("settle", 2*time.Second, "attente pour que les serveurs lisent la nouvelle clé / wait for running servers to load the new key")
	db, err := d.parseAndOpen(ctx, env, fs, args, 0)
	if err != nil {
		return err
	}
	defer db.Close()
	old := d.keys.ActiveKeyID()
	id, err := d.keys.Rotate()
	if err != nil {
		return domain.Wrap(domain.KindInternal, err, "rotating the master key")
	}
	fmt.Fprintf(env.Stderr, "nouvelle clé / new key %s (ancienne / old %s) écrite dans / written to %s\n", id, old, d.keys.Path())
	// Servers reload the key file at most once a second before wrapping:
	// after this pause no new record is wrapped under the old key.
	select {
	case <-time.After(*settle):
	case <-ctx.Done():
		return ctx.Err()
	}
	total := 0
	for pass := 0; pass < 3; pass++ {
		n, err := db.RewrapKeys(ctx, func(done int) {
			if done > 0 && done%10000 == 0 {
				fmt.Fprintf(env.Stderr, "ré-enveloppées / re-wrapped: %d\n", done)
			}
		})
		total += n
		if err != nil {
			return err
		}
		left, err := db.KeysUnder(ctx)
		if err != nil {
			return err
		}
		if left == 0 {
			break
		}
	}
	left, err := db.KeysUnder(ctx)
	if err != nil {
		return err
	}
	dropped := []string{}
	if left == 0 && !*keepOld {
		if dropped, err = d.keys.DropRetired(); err != nil {
			return domain.Wrap(domain.KindInternal, err, "dropping the old key")
		}
	}
	e := domain.NewAuditEntry(ctx, domain.AuditKeysRotate)
	e.Resource, e.Detail = "keys", map[string]any{"new": id, "old": old, "rewrapped": total, "dropped": dropped}
	if err := db.Audit(ctx, e); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "clé tournée / key rotated: %d clés ré-enveloppées / data keys re-wrapped, nouvelle clé / new key %s\n", total, id)
	if left > 0 {
		return domain.Errorf(domain.KindConflict, "%d clés restent sous l'ancienne clé, gardée dans le fichier : relancez la commande / %d data keys remain under the old key, which is kept: run the command again", left, left)
	}
	fmt.Fprintf(env.Stdout, "Sauvegardez maintenant %s, séparément de la base. / Back up %s now, apart from the database.\n", d.keys.Path(), d.keys.Path())
	return nil
}
