// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"

	"vigie/internal/domain"
	"vigie/internal/seal"
)

// rewrapBatch is how many data keys one transaction re-wraps: small
// enough that a running server's writes wait at most a few milliseconds.
const rewrapBatch = 500

// sealedTables are the tables whose records carry a wrapped data key
// (columns id, dek, key_id): one list, so that re-wrapping and counting
// what is left can never disagree about where keys are.
var sealedTables = []string{"cases", "situations", "drafts", "training_people", "suspects", "proceedings"}

// RewrapKeys re-wraps every record's data key under the active master key
// and returns how many it changed. Records keep their data keys, so no
// personal data is decrypted or rewritten. It runs beside a live server:
// each batch is a short transaction, and a key changed meanwhile is
// caught by the compare-and-set and the next pass.
func (db *DB) RewrapKeys(ctx context.Context, progress func(done int)) (int, error) {
	k, err := db.keyring()
	if err != nil {
		return 0, err
	}
	active := k.ActiveKeyID()
	total := 0
	for _, table := range sealedTables {
		for {
			n, err := db.rewrapTable(ctx, k, table, active)
			if err != nil {
				return total, err
			}
			total += n
			if progress != nil {
				progress(total)
			}
			if n == 0 {
				break
			}
		}
	}
	n, err := db.rewrapUsers(ctx, k)
	return total + n, err
}

func (db *DB) rewrapTable(ctx context.Context, k Keys, table, active string) (int, error) {
	changed := 0
	err := db.write(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT id, dek FROM `+table+` WHERE dek IS NOT NULL AND (key_id IS NULL OR key_id <> ?) LIMIT ?`, active, rewrapBatch)
		if err != nil {
			return classify(err, "reading data keys")
		}
		type rec struct {
			id  string
			dek []byte
		}
		var list []rec
		for rows.Next() {
			var r rec
			if err := rows.Scan(&r.id, &r.dek); err != nil {
				rows.Close()
				return classify(err, "reading data keys")
			}
			list = append(list, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return classify(err, "reading data keys")
		}
		for _, r := range list {
			out, _, err := k.Rewrap(r.dek)
			if err != nil {
				return domain.Wrap(domain.KindInternal, err, "re-wrapping the key of %s %s", table, r.id)
			}
			id, err := seal.WrappedKeyID(out)
			if err != nil {
				return domain.Wrap(domain.KindInternal, err, "re-wrapping")
			}
			if _, err := t.exec(ctx, `UPDATE `+table+` SET dek = ?, key_id = ? WHERE id = ? AND dek = ?`, out, id, r.id, r.dek); err != nil {
				return classify(err, "storing a re-wrapped key")
			}
			changed++
		}
		return nil
	})
	return changed, err
}

// rewrapUsers re-wraps the keys of the users' sealed TOTP secrets.
func (db *DB) rewrapUsers(ctx context.Context, k Keys) (int, error) {
	changed := 0
	err := db.write(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT id, totp_secret, totp_pending FROM users WHERE totp_secret IS NOT NULL OR totp_pending IS NOT NULL`)
		if err != nil {
			return classify(err, "reading users")
		}
		type rec struct {
			id         string
			sec, pend  []byte
			nsec, npen []byte
		}
		var list []*rec
		for rows.Next() {
			r := &rec{}
			if err := rows.Scan(&r.id, &r.sec, &r.pend); err != nil {
				rows.Close()
				return classify(err, "reading users")
			}
			list = append(list, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return classify(err, "reading users")
		}
		rewrap := func(b []byte) ([]byte, bool, error) {
			if len(b) == 0 {
				return b, false, nil
			}
			w, rest, ok := splitSmall(b)
			if !ok {
				return nil, false, domain.Errorf(domain.KindInternal, "a sealed secret is malformed")
			}
			out, ch, err := k.Rewrap(w)
			if err != nil || !ch {
				return b, false, err
			}
			return joinSmall(out, rest), true, nil
		}
		for _, r := range list {
			var c1, c2 bool
			var err error
			if r.nsec, c1, err = rewrap(r.sec); err != nil {
				return err
			}
			if r.npen, c2, err = rewrap(r.pend); err != nil {
				return err
			}
			if !c1 && !c2 {
				continue
			}
			if _, err := t.exec(ctx, `UPDATE users SET totp_secret = ?, totp_pending = ? WHERE id = ?`, nullBytes(r.nsec), nullBytes(r.npen), r.id); err != nil {
				return classify(err, "storing re-wrapped secrets")
			}
			changed++
		}
		return nil
	})
	return changed, err
}

func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// KeysUnder counts the records whose data key is not under the active
// master key: zero means the retired keys can be dropped.
func (db *DB) KeysUnder(ctx context.Context) (int, error) {
	k, err := db.keyring()
	if err != nil {
		return 0, err
	}
	total := 0
	err = db.read(ctx, func(t *tx) error {
		for _, table := range sealedTables {
			var n int
			if err := t.queryRow(ctx, `SELECT count(*) FROM `+table+` WHERE dek IS NOT NULL AND (key_id IS NULL OR key_id <> ?)`, k.ActiveKeyID()).Scan(&n); err != nil {
				return classify(err, "counting keys")
			}
			total += n
		}
		return nil
	})
	return total, err
}
