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
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"vigie/internal/domain"
)

var (
	timeType = reflect.TypeFor[time.Time]()
	dateType = reflect.TypeFor[domain.Date]()
)

// Decode reads exactly one JSON value from raw into v (a pointer).
func Decode(raw []byte, v any) error {
	// encoding/json replaces invalid UTF-8 with U+FFFD without a word:
	// text that is not UTF-8 is refused, by field, as the CSV and XLSX
	// imports refuse it.
	if !utf8.Valid(raw) {
		return invalidUTF8(raw)
	}
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

// invalidUTF8 names the fields whose text is not UTF-8 (the strings that
// decoding turned into U+FFFD), in path order, or the byte where the
// document stops being UTF-8 when no string holds it.
func invalidUTF8(raw []byte) error {
	var v any
	if err := json.Unmarshal(raw, &v); err == nil {
		var bad []domain.FieldError
		walkInvalid(&bad, v, "")
		if len(bad) > 0 {
			slices.SortFunc(bad, func(a, b domain.FieldError) int { return strings.Compare(a.Field, b.Field) })
			return &domain.Error{Kind: domain.KindInvalid, Message: "invalid data", Fields: bad}
		}
	}
	at := 0
	for rest := raw; len(rest) > 0; {
		r, n := utf8.DecodeRune(rest)
		if r == utf8.RuneError && n == 1 {
			break
		}
		at += n
		rest = rest[n:]
	}
	return domain.Errorf(domain.KindInvalid, "the document is not valid UTF-8 text (byte %d); send JSON in UTF-8", at)
}

func walkInvalid(bad *[]domain.FieldError, v any, path string) {
	switch x := v.(type) {
	case string:
		if strings.ContainsRune(x, utf8.RuneError) {
			*bad = append(*bad, domain.FieldError{Field: strings.TrimSuffix(path, "."), Code: "validation.invalid_utf8", Message: "is not valid UTF-8 text"})
		}
	case map[string]any:
		for k, sub := range x {
			if strings.ContainsRune(k, utf8.RuneError) {
				*bad = append(*bad, domain.FieldError{Field: path + k, Code: "validation.invalid_utf8", Message: "is a key that is not valid UTF-8 text"})
				continue
			}
			walkInvalid(bad, sub, path+k+".")
		}
	case []any:
		prefix := strings.TrimSuffix(path, ".")
		for i, sub := range x {
			walkInvalid(bad, sub, prefix+"["+strconv.Itoa(i)+"].")
		}
	}
}
