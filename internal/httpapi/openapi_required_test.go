// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"vigie/internal/domain"
)

// TestOpenAPIRequiredIsWhatTheServerRequires: the document's required
// fields of a case and of an agency are exactly those whose absence the
// server refuses (validation.required): a body made of the required
// fields alone is valid, and a body without any of them is refused under
// each of them and under nothing else. The schemas declared none, so a
// client generated from the document learnt of vic_TraffickingStatus from
// a 422.
func TestOpenAPIRequiredIsWhatTheServerRequires(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Required   []string                  `json:"required"`
				Properties map[string]map[string]any `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(buildOpenAPI("test"), &doc); err != nil {
		t.Fatal(err)
	}
	schemas := doc.Components.Schemas
	// minimal builds a body of the schema's required fields alone, each
	// with its first enum value (or a valid text), and lists their paths.
	var minimal func(name, prefix string) (map[string]any, []string)
	minimal = func(name, prefix string) (map[string]any, []string) {
		s, ok := schemas[name]
		if !ok {
			t.Fatalf("no schema %s", name)
		}
		body := map[string]any{}
		var paths []string
		for _, f := range s.Required {
			p := s.Properties[f]
			switch {
			case p["$ref"] != nil:
				sub, subPaths := minimal(strings.TrimPrefix(p["$ref"].(string), "#/components/schemas/"), prefix+f+".")
				body[f] = sub
				if len(subPaths) == 0 {
					paths = append(paths, prefix+f)
				}
				paths = append(paths, subPaths...)
			case p["enum"] != nil:
				body[f] = p["enum"].([]any)[0]
				paths = append(paths, prefix+f)
			case p["type"] == "boolean" || slices.Contains(asStrings(p["type"]), "boolean"):
				body[f] = true
				paths = append(paths, prefix+f)
			case f == "code":
				body[f] = "KIN"
				paths = append(paths, prefix+f)
			default:
				body[f] = "Agence de Kinshasa"
				paths = append(paths, prefix+f)
			}
		}
		return body, paths
	}
	today := domain.NewDate(2026, 11, 28)
	refused := func(err error) []string {
		var out []string
		if e, ok := err.(*domain.Error); ok {
			for _, f := range e.Fields {
				out = append(out, f.Field+" "+f.Code)
			}
		}
		return out
	}
	requiredOf := func(err error) []string {
		var out []string
		for _, r := range refused(err) {
			if f, ok := strings.CutSuffix(r, " validation.required"); ok {
				out = append(out, f)
			}
		}
		slices.Sort(out)
		return out
	}

	t.Run("Case", func(t *testing.T) {
		body, paths := minimal("Case", "")
		if len(paths) == 0 {
			t.Fatal("the case schema requires nothing")
		}
		raw, _ := json.Marshal(body)
		var c domain.Case
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		c.Agency = "KIN" // the caller's agency, as createCase fills it
		c.Normalize(today)
		if err := c.Validate(today); err != nil {
			t.Fatalf("a case of the required fields alone (%s) is refused: %v", raw, refused(err))
		}
		empty := domain.Case{Agency: "KIN"}
		empty.Normalize(today)
		got := requiredOf(empty.Validate(today))
		// A required object is refused under its own required fields.
		want := slices.DeleteFunc(slices.Clone(paths), func(p string) bool { return p == "victim" })
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("an empty case is refused as missing %v; the document requires %v", got, paths)
		}
	})
	for name, kind := range map[string]domain.PartKind{"Event": domain.PartEvents, "SupportPlan": domain.PartSupportPlans,
		"Comment": domain.PartComments, "Consent": domain.PartConsents} {
		t.Run(name, func(t *testing.T) {
			body, paths := minimal(name, "")
			if len(paths) == 0 {
				t.Fatalf("the %s schema requires nothing", name)
			}
			raw, _ := json.Marshal(body)
			p, _ := domain.NewPart(kind)
			if err := json.Unmarshal(raw, p); err != nil {
				t.Fatal(err)
			}
			if err := p.Validate(today).Err(); err != nil {
				t.Fatalf("a part of the required fields alone (%s) is refused: %v", raw, refused(err))
			}
			empty, _ := domain.NewPart(kind)
			got := requiredOf(empty.Validate(today).Err())
			slices.Sort(paths)
			if kind == domain.PartConsents {
				// A consent's answer is a bool: its absence is told
				// from the body (MissingConsentAnswer), not the value.
				got = requiredOf(domain.MissingConsentAnswer([]byte(`{}`)).Err())
			}
			if !slices.Equal(got, paths) {
				t.Fatalf("an empty %s is refused as missing %v; the document requires %v", name, got, paths)
			}
		})
	}
	t.Run("Agency", func(t *testing.T) {
		body, paths := minimal("Agency", "")
		raw, _ := json.Marshal(body)
		var a domain.Agency
		if err := json.Unmarshal(raw, &a); err != nil {
			t.Fatal(err)
		}
		if err := a.Validate(); err != nil {
			t.Fatalf("an agency of the required fields alone (%s) is refused: %v", raw, refused(err))
		}
		var empty domain.Agency
		got := refused(empty.Validate())
		for _, p := range paths {
			if !slices.ContainsFunc(got, func(r string) bool { return strings.HasPrefix(r, p+" ") }) {
				t.Errorf("an agency without %s is not refused under it: %v", p, got)
			}
		}
		for _, r := range got {
			if f, _, _ := strings.Cut(r, " "); !slices.Contains(paths, f) {
				t.Errorf("an empty agency is refused under %s, which the document does not require", r)
			}
		}
	})
}

// asStrings reads a schema's "type" when it is a list of types.
func asStrings(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
