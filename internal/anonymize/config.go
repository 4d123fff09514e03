// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import (
	"errors"
	"fmt"
)

// Method names how records in rare quasi-identifier combinations are
// made k-anonymous.
type Method string

const (
	// MethodMondrian keeps every combination of quasi-identifier values
	// shared by at least k records exactly as it is, and partitions the
	// remaining records with Mondrian (strict, median cuts); each part is
	// released generalised to the values it spans. What is left when fewer
	// than k records remain is suppressed.
	MethodMondrian Method = "mondrian"
	// MethodMondrianStrict is LeFevre et al.'s Mondrian on all records:
	// frequent combinations may be generalised too.
	MethodMondrianStrict Method = "mondrian-strict"
	// MethodSuppress is local suppression (sdcMicro style): in records of
	// rare combinations, cells are replaced by "-99" — one quasi-identifier
	// first, the most varied one first, then two… — until each group of
	// records left with the same values holds at least k; records that no
	// pattern brings into such a group are suppressed.
	MethodSuppress Method = "suppress"
	// MethodHybrid keeps frequent combinations, then suppresses one cell
	// where that is enough (a row joining a released class, or k rows
	// meeting), then partitions what is left with Mondrian.
	MethodHybrid Method = "hybrid"
)

// QI is one quasi-identifier: a column and its generalisation hierarchy.
type QI struct {
	Column    string
	Hierarchy *Hierarchy
}

// Config says what a release protects and how.
type Config struct {
	K      int    // every released combination of quasi-identifiers is shared by at least K records
	QIs    []QI   // the quasi-identifiers, at most 8
	Method Method // MethodHybrid when empty
	// Columns restricts the released columns (by CTDC or HTCDS name);
	// empty means every allow-listed column of the input. Asking for a
	// column outside the allow-list is an error.
	Columns []string
}

// MaxK bounds k. Past it a release is a mistake rather than a choice, and
// counts are compared as 32-bit integers.
const MaxK = 1000

// maxQIs bounds the quasi-identifiers so a combination packs into 128 bits.
const maxQIs = 8

func (c *Config) validate() error {
	if c.K < 2 || c.K > MaxK {
		return fmt.Errorf("k must be between 2 and %d (got %d)", MaxK, c.K)
	}
	if len(c.QIs) == 0 {
		return errors.New("at least one quasi-identifier is needed")
	}
	if len(c.QIs) > maxQIs {
		return fmt.Errorf("at most %d quasi-identifiers (got %d)", maxQIs, len(c.QIs))
	}
	switch c.Method {
	case "":
		c.Method = MethodHybrid
	case MethodMondrian, MethodMondrianStrict, MethodSuppress, MethodHybrid:
	default:
		return fmt.Errorf("unknown method %q (mondrian, mondrian-strict, suppress or hybrid)", c.Method)
	}
	seen := map[string]bool{}
	for _, q := range c.QIs {
		name, ok := AllowedColumn(q.Column)
		if !ok {
			return fmt.Errorf("quasi-identifier %q is not a releasable column", q.Column)
		}
		if seen[name] {
			return fmt.Errorf("quasi-identifier %q is listed twice", q.Column)
		}
		seen[name] = true
		if q.Hierarchy == nil {
			return fmt.Errorf("quasi-identifier %q has no hierarchy", q.Column)
		}
	}
	for _, col := range c.Columns {
		if _, ok := AllowedColumn(col); !ok {
			return fmt.Errorf("column %q may not be released: only CTDC Global Dataset columns are (no names, dates, free text or identifiers)", col)
		}
	}
	return nil
}

// QINames returns the quasi-identifiers' column names.
func (c Config) QINames() []string {
	out := make([]string, len(c.QIs))
	for i, q := range c.QIs {
		out[i] = q.Column
	}
	return out
}
