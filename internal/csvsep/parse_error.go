// SPDX-License-Identifier: AGPL-3.0-or-later

package csvsep

import (
	"encoding/csv"
	"errors"
	"fmt"
)

// ParseErrorReason says why encoding/csv refused a row, in words that
// tell the person fixing the file what to change; the CTDC and HTCDS
// imports reject the row with it.
func ParseErrorReason(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf("is not valid CSV: a quote (\") inside a cell that is not quoted (line %d, character %d); quote the whole cell and double the quote", pe.Line, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Sprintf("is not valid CSV: a quoted cell is followed by other characters (line %d, character %d)", pe.Line, pe.Column)
	}
	return fmt.Sprintf("is not valid CSV (line %d, character %d): %v", pe.Line, pe.Column, pe.Err)
}
