// SPDX-License-Identifier: AGPL-3.0-or-later

package csvsep

import "bytes"

// NotText names what a file that starts with head is when it is plainly
// not CSV text — a workbook, an archive, a PDF — or returns "". A CSV
// import given such a file (an .xlsx renamed .csv, a compressed export)
// read its bytes as a header and printed them back as unknown column
// names: a screenful of binary for the operator, who learnt nothing.
func NotText(head []byte) string {
	for _, s := range []struct {
		magic []byte
		what  string
	}{
		{[]byte("PK\x03\x04"), "an XLSX workbook or another ZIP archive"},
		{[]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "an Excel .xls workbook or a password-protected one"},
		{[]byte("\x1f\x8b"), "a gzip-compressed file"},
		{[]byte("%PDF"), "a PDF document"},
		{[]byte("7z\xbc\xaf\x27\x1c"), "a 7-Zip archive"},
		{[]byte("Rar!"), "a RAR archive"},
		{[]byte("BZh"), "a bzip2-compressed file"},
		{[]byte("\xfd7zXZ\x00"), "an xz-compressed file"},
		{[]byte("\x28\xb5\x2f\xfd"), "a zstd-compressed file"},
		{[]byte("SQLite format 3\x00"), "an SQLite database"},
	} {
		if bytes.HasPrefix(head, s.magic) {
			return s.what
		}
	}
	// UTF-16 saved without a byte order mark: the first characters, ASCII
	// as a header's are, each have a NUL byte. The importers, which know
	// UTF-16 by its mark, said the header had none of the expected
	// columns.
	if len(head) >= 4 && (head[0] != 0 && head[1] == 0 && head[2] != 0 && head[3] == 0 ||
		head[0] == 0 && head[1] != 0 && head[2] == 0 && head[3] != 0) {
		return "UTF-16 text (without a byte order mark)"
	}
	return ""
}
