// SPDX-License-Identifier: AGPL-3.0-or-later

package csvsep

import "bytes"

// NotText names what a file that starts with head is when it is plainly
// not CSV text — a workbook, an archive, a PDF — or returns "". A CSV
// import given such a file (an .xlsx renamed .csv, a compressed export)
// read its bytes as a header and printed them back as unknown column
// names: a screenful of binary for the operator, who learnt nothing.
func NotText(head []byte) string {
	en, _ := NotTextIn(head)
	return en
}

// NotTextIn is NotText in English and in French, for messages that say it
// in both.
func NotTextIn(head []byte) (en, fr string) {
	for _, s := range []struct {
		magic    []byte
		what, fr string
	}{
		{[]byte("PK\x03\x04"), "an XLSX workbook or another ZIP archive", "un classeur XLSX ou une autre archive ZIP"},
		{[]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "an Excel .xls workbook or a password-protected one", "un classeur Excel .xls ou protégé par un mot de passe"},
		{[]byte("\x1f\x8b"), "a gzip-compressed file", "un fichier compressé gzip"},
		{[]byte("%PDF"), "a PDF document", "un document PDF"},
		{[]byte("7z\xbc\xaf\x27\x1c"), "a 7-Zip archive", "une archive 7-Zip"},
		{[]byte("Rar!"), "a RAR archive", "une archive RAR"},
		{[]byte("BZh"), "a bzip2-compressed file", "un fichier compressé bzip2"},
		{[]byte("\xfd7zXZ\x00"), "an xz-compressed file", "un fichier compressé xz"},
		{[]byte("\x28\xb5\x2f\xfd"), "a zstd-compressed file", "un fichier compressé zstd"},
		{[]byte("SQLite format 3\x00"), "an SQLite database", "une base SQLite"},
	} {
		if bytes.HasPrefix(head, s.magic) {
			return s.what, s.fr
		}
	}
	// UTF-16 saved without a byte order mark: the first characters, ASCII
	// as a header's are, each have a NUL byte. The importers, which know
	// UTF-16 by its mark, said the header had none of the expected
	// columns.
	if len(head) >= 4 && (head[0] != 0 && head[1] == 0 && head[2] != 0 && head[3] == 0 ||
		head[0] == 0 && head[1] != 0 && head[2] == 0 && head[3] != 0) {
		return "UTF-16 text (without a byte order mark)", "du texte UTF-16 (sans marque d'ordre des octets)"
	}
	return "", ""
}
