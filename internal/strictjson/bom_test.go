// SPDX-License-Identifier: AGPL-3.0-or-later

package strictjson_test

import (
	"strings"
	"testing"

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
