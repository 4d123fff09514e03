// SPDX-License-Identifier: AGPL-3.0-or-later

package seal

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

const (
	keyFileFormat = "vigie-keyring/1"
	maxKeyIDLen   = 40 // the wrapped-DEK header stores the id length in one byte; 40 keeps headers short
	// maxKeyFileSize stops a wrong path (a disk image, a log) from being read
	// whole into memory; a real key file holds about 150 bytes per key.
	maxKeyFileSize = 1 << 20
	stateActive    = "active"
	stateRetired   = "retired"
)

// keyFileJSON is the on-disk form of a keyring. Keys are base64 strings so
// that the file can be inspected and backed up with ordinary text tools.
type keyFileJSON struct {
	Format   string         `json:"format"`
	Active   string         `json:"active"`
	Keys     []keyEntryJSON `json:"keys"`
	IndexKey string         `json:"index_key"`
	AuditKey string         `json:"audit_key"`
}

type keyEntryJSON struct {
	ID      string `json:"id"`
	Key     string `json:"key"`
	Created string `json:"created"`
	State   string `json:"state"`
}

// masterKey is one key-encryption key.
type masterKey struct {
	id      string
	key     []byte
	created time.Time
}

// state is one immutable snapshot of a keyring. Every change builds a new
// state and swaps the pointer, so a goroutine holding a snapshot never sees
// a half-applied reload or rotation.
type state struct {
	keys     []masterKey // file order, oldest first
	active   string
	indexKey []byte
	auditKey []byte
}

// find returns the master key with that id, or nil. A keyring holds a
// handful of keys, so a linear scan beats a map.
func (s *state) find(id string) *masterKey {
	for i := range s.keys {
		if s.keys[i].id == id {
			return &s.keys[i]
		}
	}
	return nil
}

func (s *state) activeKey() *masterKey { return s.find(s.active) }

// validKeyID reports whether id can be a master key id: it is written into
// every wrapped DEK and printed in error messages, so it must be short and
// printable ASCII without spaces.
func validKeyID(id string) bool {
	if len(id) == 0 || len(id) > maxKeyIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x21 || id[i] > 0x7e {
			return false
		}
	}
	return true
}

// parseKeyFile validates a key file's bytes and returns its state. Its
// errors describe what is wrong in terms of the format and never quote the
// file, which holds the keys; the caller adds the path.
func parseKeyFile(data []byte) (*state, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("it is empty")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	// A misspelt field would otherwise be dropped silently, and the keyring
	// rewritten without it at the next rotation.
	dec.DisallowUnknownFields()
	var f keyFileJSON
	if err := dec.Decode(&f); err != nil {
		return nil, describeJSONError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("it has more data after the JSON object")
	}
	if f.Format != keyFileFormat {
		return nil, describeFormat(f.Format)
	}
	if len(f.Keys) == 0 {
		return nil, errors.New("it holds no master keys")
	}
	s := &state{}
	var actives []string
	for i, e := range f.Keys {
		if !validKeyID(e.ID) {
			return nil, fmt.Errorf("master key #%d has an invalid id (want 1 to %d printable ASCII characters, no spaces)", i+1, maxKeyIDLen)
		}
		if s.find(e.ID) != nil {
			return nil, fmt.Errorf("master key id %q appears twice", e.ID)
		}
		key, err := decodeKey(fmt.Sprintf("master key %q", e.ID), e.Key)
		if err != nil {
			return nil, err
		}
		// time.Parse's error quotes the value; the message below does not
		// need it to be acted upon.
		created, err := time.Parse(time.RFC3339, e.Created)
		if err != nil {
			return nil, fmt.Errorf("master key %q has an invalid created time (want RFC 3339, e.g. 2026-11-27T12:00:00Z)", e.ID)
		}
		switch e.State {
		case stateActive:
			actives = append(actives, e.ID)
		case stateRetired:
		default:
			return nil, fmt.Errorf("master key %q has a state that is neither %q nor %q", e.ID, stateActive, stateRetired)
		}
		s.keys = append(s.keys, masterKey{id: e.ID, key: key, created: created})
	}
	if len(actives) != 1 {
		return nil, fmt.Errorf("it has %d master keys in state %q; exactly one must be", len(actives), stateActive)
	}
	if f.Active != actives[0] {
		return nil, fmt.Errorf("its \"active\" field does not name the master key in state %q (%q)", stateActive, actives[0])
	}
	s.active = actives[0]
	var err error
	if s.indexKey, err = decodeKey("index_key", f.IndexKey); err != nil {
		return nil, err
	}
	if s.auditKey, err = decodeKey("audit_key", f.AuditKey); err != nil {
		return nil, err
	}
	return s, nil
}

// decodeKey decodes one base64 key. Its errors name the key but never
// include its text, which may be the key itself with a typo.
func decodeKey(name, b64 string) ([]byte, error) {
	if b64 == "" {
		return nil, fmt.Errorf("%s is missing", name)
	}
	key, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("%s is not valid base64", name)
	}
	if len(key) != keySize {
		return nil, fmt.Errorf("%s is %d bytes; it must be %d", name, len(key), keySize)
	}
	return key, nil
}

// describeJSONError turns a decoding error into a message that never quotes
// the file: encoding/json's syntax errors quote the offending character,
// which may be part of a key.
func describeJSONError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("it is not valid JSON (syntax error at byte %d)", syn.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("it is not valid JSON (it ends too early; was it truncated?)")
	case errors.As(err, &typ) && typ.Field != "":
		// Field is a path through our own schema, not text from the file.
		return fmt.Errorf("its field %q has the wrong JSON type", typ.Field)
	default:
		return errors.New("it is not a vigie key file (expected a JSON object with the fields format, active, keys, index_key and audit_key, and id, key, created and state in each key)")
	}
}

// describeFormat explains an unexpected format field. A newer vigie's format
// name is worth printing; anything else is not, since it could be any text.
func describeFormat(format string) error {
	if strings.HasPrefix(format, "vigie-keyring/") && validKeyID(format) {
		return fmt.Errorf("it has format %q; this version of vigie reads only %q", format, keyFileFormat)
	}
	return fmt.Errorf("it is not a vigie key file (its format field is not %q)", keyFileFormat)
}

// marshalKeyFile is the inverse of parseKeyFile.
func marshalKeyFile(s *state) ([]byte, error) {
	f := keyFileJSON{
		Format:   keyFileFormat,
		Active:   s.active,
		IndexKey: base64.StdEncoding.EncodeToString(s.indexKey),
		AuditKey: base64.StdEncoding.EncodeToString(s.auditKey),
	}
	for _, k := range s.keys {
		st := stateRetired
		if k.id == s.active {
			st = stateActive
		}
		f.Keys = append(f.Keys, keyEntryJSON{
			ID:      k.id,
			Key:     base64.StdEncoding.EncodeToString(k.key),
			Created: k.created.UTC().Format(time.RFC3339),
			State:   st,
		})
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("cannot encode the key file: %w", err)
	}
	return append(data, '\n'), nil
}
