// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Method is how a release protects its tables.
type Method string

const (
	// MethodSuppression hides small cells and enough others that none can
	// be worked out from the rest.
	MethodSuppression Method = "suppression"
	// MethodDP adds discrete Laplace noise (differential privacy).
	MethodDP Method = "dp"
)

// Defaults of a release's tables.
const (
	// DefaultThreshold is CTDC's k: a cell of fewer than 11 people is hidden.
	DefaultThreshold = 11
	// DefaultDelta bounds the probability that partition selection
	// releases a cell that exists only because of one person.
	DefaultDelta = 1e-6
	// MaxTables bounds the tables of one release.
	MaxTables = 20
	// MaxDims bounds a table's dimensions.
	MaxDims = 3
	// MaxValues bounds a fixed domain.
	MaxValues = 1000
)

// TableSpec names a table and its dimensions.
type TableSpec struct {
	Name string `json:"name"`
	Dims []Dim  `json:"dims"`
}

// Config is how a release's aggregate tables are made, kept as JSON with
// the release.
type Config struct {
	Method Method `json:"method"`
	// Threshold is the smallest count shown (suppression).
	Threshold int `json:"threshold,omitempty"`
	// Protection is how far every hidden count must be able to move while
	// the table still adds up (suppression; 1, the default, is "never
	// worked out exactly").
	Protection int `json:"protection,omitempty"`
	// Epsilon is the release's whole privacy budget (dp), split evenly
	// over its tables since one person is counted once in every table.
	Epsilon float64 `json:"epsilon,omitempty"`
	// Delta is per table (dp), used by partition selection only.
	Delta float64 `json:"delta,omitempty"`
	// Contributions is how many rows one person may have (dp sensitivity
	// Δ): 1 when one case is one victim. A victim registered twice (two
	// cases, two agencies) is two rows, in one cell or two of every
	// table: set it to the most cases one person may have, and the noise
	// and the selection threshold grow with it (threshold.go).
	Contributions int         `json:"contributions,omitempty"`
	Tables        []TableSpec `json:"tables"`
}

// ParseConfig reads a config from JSON (unknown fields refused), fills
// its defaults and validates it.
func ParseConfig(b []byte) (Config, error) {
	var c Config
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, fmt.Errorf("reading the table config: %w", err)
	}
	if dec.More() {
		return Config{}, errors.New("reading the table config: more than one JSON value")
	}
	c.Defaults()
	return c, c.Validate()
}

// Defaults fills the zero fields with their defaults.
func (c *Config) Defaults() {
	if c.Method == MethodSuppression {
		if c.Threshold == 0 {
			c.Threshold = DefaultThreshold
		}
		if c.Protection == 0 {
			c.Protection = 1
		}
	}
	if c.Method == MethodDP {
		if c.Delta == 0 {
			c.Delta = DefaultDelta
		}
		if c.Contributions == 0 {
			c.Contributions = 1
		}
	}
}

// Validate checks the config; every problem is named.
func (c *Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	switch c.Method {
	case MethodSuppression:
		// A parameter of the other method is a mistake, not a default: a
		// config asking for ε without "method": "dp" must not be
		// published exact.
		if c.Epsilon != 0 || c.Delta != 0 || c.Contributions != 0 {
			bad("epsilon: ε, delta and contributions are for \"method\": \"dp\"; cell suppression adds no noise")
		}
		if c.Threshold < 2 || c.Threshold > 1000 {
			bad("threshold: %d is not between 2 and 1000", c.Threshold)
		}
		if c.Protection < 1 || c.Protection > c.Threshold {
			bad("protection: %d is not between 1 and the threshold", c.Protection)
		}
	case MethodDP:
		if c.Threshold != 0 || c.Protection != 0 {
			bad("threshold: threshold and protection are for \"method\": \"suppression\"; differential privacy hides no cell")
		}
		if _, err := MilliEpsilon(c.Epsilon); err != nil {
			bad("epsilon: %v", err)
		} else if m, _ := MilliEpsilon(c.Epsilon); len(c.Tables) > 0 && m/int64(len(c.Tables)) < 1 {
			bad("epsilon: %g is too small to share among %d tables", c.Epsilon, len(c.Tables))
		}
		if !(c.Delta > 0 && c.Delta <= 1e-3) {
			bad("delta: %g is not in (0, 0.001]", c.Delta)
		}
		if c.Contributions < 1 || c.Contributions > 100 {
			bad("contributions: %d is not between 1 and 100", c.Contributions)
		}
	default:
		bad("method: %q is not suppression or dp", truncate(string(c.Method), 40))
	}
	if len(c.Tables) == 0 || len(c.Tables) > MaxTables {
		bad("tables: %d tables; give 1 to %d", len(c.Tables), MaxTables)
	}
	names := map[string]bool{}
	for i, t := range c.Tables {
		if err := t.validate(); err != nil {
			bad("tables[%d]: %v", i, err)
		}
		if names[t.Name] {
			bad("tables[%d]: the name %q is used twice", i, truncate(t.Name, 40))
		}
		names[t.Name] = true
	}
	return errors.Join(errs...)
}

func (t *TableSpec) validate() error {
	var errs []error
	if !validName(t.Name) {
		errs = append(errs, fmt.Errorf("name %q: use 1 to 64 letters, digits, '_' or '-'", truncate(t.Name, 40)))
	}
	if len(t.Dims) == 0 || len(t.Dims) > MaxDims {
		errs = append(errs, fmt.Errorf("%d dimensions; give 1 to %d", len(t.Dims), MaxDims))
	}
	cols := map[string]bool{}
	for i, d := range t.Dims {
		if !validName(d.Column) {
			errs = append(errs, fmt.Errorf("dims[%d]: column %q: use 1 to 64 letters, digits, '_' or '-'", i, truncate(d.Column, 40)))
		}
		if cols[d.Column] {
			errs = append(errs, fmt.Errorf("dims[%d]: column %q is used twice", i, truncate(d.Column, 40)))
		}
		cols[d.Column] = true
		if len(d.Values) > MaxValues {
			errs = append(errs, fmt.Errorf("dims[%d]: %d values is more than %d", i, len(d.Values), MaxValues))
		}
		seen := map[string]bool{}
		for _, v := range d.Values {
			if v == "" || len(v) > 100 || seen[v] {
				errs = append(errs, fmt.Errorf("dims[%d]: value %q is empty, too long or listed twice", i, truncate(v, 40)))
				break
			}
			seen[v] = true
		}
	}
	return errors.Join(errs...)
}

func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
	}) < 0
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// MilliEpsilon converts ε to thousandths: budgets are added up in
// integers so that ten releases of 0.1 spend exactly 1, and the noise
// scale is an exact fraction (laplace.go).
func MilliEpsilon(eps float64) (int64, error) {
	if math.IsNaN(eps) || eps < 0.001 || eps > 20 {
		return 0, fmt.Errorf("%g is not between 0.001 and 20", eps)
	}
	m := math.Round(eps * 1000)
	if math.Abs(m-eps*1000) > 1e-6 {
		return 0, fmt.Errorf("%g has more than 3 decimals", eps)
	}
	return int64(m), nil
}

// TableEpsilon is the budget of each table, in thousandths of ε.
func (c *Config) TableEpsilon() int64 {
	m, _ := MilliEpsilon(c.Epsilon)
	if len(c.Tables) == 0 {
		return 0
	}
	return m / int64(len(c.Tables))
}

// SpentMilli is the ε the release spends, in thousandths (0 without DP):
// what the tables use, which may be a little under Epsilon after the
// even split.
func (c *Config) SpentMilli() int64 {
	if c.Method != MethodDP {
		return 0
	}
	return c.TableEpsilon() * int64(len(c.Tables))
}

// Columns lists the columns the tables read, each once.
func (c *Config) Columns() []string {
	var out []string
	for _, t := range c.Tables {
		for _, d := range t.Dims {
			if !slices.Contains(out, d.Column) {
				out = append(out, d.Column)
			}
		}
	}
	return out
}
