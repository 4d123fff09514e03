// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"vigie/internal/domain"
)

// MaxBodyBytes limits JSON request bodies. A case with all its parts is a
// few kilobytes; 1 MiB leaves room for long narratives.
const MaxBodyBytes = 1 << 20

// decodeJSON reads exactly one JSON value from the body into v. Unknown
// fields are refused by name, wrong types name their field, and anything
// after the value is an error.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return domain.Errorf(domain.KindInvalid, "the body must be JSON (Content-Type: application/json), not %q", ct)
		}
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		return jsonError(err)
	}
	// Unknown keys first: they are reported with their full path.
	if err := checkKeys(raw, reflect.TypeOf(v)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return jsonError(err)
		}
		return domain.Errorf(domain.KindInvalid, "the body has more than one JSON value; send one object")
	}
	return nil
}

// jsonError explains a decoding error in terms a client can act on.
func jsonError(err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
		mbe *http.MaxBytesError
		de  *domain.Error
	)
	switch {
	case errors.As(err, &mbe):
		return domain.Errorf(domain.KindTooLarge, "the body is larger than %d bytes", mbe.Limit)
	case errors.Is(err, io.EOF):
		return domain.Errorf(domain.KindInvalid, "the body is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return domain.Errorf(domain.KindInvalid, "the JSON body ends too early (truncated?)")
	case errors.As(err, &syn):
		return domain.Errorf(domain.KindInvalid, "malformed JSON at byte %d: %s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(body)"
		}
		return fieldError(field, "validation.type", fmt.Sprintf("must be %s, not a JSON %s", typeName(typ.Type.String()), typ.Value))
	case errors.As(err, &de):
		// A domain type (Date) refused its value.
		return fieldError("(value)", "validation.format", de.Message)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return fieldError(name, "validation.unknown_field", "is not a field of this record; check the spelling (HTCDS identifiers are case-sensitive)")
	}
	return domain.Errorf(domain.KindInvalid, "the body is not valid JSON: %v", err)
}

func fieldError(field, code, msg string) error {
	return &domain.Error{Kind: domain.KindInvalid, Message: "invalid data", Fields: []domain.FieldError{{Field: field, Code: code, Message: msg}}}
}

func typeName(goType string) string {
	switch {
	case strings.Contains(goType, "[]"):
		return "a list"
	case strings.Contains(goType, "int"):
		return "a whole number"
	case strings.Contains(goType, "float"):
		return "a number"
	case goType == "bool" || goType == "*bool":
		return "true or false"
	case strings.Contains(goType, "string"):
		return "a string"
	}
	return "an object"
}
