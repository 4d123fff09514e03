// SPDX-License-Identifier: AGPL-3.0-or-later

package csvsep

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestLimitLines(t *testing.T) {
	tests := []struct {
		name, in, out string
		line          int // of the LongLineError, 0 for none
	}{
		{"OK_short_lines", "ab\ncd\n", "ab\ncd\n", 0},
		{"OK_line_at_the_limit", "abcde\nx", "abcde\nx", 0},
		{"OK_empty", "", "", 0},
		{"long_first_line", "abcdef\nx\n", "", 1},
		{"long_line_after_short_ones", "a\nb\nabcdefgh\nc\n", "a\nb\n", 3},
		{"long_last_line_without_end", "a\nabcdefgh", "a\n", 2},
		{"CRLF_counts_the_CR", "abcde\r\nx", "", 1},
	}
	for _, tt := range tests {
		for _, one := range []bool{false, true} {
			t.Run(tt.name, func(t *testing.T) {
				var r io.Reader = strings.NewReader(tt.in)
				if one {
					r = iotest.OneByteReader(r) // lines cut across reads
				}
				got, err := io.ReadAll(LimitLines(r, 5))
				var le *LongLineError
				switch {
				case tt.line == 0 && err != nil:
					t.Errorf("error %v", err)
				case tt.line != 0 && (!errors.As(err, &le) || le.Line != tt.line || le.Max != 5):
					t.Errorf("error %v, want line %d", err, tt.line)
				}
				if tt.line == 0 && string(got) != tt.out || tt.line != 0 && !strings.HasPrefix(string(got), tt.out) || strings.Contains(string(got)[len(tt.out):], "\n") {
					t.Errorf("read %q, want %q", got, tt.out)
				}
			})
		}
	}
}

// TestLimitRows: a reader that tells the limit where each row ends
// (RowsRead) reads rows of any number of short lines up to the limit, and
// a row longer than that — a quoted cell of many lines, a quote left
// open — fails with a LongLineError naming the line before it, having
// passed no more than the limit, the slack and one buffer.
func TestLimitRows(t *testing.T) {
	const max = 1000
	many := func(s string, n int) string { return strings.Repeat(s, n) }
	tests := []struct {
		name, in string
		rows     int
		line     int // of the LongLineError, 0 for none
	}{
		{"OK_many_short_rows", many("a,b\n", 100000), 100000, 0},
		{"OK_quoted_cell_of_lines_under_the_limit", "a,b\n\"" + many("x\n", max/4) + "\",b\na,b\n", 3, 0},
		{"quoted_cell_of_short_lines_over_the_limit", "a,b\na,b\n\"" + many("x\n", RowSlack) + "\",b\na,b\n", 2, 2},
		{"quote_left_open", "a,b\n\"a,b\n" + many("a,b\n", RowSlack), 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &countReader{r: strings.NewReader(tt.in)}
			lim := LimitLines(src, max)
			cr := csv.NewReader(bufio.NewReaderSize(lim, 64<<10))
			rows := 0
			var err error
			for {
				var rec []string
				if rec, err = cr.Read(); err != nil {
					break
				}
				rows++
				line, _ := cr.FieldPos(len(rec) - 1)
				lim.RowsRead(cr.InputOffset(), line+strings.Count(rec[len(rec)-1], "\n"))
			}
			var le *LongLineError
			switch {
			case tt.line == 0 && err != io.EOF:
				t.Errorf("error %v", err)
			case tt.line != 0 && (!errors.As(err, &le) || !le.Row || le.Line != tt.line):
				t.Errorf("error %v, want the row after line %d", err, tt.line)
			}
			if rows != tt.rows {
				t.Errorf("%d rows, want %d", rows, tt.rows)
			}
			if tt.line != 0 && src.n > max+2*RowSlack+64<<10 {
				t.Errorf("%d bytes read for a row limit of %d", src.n, max)
			}
		})
	}
}

type countReader struct {
	r io.Reader
	n int
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestCRLines: a file whose first line ends with a carriage return alone
// has its carriage returns read as line feeds; one whose first line ends
// with LF or CRLF is read as it is, a lone CR in a cell included.
func TestCRLines(t *testing.T) {
	tests := []struct{ name, in, out string }{
		{"CROnly", "a,b\r1,2\r3,4\r", "a,b\n1,2\n3,4\n"},
		{"CROnlyNoLastEnd", "a,b\r1,2", "a,b\n1,2"},
		{"LF", "a,b\n1,\"x\ry\"\n", "a,b\n1,\"x\ry\"\n"},
		{"LFThenCRAlone", "a,b\n1,2\r3,4\n5,6\r", "a,b\n1,2\n3,4\n5,6\n"},
		{"CRLFThenCRAlone", "a,b\r\n1,2\r3,4\r\n", "a,b\r\n1,2\n3,4\r\n"},
		{"CRAloneInQuotesKept", "a,b\n1,\"x\ry\"\"\r\"\r3,4\n", "a,b\n1,\"x\ry\"\"\r\"\n3,4\n"},
		{"CRLF", "a,b\r\n1,2\r\n", "a,b\r\n1,2\r\n"},
		{"OneLine", "a,b", "a,b"},
		{"OneLineEndingInCR", "a,b\r", "a,b\n"}, // the same row to encoding/csv
		{"Empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := io.ReadAll(iotest.OneByteReader(CRLines(strings.NewReader(tt.in))))
			if err != nil || string(b) != tt.out {
				t.Fatalf("got %q (%v), want %q", b, err, tt.out)
			}
		})
	}
}
