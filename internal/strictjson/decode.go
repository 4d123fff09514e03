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
	// A byte order mark (Notepad's "UTF-8 with BOM") read as text would
	// be "invalid character 'ï'": callers that take files from people
	// trim it first (TrimBOM), before any other reading of the body.
	if bytes.HasPrefix(raw, bom) {
		return domain.Errorf(domain.KindInvalid, "le document commence par une marque d'ordre des octets (U+FEFF) : enregistrez-le en UTF-8 sans BOM / the document starts with a byte order mark (U+FEFF); save it as UTF-8 without BOM")
	}
	// encoding/json replaces invalid UTF-8 with U+FFFD without a word:
	// text that is not UTF-8 is refused, by field, as the CSV and XLSX
	// imports refuse it.
	// Such values are reported by field and left out of the rest of the
	// checks, which then report every other mistake in the same answer:
	// one bad byte hid every other problem of the body.
	var unreadable domain.Problems
	if !utf8.Valid(raw) {
		err := invalidUTF8(raw)
		fe := domain.FieldErrors(err)
		if len(fe) == 0 {
			return err
		}
		unreadable = fe
	}
	// A document that is null decodes into nothing without an error:
	// PUT /…/perpetrators/{id} with the body null and If-Match replaced
	// the record with an empty one (200), and POST read it as {}.
	if string(bytes.TrimSpace(raw)) == "null" {
		return FieldError("(document)", "validation.type", "must be an object, not null")
	}
	// It turns an escaped lone surrogate (\ud800) into U+FFFD as well
	// (the UTF-8 report above names those too, when it ran).
	if len(unreadable) == 0 {
		if err := loneSurrogates(raw); err != nil {
			fe := domain.FieldErrors(err)
			if len(fe) == 0 {
				return err
			}
			unreadable = fe
		}
	}
	// A key sent twice, then unknown keys: reported with their full path,
	// and the rest of the body is checked too (its last value is the one
	// decoded, as encoding/json keeps it, only to check the others).
	var twice domain.Problems
	if err := duplicateKey(raw); err != nil {
		if twice = domain.FieldErrors(err); len(twice) == 0 {
			return err
		}
	}
	if len(unreadable) > 0 {
		fixed, ok := withoutFields(raw, unreadable)
		if !ok {
			return unreadable.Err()
		}
		raw = fixed
	}
	if p := append(append(unreadable, twice...), keyProblems(raw, reflect.TypeOf(v))...); len(p) > 0 {
		// Only values of the wrong type: decode the rest, so that the
		// caller can check it and answer every mistake at once.
		if onlyTypeProblems(p) && decodeWithout(raw, v) {
			var de *domain.Error
			if errors.As(p.Err(), &de) {
				return &TypeErrors{Err: de}
			}
		}
		return p.Err()
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return explain(err, reflect.TypeOf(v))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return explain(err, nil)
		}
		return domain.Errorf(domain.KindInvalid, "le document contient plus d'une valeur JSON : envoyez un seul objet / the document has more than one JSON value; send one object")
	}
	return nil
}

var bom = []byte("\xef\xbb\xbf")

// TrimBOM drops a UTF-8 byte order mark at the start of raw, which editors
// on Windows write and JSON (RFC 8259 §8.1) allows a reader to ignore.
func TrimBOM(raw []byte) []byte { return bytes.TrimPrefix(raw, bom) }

// explain turns a decoding error into terms a client can act on; root is
// the type decoded into (nil when unknown).
func explain(err error, root reflect.Type) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	switch {
	case errors.Is(err, io.EOF):
		return domain.Errorf(domain.KindInvalid, "le document est vide : envoyez un objet JSON / the document is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return domain.Errorf(domain.KindInvalid, "le document JSON s'arrête trop tôt (tronqué ?) / the JSON document ends too early (truncated?)")
	case errors.As(err, &syn):
		return domain.Errorf(domain.KindInvalid, "JSON mal formé à l'octet %[1]d / malformed JSON at byte %[1]d: %[2]s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		field := jsonPath(root, typ.Field)
		if field == "" {
			field = "(document)"
		}
		return FieldError(field, "validation.type", fmt.Sprintf("must be %s, not a JSON %s", typeName(typ.Type.String()), typ.Value))
	}
	// Unknown fields were caught by keyProblems; anything else is reported
	// as it comes.
	return domain.Errorf(domain.KindInvalid, "le document n'est pas du JSON valide / the document is not valid JSON: %v", err)
}

// jsonPath is encoding/json's path of a field (the Go names of embedded
// structs included, "Meta.version") as the document spells it: the
// embedded structs' names, which no client ever sent, are dropped.
func jsonPath(root reflect.Type, path string) string {
	if root == nil || path == "" {
		return path
	}
	t := root
	var out []string
	for _, seg := range strings.Split(path, ".") {
		for t != nil && (t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map) {
			t = t.Elem()
		}
		if t == nil || t.Kind() != reflect.Struct {
			out = append(out, seg)
			t = nil
			continue
		}
		if f, ok := t.FieldByName(seg); ok && f.Anonymous && f.Tag.Get("json") == "" {
			t = f.Type // an embedded struct: its fields are the parent's
			continue
		}
		out = append(out, seg)
		next := reflect.Type(nil)
		if f, ok := jsonFields(t)[seg]; ok {
			next = f
		}
		t = next
	}
	return strings.Join(out, ".")
}

// loneSurrogates refuses \uD800–\uDFFF escapes that do not form a pair:
// they name no character, and encoding/json would store U+FFFD in their
// place without a word, as it does for bytes that are not UTF-8.
func loneSurrogates(raw []byte) error {
	if !bytes.Contains(raw, []byte(`\u`)) {
		return nil
	}
	hex4 := func(i int) (rune, bool) {
		if i+6 > len(raw) || raw[i] != '\\' || raw[i+1] != 'u' {
			return 0, false
		}
		n, err := strconv.ParseUint(string(raw[i+2:i+6]), 16, 16)
		return rune(n), err == nil
	}
	var lone []int // where each unpaired escape starts
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' || i+1 >= len(raw) {
			continue
		}
		if raw[i+1] != 'u' {
			i++ // an escape such as \\ or \": skip its second byte
			continue
		}
		r, ok := hex4(i)
		if !ok {
			continue // a malformed escape: the decoder reports it
		}
		switch {
		case r >= 0xd800 && r <= 0xdbff:
			if lo, ok := hex4(i + 6); ok && lo >= 0xdc00 && lo <= 0xdfff {
				i += 11
				continue
			}
		case r >= 0xdc00 && r <= 0xdfff:
		default:
			i += 5
			continue
		}
		lone = append(lone, i)
		i += 5
	}
	if len(lone) == 0 {
		return nil
	}
	// Name the fields: the same text with an invalid byte in place of
	// each such escape goes through the UTF-8 check's report.
	bad := make([]byte, 0, len(raw))
	from := 0
	for _, i := range lone {
		bad = append(append(bad, raw[from:i]...), 0xff)
		from = i + 6
	}
	bad = append(bad, raw[from:]...)
	first := strings.ToUpper(string(raw[lone[0]+2 : lone[0]+6]))
	if err := invalidUTF8(bad); err != nil {
		var de *domain.Error
		if errors.As(err, &de) && len(de.Fields) > 0 {
			for j := range de.Fields {
				de.Fields[j].Message = "holds an unpaired surrogate escape (such as \\u" + first + "), which is no character"
			}
			return de
		}
	}
	return domain.Errorf(domain.KindInvalid, "le document contient un échappement \\u%[1]s isolé à l'octet %[2]d, qui n'est aucun caractère / the document holds an unpaired surrogate escape (\\u%[1]s) at byte %[2]d, which is no character", first, lone[0])
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
	return domain.Errorf(domain.KindInvalid, "le document n'est pas du texte UTF-8 valide (octet %[1]d) : envoyez du JSON en UTF-8 / the document is not valid UTF-8 text (byte %[1]d); send JSON in UTF-8", at)
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
