// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"encoding/json"

	"vigie/internal/domain"
	"vigie/internal/names"
	"vigie/internal/seal"
)

// recordKey is a record's data key: every sealed column of a case (person,
// victim, fields) and of its parts is encrypted with it, and it is stored
// wrapped by the master key beside the record.
type recordKey struct {
	dek, wrapped []byte
	keyID        string
}

// newRecordKey draws a fresh data key for a new case or situation.
func (db *DB) newRecordKey() (recordKey, error) {
	k, err := db.keyring()
	if err != nil {
		return recordKey{}, err
	}
	// Pick up a rotation made by another process before wrapping.
	if err := k.Refresh(); err != nil {
		return recordKey{}, domain.Wrap(domain.KindInternal, err, "reloading the key file")
	}
	dek, wrapped, err := k.NewDataKey()
	if err != nil {
		return recordKey{}, domain.Wrap(domain.KindInternal, err, "drawing a data key")
	}
	id, err := seal.WrappedKeyID(wrapped)
	if err != nil {
		return recordKey{}, domain.Wrap(domain.KindInternal, err, "reading a wrapped key")
	}
	return recordKey{dek: dek, wrapped: wrapped, keyID: id}, nil
}

// unwrap returns the data key of a stored record.
func (db *DB) unwrap(wrapped []byte, what string) ([]byte, error) {
	k, err := db.keyring()
	if err != nil {
		return nil, err
	}
	if len(wrapped) == 0 {
		return nil, domain.Errorf(domain.KindInternal, "%s has no data key", what)
	}
	dek, err := k.UnwrapDataKey(wrapped)
	if err != nil {
		// The message says which key file is needed, never a key.
		return nil, domain.Wrap(domain.KindInternal, err, "cannot unwrap the data key of %s", what)
	}
	return dek, nil
}

// sealJSON encodes v as JSON and encrypts it with dek, bound to aad (the
// record and column), so that a value copied to another row cannot be
// opened there.
func sealJSON(dek []byte, v any, aad string) ([]byte, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "encoding %s", aad)
	}
	return sealBytes(dek, plain, aad)
}

// benchPlaintext turns sealing off, only from the package's benchmarks
// (export_test.go), to measure what encryption costs. Production code
// never sets it.
var benchPlaintext bool

func sealBytes(dek, plain []byte, aad string) ([]byte, error) {
	if benchPlaintext {
		return plain, nil
	}
	out, err := seal.Seal(dek, plain, []byte(aad))
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "sealing %s", aad)
	}
	return out, nil
}

// openJSON decrypts and decodes what sealJSON produced.
func openJSON(dek, sealed []byte, aad string, v any) error {
	plain, err := openBytes(dek, sealed, aad)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return domain.Wrap(domain.KindInternal, err, "decoding %s", aad)
	}
	return nil
}

func openBytes(dek, sealed []byte, aad string) ([]byte, error) {
	if benchPlaintext {
		return sealed, nil
	}
	plain, err := seal.Open(dek, sealed, []byte(aad))
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "opening %s (altered, or moved from another record?)", aad)
	}
	return plain, nil
}

// aad names the place of a sealed value.
func caseAAD(caseID, column string) string { return "case/" + caseID + "/" + column }
func partAAD(kind domain.PartKind, id string) string {
	return "part/" + string(kind) + "/" + id
}

// nameTag is the blind index's domain separation tag for victims' names.
const nameTag = "person-name"

// fullName is what the blind index and duplicate checks see of a person.
func fullName(p *domain.Person) string {
	return p.FirstName + " " + p.MiddleName + " " + p.SecondName
}

// nameKeys returns the blind-index keys of a person's name: keyed hashes
// of its exact and phonetic tokens and of pairs of its tokens, never the
// tokens themselves.
func (db *DB) nameKeys(p *domain.Person) ([][]byte, error) {
	n := fullName(p)
	return db.blindKeys(append(names.Keys(n), names.PairKeys(n)...))
}

// blindKeys hashes search keys with the blind-index key.
func (db *DB) blindKeys(ks []string) ([][]byte, error) {
	if len(ks) == 0 {
		return nil, nil
	}
	k, err := db.keyring()
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(ks))
	for i, s := range ks {
		out[i] = k.BlindIndex(nameTag, s)
	}
	return out, nil
}
