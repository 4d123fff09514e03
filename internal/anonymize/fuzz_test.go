// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// FuzzReadCSV checks the CSV reader against encoding/csv: whatever it
// accepts, encoding/csv reads the same way (it turns CRLF inside quoted
// fields into LF, so both sides are compared that way), and parsing in
// parts (cut at line ends outside quotes, in parallel, then merged) gives
// the same table as parsing at once.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"gender,ageBroad\nFemale,18--20\n",
		"\uFEFFa,b\r\n1,2\r\n\r\n3,4",
		"a,b\n\"x,\"\"y\"\"\",\"line\nbreak\"\n",
		"a\n\"\"\n\n",
		"a,b\n1\n",
		"a,b\n1,\"2\n",
		"a,b\n1,x\"y\n",
		"a,a\n1,2\n",
		"",
		"a,b\n\"1\"x,2\n",
		"a,b\n1,2\r3\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := ReadCSV(bytes.NewReader(data))
		// Cut in parts of a few bytes, parsed in parallel and merged.
		slow, slowErr := parseCSV(data, 4, 1)
		if (err == nil) != (slowErr == nil) {
			t.Fatalf("at once: %v; in parts: %v", err, slowErr)
		}
		if err != nil {
			return
		}
		cr := csv.NewReader(bytes.NewReader(data))
		want, werr := cr.ReadAll()
		if werr != nil {
			t.Fatalf("accepted, but encoding/csv says %v", werr)
		}
		norm := func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
		want[0][0] = strings.TrimPrefix(want[0][0], "\uFEFF")
		if got := tab.Columns(); norm(strings.Join(got, "\x00")) != strings.Join(want[0], "\x00") {
			t.Fatalf("header %q, encoding/csv %q", got, want[0])
		}
		if tab.Len() != len(want)-1 || slow.Len() != tab.Len() {
			t.Fatalf("%d rows (%d in parts), encoding/csv %d", tab.Len(), slow.Len(), len(want)-1)
		}
		for r := range tab.Len() {
			for c := range want[0] {
				if norm(tab.Value(r, c)) != want[r+1][c] || slow.Value(r, c) != tab.Value(r, c) {
					t.Fatalf("row %d column %d: %q (%q in parts), encoding/csv %q", r+1, c, tab.Value(r, c), slow.Value(r, c), want[r+1][c])
				}
			}
		}
	})
}

func TestReadCSVErrors(t *testing.T) {
	for _, s := range []string{"", "a,b\n1\n", "a,b\n1,\"2\n", "a,a\n1,2\n", "a,b\n1,x\"y\n", "a,b\n\"1\"x,2\n"} {
		if _, err := ReadCSV(strings.NewReader(s)); err == nil {
			t.Errorf("%q: accepted", s)
		}
	}
	var b strings.Builder
	b.WriteString("notes\n")
	for i := range maxDistinct + 1 {
		b.WriteString(strings.Repeat("x", i%7) + string(rune('a'+i%26)) + itoa(i) + "\n")
	}
	if _, err := ReadCSV(strings.NewReader(b.String())); err == nil || !strings.Contains(err.Error(), "not a categorical column") {
		t.Errorf("a free-text column: %v", err)
	}
}

func itoa(i int) string {
	var buf [20]byte
	n := len(buf)
	for {
		n--
		buf[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(buf[n:])
		}
	}
}
