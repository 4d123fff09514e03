// SPDX-License-Identifier: AGPL-3.0-or-later

package strictjson_test

import (
	"testing"

	"vigie/internal/domain"
	"vigie/internal/strictjson"
)

// TestDecodeNamesFieldsAsSent: a value of the wrong type is refused under
// the name the document gave it. encoding/json's path carries the Go
// names of embedded structs ("Meta.version" for a case's or a part's
// version), which no client ever sent and none can find in its body.
func TestDecodeNamesFieldsAsSent(t *testing.T) {
	tests := []struct {
		name, in string
		into     func() any
		field    string
	}{
		{"CaseVersion", `{"version":"1"}`, func() any { return new(domain.Case) }, "version"},
		{"EventVersion", `{"hte_Type":"Transit","version":1.5}`, func() any { return new(domain.Event) }, "version"},
		{"EventID", `{"id":7}`, func() any { return new(domain.Event) }, "id"},
		{"PersonField", `{"person":{"prs_Gender":5}}`, func() any { return new(domain.Case) }, "person.prs_Gender"},
		{"PerpetratorPerson", `{"person":{"prs_Citizenship":[1]}}`, func() any { return new(domain.Perpetrator) }, "person.prs_Citizenship[0]"},
		{"InList", `{"events":[{"hte_Latitude":"1"}]}`, func() any { return new(domain.Case) }, "events[0].hte_Latitude"},
		{"DocumentItself", `[1]`, func() any { return new(domain.Case) }, "(document)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fe := domain.FieldErrors(strictjson.Decode([]byte(tt.in), tt.into()))
			if len(fe) != 1 || fe[0].Field != tt.field || fe[0].Code != "validation.type" {
				t.Fatalf("got %+v, want one validation.type on %q", fe, tt.field)
			}
		})
	}
}

// TestDecodeLoneSurrogates: an escaped surrogate that is not half of a
// pair names no character; encoding/json stores U+FFFD in its place, as
// for bytes that are not UTF-8, so it is refused the same way, by field.
// Pairs, other escapes and an escaped backslash before "u" decode.
func TestDecodeLoneSurrogates(t *testing.T) {
	tests := []struct {
		name, in string
		field    string // "" means accepted
		want     string // the first name once decoded, when accepted
	}{
		{"Pair", `{"person":{"prs_FirstName":"\ud83d\ude00"}}`, "", "\U0001F600"},
		{"PlainEscape", `{"person":{"prs_FirstName":"\u00e9\u0041"}}`, "", "éA"},
		{"EscapedBackslash", `{"person":{"prs_FirstName":"a\\ud800"}}`, "", `a\ud800`},
		{"LoneHigh", `{"person":{"prs_FirstName":"\ud800"}}`, "person.prs_FirstName", ""},
		{"LoneLow", `{"person":{"prs_SecondName":"x\udc00y"}}`, "person.prs_SecondName", ""},
		{"HighThenLetter", `{"person":{"prs_FirstName":"\ud800\u0041"}}`, "person.prs_FirstName", ""},
		{"Reversed", `{"person":{"prs_FirstName":"\ude00\ud83d"}}`, "person.prs_FirstName", ""},
		{"UpperCaseHex", `{"comments":[{"cco_CaseComment":"\uD800"}]}`, "comments[0].cco_CaseComment", ""},
		{"InKey", `{"agen\udfffcy":"KIN"}`, "agen\uFFFDcy", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c domain.Case
			err := strictjson.Decode([]byte(tt.in), &c)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if c.Person.FirstName != tt.want {
					t.Fatalf("decoded %q, want %q", c.Person.FirstName, tt.want)
				}
				return
			}
			fe := domain.FieldErrors(err)
			if len(fe) != 1 || fe[0].Field != tt.field || fe[0].Code != "validation.invalid_utf8" {
				t.Fatalf("got %v, want validation.invalid_utf8 on %q", err, tt.field)
			}
		})
	}
}

// TestDecodeReportsEveryBadField: every value of the wrong type and every
// unknown key are reported at once, by path: a body with five wrong types
// got one entry (encoding/json stops at the first), and an unknown key hid
// the wrong types.
func TestDecodeReportsEveryBadField(t *testing.T) {
	in := `{"foo":1,"cas_Status":5,"person":{"prs_Gender":true,"prs_Citizenship":["CD",7],"prs_NumberOfChildren":1.5},
		"victim":{"vic_TraffickingStatus":["x"]},"events":[{"hte_Latitude":"1"},{"hte_Type":{}}],"version":"2"}`
	fe := domain.FieldErrors(strictjson.Decode([]byte(in), new(domain.Case)))
	want := map[string]string{
		"foo": "validation.unknown_field", "cas_Status": "validation.type", "person.prs_Gender": "validation.type",
		"person.prs_Citizenship[1]": "validation.type", "person.prs_NumberOfChildren": "validation.type",
		"victim.vic_TraffickingStatus": "validation.type", "events[0].hte_Latitude": "validation.type",
		"events[1].hte_Type": "validation.type", "version": "validation.type",
	}
	got := map[string]string{}
	for _, f := range fe {
		got[f.Field] = f.Code
	}
	if len(fe) != len(want) {
		t.Fatalf("got %d problems %+v, want %d", len(fe), fe, len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q (all: %+v)", k, got[k], v, fe)
		}
	}
	// A valid document still decodes, nulls and dates included.
	var c domain.Case
	ok := `{"cas_Status":"Active","person":{"prs_Birthdate":"2001-02-03","prs_Gender":null},"events":[{"hte_Latitude":-4.3}],"version":2}`
	if err := strictjson.Decode([]byte(ok), &c); err != nil || c.Version != 2 || len(c.Events) != 1 {
		t.Fatalf("%v %+v", err, c)
	}
}
