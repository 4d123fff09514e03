// SPDX-License-Identifier: AGPL-3.0-or-later

package strictjson_test

import (
	"testing"

	"vigie/internal/domain"
	"vigie/internal/strictjson"
)

// TestDecodeTimeNamed: a time that does not read as RFC 3339 is refused
// under its field's name — the answer was "the document is not valid JSON:
// parsing time \"garbage\" as \"2006-01-02T15:04:05Z07:00\"…", naming no
// field, for a case's created_at echoed back edited (PUT) or a part's.
func TestDecodeTimeNamed(t *testing.T) {
	tests := []struct {
		name, in string
		into     func() any
		field    string // "" when the document is valid
	}{
		{"CaseCreatedAt", `{"created_at":"garbage"}`, func() any { return new(domain.Case) }, "created_at"},
		{"CaseUpdatedAtDate", `{"updated_at":"2026-01-01"}`, func() any { return new(domain.Case) }, "updated_at"},
		{"CaseUpdatedAtNoZone", `{"updated_at":"2026-01-01T10:00:00"}`, func() any { return new(domain.Case) }, "updated_at"},
		{"EventInList", `{"events":[{"hte_Type":"Transit"},{"hte_Type":"Transit","created_at":"yesterday"}]}`, func() any { return new(domain.Case) }, "events[1].created_at"},
		{"Part", `{"hte_Type":"Transit","updated_at":""}`, func() any { return new(domain.Event) }, "updated_at"},
		{"OK/RFC3339", `{"created_at":"2026-11-28T13:55:05.439567Z","updated_at":"2026-11-28T14:55:05+01:00"}`, func() any { return new(domain.Case) }, ""},
		{"OK/Null", `{"created_at":null}`, func() any { return new(domain.Case) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := strictjson.Decode([]byte(tt.in), tt.into())
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			fe := domain.FieldErrors(err)
			if len(fe) != 1 || fe[0].Field != tt.field || fe[0].Code != "validation.time_format" {
				t.Fatalf("got %v (%+v), want one validation.time_format on %q", err, fe, tt.field)
			}
		})
	}
}
