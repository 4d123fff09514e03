// SPDX-License-Identifier: AGPL-3.0-or-later

package strictjson

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	"vigie/internal/domain"
)

// TypeErrors is Decode's answer when the only things wrong with a document
// are values of the wrong type (or times that are not RFC 3339, or text
// that is not UTF-8) and keys that are no field. The target then holds
// the rest of the document, those values left out, so
// that a caller can add the record's own rules (enums, e-mail, dates) to
// the same answer: a client that sent five mistakes of two kinds was told
// of the type mistakes first and of the others only when it sent again.
type TypeErrors struct{ Err *domain.Error }

func (e *TypeErrors) Error() string { return e.Err.Error() }

// Unwrap lets errors.As find the domain error (its kind and fields).
func (e *TypeErrors) Unwrap() error { return e.Err }

// onlyTypeProblems tells whether every problem is about a value's type or
// form, or a key that is no field: the ones a decode without those values
// can get past.
func onlyTypeProblems(p domain.Problems) bool {
	for _, f := range p {
		switch f.Code {
		case "validation.type", "validation.time_format", "validation.invalid_utf8", "validation.unknown_field", "validation.duplicate_key":
			// The decode without those values ignores unknown keys.
		default:
			return false
		}
	}
	return len(p) > 0
}

// decodeWithout decodes raw into v with the values of the wrong type set
// to null (which decodes into anything as the zero value).
func decodeWithout(raw []byte, v any) bool {
	doc, err := decodeAny(raw)
	if err != nil {
		return false
	}
	doc = dropWrong(doc, reflect.TypeOf(v), true)
	fixed, err := json.Marshal(doc)
	if err != nil {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(fixed))
	return dec.Decode(v) == nil
}

// dropWrong returns v with every value that walkKeys reports as of the
// wrong type replaced by nil; root is the document itself, which is kept.
func dropWrong(v any, t reflect.Type, root bool) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if !root {
		if _, bad := wrongType(v, t); bad {
			return nil
		}
	}
	switch x := v.(type) {
	case map[string]any:
		if t.Kind() != reflect.Struct || t == dateType || t == timeType {
			return v
		}
		fields := jsonFields(t)
		for k, sub := range x {
			if ft, ok := fields[k]; ok {
				x[k] = dropWrong(sub, ft, false)
			}
		}
	case []any:
		if t.Kind() == reflect.Slice {
			for i, sub := range x {
				x[i] = dropWrong(sub, t.Elem(), false)
			}
		}
	case string:
		if t == timeType && badTime(x) {
			return nil
		}
	}
	return v
}

// WithRules adds to the type errors of te the problems that check finds
// in the rest of the document, leaving out those about a field already
// reported (or inside one): its value was left out, so "is required" or
// a rule of its parts would only repeat the first answer.
func WithRules(te *TypeErrors, check error) error {
	fe := domain.FieldErrors(check)
	if len(fe) == 0 {
		return te.Err
	}
	out := *te.Err
	out.Fields = append([]domain.FieldError(nil), te.Err.Fields...)
	for _, f := range fe {
		covered := false
		for _, b := range te.Err.Fields {
			// Inside a field reported, or a list with an item reported:
			// the item left out made the list's own check ("an empty
			// value, item 1") say something false.
			if f.Field == b.Field || strings.HasPrefix(f.Field, b.Field+".") || strings.HasPrefix(f.Field, b.Field+"[") || strings.HasPrefix(b.Field, f.Field+"[") {
				covered = true
				break
			}
		}
		if !covered {
			out.Fields = append(out.Fields, f)
		}
	}
	return &out
}

// withoutFields returns raw with the values at the paths of fe set to null
// (a key that is itself not text is dropped), in the path syntax of
// walkInvalid, so that the rest of the document can be checked.
func withoutFields(raw []byte, fe []domain.FieldError) ([]byte, bool) {
	doc, err := decodeAny(raw)
	if err != nil {
		return nil, false
	}
	bad := make(map[string]bool, len(fe))
	for _, f := range fe {
		bad[f.Field] = true
	}
	doc = nullPaths(doc, "", bad)
	out, err := json.Marshal(doc)
	return out, err == nil
}

func nullPaths(v any, path string, bad map[string]bool) any {
	if p := strings.TrimSuffix(path, "."); p != "" && bad[p] {
		return nil
	}
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			if bad[path+k] && strings.ContainsRune(k, '\uFFFD') {
				delete(x, k)
				continue
			}
			x[k] = nullPaths(sub, path+k+".", bad)
		}
	case []any:
		prefix := strings.TrimSuffix(path, ".")
		for i, sub := range x {
			x[i] = nullPaths(sub, prefix+"["+strconv.Itoa(i)+"].", bad)
		}
	}
	return v
}

// decodeAny reads a JSON document as generic values, its numbers kept as
// written (json.Number): 1e400, beyond a float, failed the whole reading,
// and with it the report of every other mistake of the body.
func decodeAny(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}
