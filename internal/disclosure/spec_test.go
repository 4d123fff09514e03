// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name, json string
		wantErr    string
	}{
		{"suppression defaults", `{"method":"suppression","tables":[{"name":"a","dims":[{"column":"gender"}]}]}`, ""},
		{"dp", `{"method":"dp","epsilon":1,"tables":[{"name":"a","dims":[{"column":"gender","values":["F","M"]}]}]}`, ""},
		{"unknown field", `{"method":"dp","epsilon":1,"tables":[],"extra":1}`, "unknown field"},
		{"bad method", `{"method":"magic","tables":[{"name":"a","dims":[{"column":"g"}]}]}`, "method"},
		{"no tables", `{"method":"suppression","tables":[]}`, "tables"},
		{"epsilon decimals", `{"method":"dp","epsilon":0.0005,"tables":[{"name":"a","dims":[{"column":"g"}]}]}`, "epsilon"},
		{"epsilon too small to share", `{"method":"dp","epsilon":0.002,"tables":[{"name":"a","dims":[{"column":"g"}]},{"name":"b","dims":[{"column":"g"}]},{"name":"c","dims":[{"column":"g"}]}]}`, "share"},
		{"four dims", `{"method":"suppression","tables":[{"name":"a","dims":[{"column":"a"},{"column":"b"},{"column":"c"},{"column":"d"}]}]}`, "dimensions"},
		{"same column twice", `{"method":"suppression","tables":[{"name":"a","dims":[{"column":"a"},{"column":"a"}]}]}`, "twice"},
		{"same table twice", `{"method":"suppression","tables":[{"name":"a","dims":[{"column":"a"}]},{"name":"a","dims":[{"column":"b"}]}]}`, "twice"},
		{"threshold 1", `{"method":"suppression","threshold":1,"tables":[{"name":"a","dims":[{"column":"a"}]}]}`, "threshold"},
		{"bad name", `{"method":"suppression","tables":[{"name":"a b","dims":[{"column":"a"}]}]}`, "name"},
		{"two values", `{"method":"suppression","tables":[{"name":"a","dims":[{"column":"a"}]}]} {}`, "more than one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig([]byte(tt.json))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if c.Method == MethodSuppression && c.Threshold != DefaultThreshold {
					t.Fatalf("threshold %d, want the default %d", c.Threshold, DefaultThreshold)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want one naming %q", err, tt.wantErr)
			}
		})
	}
}

func TestSpentMilli(t *testing.T) {
	c, err := ParseConfig([]byte(`{"method":"dp","epsilon":1,"tables":[{"name":"a","dims":[{"column":"g"}]},{"name":"b","dims":[{"column":"g"}]},{"name":"c","dims":[{"column":"g"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.TableEpsilon() != 333 || c.SpentMilli() != 999 {
		t.Fatalf("ε 1 over 3 tables: %d each, %d in all; want 333 and 999", c.TableEpsilon(), c.SpentMilli())
	}
}

func TestWriteCSV(t *testing.T) {
	tab := tableOf(t, []int{2, 2}, []int64{3, 30, 40, 50})
	tab.Dims[0].Values[0] = "=cmd()"
	p, err := Suppress(tab, 11)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, p); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, ",3,") || strings.Contains(out, "primary") || strings.Contains(out, "\n=") {
		t.Fatalf("CSV shows a hidden count, a suppression reason or a formula:\n%s", out)
	}
	if !strings.Contains(out, "'=cmd()") || !strings.Contains(out, "Total,Total,123,") {
		t.Fatalf("CSV:\n%s", out)
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add(`{"method":"suppression","tables":[{"name":"a","dims":[{"column":"gender"}]}]}`)
	f.Add(`{"method":"dp","epsilon":1.5,"delta":1e-6,"contributions":2,"tables":[{"name":"a","dims":[{"column":"g","values":["F","M"]},{"column":"h"}]}]}`)
	f.Add(`{"method":"dp","epsilon":1e400}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseConfig([]byte(s))
		if err != nil {
			return
		}
		// A config accepted once is accepted again after a round trip.
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		c2, err := ParseConfig(b)
		if err != nil {
			t.Fatalf("round trip of %s refused: %v", b, err)
		}
		if !reflect.DeepEqual(c, c2) {
			t.Fatalf("round trip changed %+v into %+v", c, c2)
		}
		if c.Method == MethodDP && c.SpentMilli() < 1 {
			t.Fatalf("a DP config spends nothing: %+v", c)
		}
	})
}
