// SPDX-License-Identifier: AGPL-3.0-or-later

package strictjson_test

import (
	"fmt"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/strictjson"
)

// TestByteOrderMark: a document that starts with a UTF-8 byte order mark
// is refused with a sentence that names it (it was "malformed JSON at
// byte 1: invalid character 'ï'"), and reads once TrimBOM has dropped it.
func TestByteOrderMark(t *testing.T) {
	doc := []byte("\xef\xbb\xbf{\"a\":1}")
	var v struct {
		A int `json:"a"`
	}
	err := strictjson.Decode(doc, &v)
	if err == nil || !strings.Contains(err.Error(), "byte order mark") {
		t.Fatalf("with a BOM: %v", err)
	}
	if err := strictjson.Decode(strictjson.TrimBOM(doc), &v); err != nil || v.A != 1 {
		t.Fatalf("trimmed: %v %+v", err, v)
	}
	if got := strictjson.TrimBOM([]byte(`{"a":"\ufeff"}`)); string(got) != `{"a":"\ufeff"}` {
		t.Fatalf("TrimBOM changed a document without one: %s", got)
	}
}

// TestNullDocument: a body that is null is refused like any other
// document that is not an object — it decoded into nothing without an
// error, so PUT /api/v1/cases/{ref}/perpetrators/{id} with null and an
// If-Match replaced the perpetrator by an empty record (200).
func TestNullDocument(t *testing.T) {
	for _, doc := range []string{"null", " null\n", "\ufeffnull"} {
		var v struct {
			A int `json:"a"`
		}
		err := strictjson.Decode(strictjson.TrimBOM([]byte(doc)), &v)
		if err == nil || !strings.Contains(fmt.Sprint(domain.FieldErrors(err)), "(document) validation.type") {
			t.Errorf("%q: %v %v", doc, err, domain.FieldErrors(err))
		}
	}
	var v struct {
		A *int `json:"a"`
	}
	if err := strictjson.Decode([]byte(`{"a":null}`), &v); err != nil {
		t.Fatalf("a null value inside an object is a value: %v", err)
	}
}
