// SPDX-License-Identifier: AGPL-3.0-or-later

package strictjson_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/strictjson"
)

// FuzzDecodeCase feeds arbitrary bodies to the case decoder: it must never
// panic, every error must be a domain error of kind invalid, and a case it
// accepts must encode again.
func FuzzDecodeCase(f *testing.F) {
	for _, s := range []string{
		`{"agency":"KIN","person":{"prs_FirstName":"Mbuyi","prs_Citizenship":["CD"]},"victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"}}`,
		`{"agency":"KIN","events":[{"hte_Type":"Exploitation","hte_Date":"2026-01-02"}]}`,
		`{"person":{"prs_firstname":"x"}}`,
		`{"person":{"prs_Birthdate":12}}`,
		`{"person":{"prs_Birthdate":"31/12/2001"}}`,
		`{"agency":"KIN",}`, `[]`, `null`, `{}{}`, `{"version":1e400}`, `{"events":[null]}`,
		`{"agency":"\u0000\ud800"}`, `{"perpetrators":[{"person":{"prs_Gender":"Masculine"}}]}`,
		// Mistakes that leave the rest of the body to be checked.
		`{"person":{"prs_SecondName":5,"prs_Gender":"X"},"bogus":1,"events":[{"hte_Latitude":"1"}]}`,
		"{\"person\":{\"prs_FirstName\":\"a\xffb\",\"prs_MailingStreet\":\"\\udc00\"},\"victim\":7}",
		`{"victim":"x","events":"y","person":{"prs_Citizenship":"CD"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var c domain.Case
		err := strictjson.Decode(raw, &c)
		if err != nil {
			if k := domain.KindOf(err); k != domain.KindInvalid {
				t.Fatalf("error of kind %s: %v", k, err)
			}
			// The rest of such a body is checked by the record's rules:
			// they must take whatever was left.
			var te *strictjson.TypeErrors
			if errors.As(err, &te) {
				c.Normalize(domain.NewDate(2026, 11, 27))
				_ = strictjson.WithRules(te, c.Validate(domain.NewDate(2026, 11, 27)))
			}
			return
		}
		if _, err := json.Marshal(&c); err != nil {
			t.Fatalf("accepted case does not encode: %v", err)
		}
		_ = c.Validate(domain.NewDate(2026, 11, 27))
	})
}

func TestDecodeStrict(t *testing.T) {
	tests := []struct {
		name, in, field string
	}{
		{"ErrCaseFolded", `{"Agency":"KIN"}`, "Agency"},
		{"ErrNestedUnknown", `{"person":{"prs_Name":"x"}}`, "person.prs_Name"},
		{"ErrInList", `{"events":[{"hte_Type":"Transit"},{"hte_Typ":"Transit"}]}`, "events[1].hte_Typ"},
		{"ErrType", `{"person":{"prs_NumberOfChildren":"two"}}`, "person.prs_NumberOfChildren"},
		{"ErrDuplicateKey", `{"agency":"KIN","agency":"GOM"}`, "agency"},
		{"ErrDuplicateNested", `{"agency":"KIN","person":{"prs_FirstName":"A","prs_Gender":"Feminine","prs_FirstName":"B"}}`, "person.prs_FirstName"},
		{"ErrDuplicateInList", `{"events":[{"hte_Type":"Transit"},{"hte_Type":"Transit","hte_Country":"CD","hte_Type":"Exploitation"}]}`, "events[1].hte_Type"},
		{"ErrDuplicateAfterList", `{"events":[{"hte_Type":"Transit"},{}],"vic_x":{},"events":[]}`, "events"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c domain.Case
			err := strictjson.Decode([]byte(tt.in), &c)
			// The mistake first; the others of the body (vic_x, an
			// unknown field) come with it in the same answer.
			fe := domain.FieldErrors(err)
			if len(fe) == 0 || fe[0].Field != tt.field || len(fe) > 1 && tt.name != "ErrDuplicateAfterList" {
				t.Fatalf("got %v", err)
			}
		})
	}
}

// TestDecodeSameKeyElsewhere: a key may come again in another object —
// a sibling, a nested one, the next element of a list — and a document
// of nested lists and scalars decodes as before.
func TestDecodeSameKeyElsewhere(t *testing.T) {
	for _, in := range []string{
		`{"agency":"KIN","events":[{"hte_Type":"Transit","hte_Country":"CD"},{"hte_Type":"Exploitation","hte_Country":"CD"}],"person":{"prs_Citizenship":["CD","RW"]}}`,
		`{"person":{"prs_FirstName":"A"},"perpetrators":[{"person":{"prs_FirstName":"B"}},{"person":{"prs_FirstName":"C"}}]}`,
		`{"events":[],"consents":[{"con_Consent":true}],"comments":[{"cco_CaseComment":"x"},{"cco_CaseComment":"y"}]}`,
	} {
		var c domain.Case
		if err := strictjson.Decode([]byte(in), &c); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
	}
}

// TestDecodeDeepNesting: a hostile nesting of a million levels is refused
// quickly (the duplicate-key walk once built every level's path, which
// costs the square of the depth: an API call hung for minutes).
func TestDecodeDeepNesting(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("[", 1_000_000) + strings.Repeat("]", 1_000_000),
		strings.Repeat(`{"events":`, 1_000_000) + "1" + strings.Repeat("}", 1_000_000),
		`{"events":` + strings.Repeat("[", 9000) + strings.Repeat("]", 9000) + `,"events":1}`,
	} {
		start := time.Now()
		var c domain.Case
		if err := strictjson.Decode([]byte(in), &c); domain.KindOf(err) != domain.KindInvalid {
			t.Fatalf("%.40s…: %v", in, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("%.40s…: %v to refuse", in, d)
		}
	}
}
