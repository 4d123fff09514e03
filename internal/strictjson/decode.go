// SPDX-License-Identifier: AGPL-3.0-or-later

// Package strictjson decodes JSON documents strictly: exactly one value,
// field names matched case-sensitively (encoding/json folds case), unknown
// fields refused with their path and a suggestion, a key sent twice in an
// object refused (encoding/json keeps the last), and every error turned
// into a domain error a person can act on.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"vigie/internal/domain"
)

var (
	timeType = reflect.TypeFor[time.Time]()
	dateType = reflect.TypeFor[domain.Date]()
)

// Decode reads exactly one JSON value from raw into v (a pointer).
func Decode(raw []byte, v any) error {
	// A key sent twice, then unknown keys: reported with their full path.
	if err := duplicateKey(raw); err != nil {
		return err
	}
	if err := checkKeys(raw, reflect.TypeOf(v)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return explain(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return explain(err)
		}
		return domain.Errorf(domain.KindInvalid, "the document has more than one JSON value; send one object")
	}
	return nil
}

// explain turns a decoding error into terms a client can act on.
func explain(err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	switch {
	case errors.Is(err, io.EOF):
		return domain.Errorf(domain.KindInvalid, "the document is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return domain.Errorf(domain.KindInvalid, "the JSON document ends too early (truncated?)")
	case errors.As(err, &syn):
		return domain.Errorf(domain.KindInvalid, "malformed JSON at byte %d: %s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(document)"
		}
		return FieldError(field, "validation.type", fmt.Sprintf("must be %s, not a JSON %s", typeName(typ.Type.String()), typ.Value))
	}
	// Unknown fields were caught by checkKeys; anything else is reported
	// as it comes.
	return domain.Errorf(domain.KindInvalid, "the document is not valid JSON: %v", err)
}

// FieldError is an invalid-kind error about one field.
func FieldError(field, code, msg string) error {
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
