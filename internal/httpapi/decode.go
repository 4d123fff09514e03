// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"vigie/internal/domain"
	"vigie/internal/strictjson"
)

// MaxBodyBytes limits JSON request bodies. A case with all its parts is a
// few kilobytes; 1 MiB leaves room for long narratives.
const MaxBodyBytes = 1 << 20

// decodeJSON reads exactly one JSON value from the body into v, strictly
// (see strictjson).
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	_, err := decodeJSONRaw(w, r, v)
	return err
}

// decodeJSONRaw is decodeJSON that also returns the body, for the checks
// a Go value cannot make (whether a key was sent at all).
func decodeJSONRaw(w http.ResponseWriter, r *http.Request, v any) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, params, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, domain.Errorf(domain.KindMediaType, "the body must be JSON (Content-Type: application/json), not %q", truncate(ct, 80))
		}
		// JSON is UTF-8 (RFC 8259): a body declared in another charset
		// was read as UTF-8 all the same, its accents refused or changed.
		if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
			return nil, domain.Errorf(domain.KindMediaType, "le corps JSON doit être en UTF-8, pas %[1]q : envoyez-le en UTF-8 (charset=utf-8) / a JSON body must be UTF-8, not %[1]q: send it as UTF-8 (charset=utf-8)", truncate(cs, 40))
		}
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, domain.Errorf(domain.KindTooLarge, "the body is larger than %d bytes", mbe.Limit)
		}
		return nil, domain.Wrap(domain.KindInvalid, err, "the body could not be read")
	}
	raw = strictjson.TrimBOM(raw) // what reads raw after this reads the same document
	err = strictjson.Decode(raw, v)
	var te *strictjson.TypeErrors
	if errors.As(err, &te) {
		callerDefaults(r, v)
		return raw, strictjson.WithRules(te, recordRules(v))
	}
	return raw, err
}

// callerDefaults fills in what the handlers fill in from the caller before
// the record is checked: a case or situation without an agency is the
// caller's (it was reported "agency is required" beside a type mistake,
// though the same body without the mistake is accepted).
func callerDefaults(r *http.Request, v any) {
	p := principal(r)
	if p == nil {
		return
	}
	switch x := v.(type) {
	case *domain.Case:
		if x.Agency == "" {
			x.Agency = p.Agency
		}
	case *domain.Situation:
		if x.Agency == "" {
			x.Agency = p.Agency
		}
	}
}

// recordRules runs the record's own checks on a body decoded without its
// values of the wrong type, so that one answer lists every mistake (the
// store runs them again, for real, on a body that decoded whole).
func recordRules(v any) error {
	today := domain.DateOf(time.Now().UTC())
	if n, ok := v.(interface{ Normalize(domain.Date) }); ok {
		n.Normalize(today)
	}
	switch x := v.(type) {
	case interface{ Validate(domain.Date) error }:
		return x.Validate(today)
	case interface {
		Validate(domain.Date) domain.Problems
	}:
		return x.Validate(today).Err()
	case interface{ Validate() error }:
		return x.Validate()
	}
	return nil
}

func fieldError(field, code, msg string) error { return strictjson.FieldError(field, code, msg) }
