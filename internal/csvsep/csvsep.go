// SPDX-License-Identifier: AGPL-3.0-or-later

// Package csvsep guesses the field separator of a CSV file from its first
// line, so that every import reads a file saved by a spreadsheet in
// another locale (French Excel writes semicolons) the same way.
package csvsep

// Guess returns the separator of the first line of b: the most frequent
// of comma, semicolon and tab outside double quotes, a comma when none
// is more frequent than the comma (the CSV default).
func Guess(b []byte) rune {
	var commas, semis, tabs int
	quoted := false
scan:
	for _, c := range b {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n' || c == '\r':
			break scan
		case c == ',':
			commas++
		case c == ';':
			semis++
		case c == '\t':
			tabs++
		}
	}
	switch {
	case semis > commas && semis >= tabs:
		return ';'
	case tabs > commas && tabs > semis:
		return '\t'
	}
	return ','
}
