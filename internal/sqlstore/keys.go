// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"

	"vigie/internal/domain"
)

// Keys is what the store needs from the keyring (package seal): per-record
// data keys wrapped by a master key, the blind-index key and the audit
// chain key. An interface so that storage does not depend on how keys are
// kept.
type Keys interface {
	ActiveKeyID() string
	NewDataKey() (dek, wrapped []byte, err error)
	UnwrapDataKey(wrapped []byte) ([]byte, error)
	Rewrap(wrapped []byte) (out []byte, changed bool, err error)
	Refresh() error
	BlindIndex(tag, token string) []byte
	AuditMAC(prev, entry []byte) []byte
}

// SetKeys gives the store its keyring. Without one, every write or read of
// personal data fails: the store never falls back to clear text.
func (db *DB) SetKeys(k Keys) { db.keys = k }

// keyring returns the keys or the error that explains their absence.
func (db *DB) keyring() (Keys, error) {
	if db.keys == nil {
		return nil, domain.Errorf(domain.KindInternal, "no keyring: the store was opened without the master key file")
	}
	return db.keys, nil
}

// HasSealedData reports whether any record is sealed or any audit entry
// chained with the key file, so that a missing key file is not silently
// replaced by a new one.
func (db *DB) HasSealedData(ctx context.Context) (bool, error) {
	var n int
	err := db.read(ctx, func(t *tx) error {
		return classify(t.queryRow(ctx, `SELECT (SELECT count(*) FROM (SELECT 1 FROM cases LIMIT 1) a) + (SELECT count(*) FROM (SELECT 1 FROM users LIMIT 1) b) + (SELECT count(*) FROM (SELECT 1 FROM situations LIMIT 1) c) + (SELECT count(*) FROM (SELECT 1 FROM audit_log LIMIT 1) d)`).Scan(&n), "checking for sealed data")
	})
	return n > 0, err
}
