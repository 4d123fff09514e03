// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// WriteCSV writes a published table in long form: one line per cell and
// margin, the dimensions' values ("Total" for a margin), the count, and
// "suppressed" where the count is hidden. Primary and secondary
// suppressions are not told apart (that would point at the small cells),
// and withheld DP cells are left out altogether: that such a combination
// occurs at all is what partition selection protects.
func WriteCSV(w io.Writer, p *Published) error {
	cw := csv.NewWriter(w)
	head := make([]string, 0, len(p.Dims)+2)
	for _, d := range p.Dims {
		head = append(head, safeCell(d.Column))
	}
	if err := cw.Write(append(head, "count", "note")); err != nil {
		return err
	}
	for i, s := range p.Status {
		if s == Withheld {
			continue
		}
		line := make([]string, 0, len(p.Dims)+2)
		for _, l := range p.Labels(p.Key(i)) {
			line = append(line, safeCell(l))
		}
		if s.Hidden() {
			line = append(line, "", "suppressed")
		} else {
			line = append(line, strconv.FormatInt(p.Counts[i], 10), "")
		}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// safeCell keeps a spreadsheet from reading a value as a formula.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
