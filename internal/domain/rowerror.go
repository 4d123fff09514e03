// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import "fmt"

// RowError says why one row of an imported file was rejected: which row
// (1-based, counting the header as row 1 as a spreadsheet does), which
// column, the offending value and why. Imports write these to a reject
// file so that nothing is dropped silently.
type RowError struct {
	Row    int    `json:"row"`
	Column string `json:"column"`
	Value  string `json:"value"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

func (e RowError) Error() string {
	return fmt.Sprintf("row %d, column %s: %s", e.Row, e.Column, e.Reason)
}
