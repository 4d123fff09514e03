// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"encoding/json"
	"errors"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"vigie/internal/domain"
)

// TestOpenAPICaseListParameters: the document's parameters of GET
// /api/v1/cases say which values the list takes — every value of an enum
// is accepted and nothing else, an integer's bounds are the server's, a
// pattern matches what is accepted — where each was a bare string, so a
// client could not know that gender takes Feminine and not Female, or
// that limit stops at 500.
func TestOpenAPICaseListParameters(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name   string         `json:"name"`
				In     string         `json:"in"`
				Schema map[string]any `json:"schema"`
			} `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(buildOpenAPI("test"), &doc); err != nil {
		t.Fatal(err)
	}
	accepts := func(name, value string) error {
		_, err := parseCaseFilter(url.Values{name: {value}})
		var e *domain.Error
		if err != nil && (!errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != name) {
			t.Fatalf("%s=%s: %v does not name the parameter", name, value, err)
		}
		return err
	}
	documented := map[string]bool{}
	for _, p := range doc.Paths["/api/v1/cases"]["get"].Parameters {
		documented[p.Name] = true
		s := p.Schema
		t.Run(p.Name, func(t *testing.T) {
			if len(s) == 1 && s["type"] == "string" {
				t.Fatalf("schema %v says nothing of the values taken", s)
			}
			if enum, ok := s["enum"].([]any); ok {
				for _, v := range enum {
					if err := accepts(p.Name, v.(string)); err != nil {
						t.Errorf("documented %q refused: %v", v, err)
					}
					if accepts(p.Name, v.(string)+"x") == nil {
						t.Errorf("%sx accepted: the enum does not say so", v)
					}
				}
			}
			if s["type"] == "integer" {
				lo := int(s["minimum"].(float64))
				if err := accepts(p.Name, strconv.Itoa(lo)); err != nil {
					t.Errorf("documented minimum %d refused: %v", lo, err)
				}
				if accepts(p.Name, strconv.Itoa(lo-1)) == nil {
					t.Errorf("%d, below the documented minimum, accepted", lo-1)
				}
				if hi, ok := s["maximum"].(float64); ok {
					if err := accepts(p.Name, strconv.Itoa(int(hi))); err != nil {
						t.Errorf("documented maximum %v refused: %v", hi, err)
					}
					if accepts(p.Name, strconv.Itoa(int(hi)+1)) == nil {
						t.Errorf("%v, above the documented maximum, accepted", hi+1)
					}
				}
				if accepts(p.Name, "1.5") == nil {
					t.Errorf("1.5 accepted as an integer")
				}
			}
			if pat, ok := s["pattern"].(string); ok {
				re := regexp.MustCompile(pat)
				for _, v := range []string{"CD", "KIN", "cd", "C", "CDX", "kin", "ZZ"} {
					if (accepts(p.Name, v) == nil) != re.MatchString(v) {
						t.Errorf("%q: accepted %v, pattern %s matches %v", v, accepts(p.Name, v) == nil, pat, re.MatchString(v))
					}
				}
			}
			if s["format"] == "date" {
				if err := accepts(p.Name, "2020-02-29"); err != nil {
					t.Errorf("a date refused: %v", err)
				}
				if accepts(p.Name, "2021-02-29") == nil {
					t.Errorf("a day that does not exist accepted")
				}
			}
		})
	}
	for _, name := range listParams {
		if !documented[name] {
			t.Errorf("parameter %s is not documented", name)
		}
	}
}
