// SPDX-License-Identifier: AGPL-3.0-or-later

package csvsep

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// FromWindows1252 reads a cell that is not UTF-8 as Windows-1252, the
// encoding of French Excel's « CSV (séparateur : point-virgule) »: a
// file saved so has its accented letters as single bytes, which are not
// UTF-8. It returns s unchanged and false when s is valid UTF-8, or holds
// a byte Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D:
// then it is neither, and the caller refuses it as not UTF-8). A cell at
// a time, so that a file needs no reading ahead: the ASCII cells of a
// Windows-1252 file are the same in both encodings.
func FromWindows1252(s string) (string, bool) {
	if utf8.ValidString(s) {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case 0x81, 0x8D, 0x8F, 0x90, 0x9D:
			return s, false
		}
		if c < utf8.RuneSelf {
			b.WriteByte(c)
			continue
		}
		b.WriteRune(charmap.Windows1252.DecodeByte(c))
	}
	return b.String(), true
}
