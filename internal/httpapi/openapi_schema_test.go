// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"encoding/json"
	"reflect"
	"testing"

	"vigie/internal/domain"
)

// TestTypeSchemas: the schema reflection gives each Go type is what
// encoding/json writes for it — json.RawMessage any JSON (not an array of
// integers), []byte a base64 string, a nil slice, map or pointer null
// unless the field is omitted when empty — and fieldSchemas override it.
func TestTypeSchemas(t *testing.T) {
	type sample struct {
		Raw      json.RawMessage   `json:"raw"`
		Bytes    []byte            `json:"bytes"`
		List     []string          `json:"list"`
		Map      map[string]int    `json:"map"`
		Ptr      *int              `json:"ptr"`
		PtrOmit  *int              `json:"ptr_omit,omitempty"`
		Agency   *domain.Agency    `json:"agency"`
		Override json.RawMessage   `json:"override"`
		Nested   map[string][]bool `json:"nested,omitempty"`
	}
	typ := reflect.TypeFor[sample]()
	fieldSchemas[typ] = map[string]map[string]any{"override": {"type": "object"}}
	defer delete(fieldSchemas, typ)
	props := structSchema(typ)["properties"].(map[string]any)
	for field, want := range map[string]string{
		"raw":      `{"description":"any JSON value"}`,
		"bytes":    `{"contentEncoding":"base64","type":"string"}`,
		"list":     `{"items":{"type":"string"},"type":["array","null"]}`,
		"map":      `{"additionalProperties":{"type":"integer"},"type":["object","null"]}`,
		"ptr":      `{"type":["integer","null"]}`,
		"ptr_omit": `{"type":"integer"}`,
		"agency":   `{"oneOf":[{"$ref":"#/components/schemas/Agency"},{"type":"null"}]}`,
		"override": `{"type":"object"}`,
		"nested":   `{"additionalProperties":{"items":{"type":"boolean"},"type":["array","null"]},"type":["object","null"]}`,
	} {
		got, err := json.Marshal(props[field])
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%s: %s, want %s", field, got, want)
		}
	}
}
