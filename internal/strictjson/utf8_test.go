// SPDX-License-Identifier: AGPL-3.0-or-later

package strictjson_test

import (
	"reflect"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/strictjson"
)

// TestDecodeInvalidUTF8: encoding/json would turn bytes that are not
// UTF-8 into U+FFFD and store the changed text; they are refused, each
// field named (in path order), and valid text — U+FFFD typed on purpose
// included — still decodes.
func TestDecodeInvalidUTF8(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		fields   []string // the fields refused; nil: accepted
		detail   string   // else the error must say this
	}{
		{"Accepted", `{"agency":"KIN","person":{"prs_FirstName":"Amani Ngalula é"}}`, nil, ""},
		{"AcceptedReplacementChar", `{"agency":"KIN","person":{"prs_FirstName":"A` + "\uFFFD" + `"}}`, nil, ""},
		{"InValue", "{\"agency\":\"KIN\",\"person\":{\"prs_FirstName\":\"a\xffb\"}}", []string{"person.prs_FirstName"}, ""},
		{"Truncated2Bytes", "{\"person\":{\"prs_SecondName\":\"Ngal\xc3\"}}", []string{"person.prs_SecondName"}, ""},
		{"Latin1", "{\"person\":{\"prs_FirstName\":\"Andr\xe9\",\"prs_SecondName\":\"L\xe9a\"}}", []string{"person.prs_FirstName", "person.prs_SecondName"}, ""},
		{"InList", "{\"events\":[{\"hte_City\":\"Goma\"},{\"hte_City\":\"Bukavu\xfe\"}]}", []string{"events[1].hte_City"}, ""},
		{"InKey", "{\"agen\xffcy\":\"KIN\"}", []string{"agen\uFFFDcy"}, ""},
		{"OutsideStrings", "{\"agency\":\"KIN\"}\xff", nil, "not valid UTF-8 text (byte 16)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var c domain.Case
			err := strictjson.Decode([]byte(tt.in), &c)
			if tt.fields == nil && tt.detail == "" {
				if err != nil {
					t.Fatalf("refused valid text: %v", err)
				}
				return
			}
			if domain.KindOf(err) != domain.KindInvalid {
				t.Fatalf("got %v (kind %v), want an invalid-data error", err, domain.KindOf(err))
			}
			if tt.detail != "" {
				if !strings.Contains(err.Error(), tt.detail) {
					t.Fatalf("error %q does not say %q", err, tt.detail)
				}
				return
			}
			var got []string
			for _, fe := range domain.FieldErrors(err) {
				if fe.Code != "validation.invalid_utf8" {
					t.Errorf("%s: code %s", fe.Field, fe.Code)
				}
				got = append(got, fe.Field)
			}
			if !reflect.DeepEqual(got, tt.fields) {
				t.Fatalf("fields %v, want %v", got, tt.fields)
			}
		})
	}
}
