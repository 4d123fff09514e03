// SPDX-License-Identifier: AGPL-3.0-or-later

package csvsep

import (
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

// TestCRLines: a file whose first line ends with a carriage return alone
// has its carriage returns read as line feeds; one whose first line ends
// with LF or CRLF is read as it is, a lone CR in a cell included.
func TestCRLines(t *testing.T) {
	tests := []struct{ name, in, out string }{
		{"CROnly", "a,b\r1,2\r3,4\r", "a,b\n1,2\n3,4\n"},
		{"CROnlyNoLastEnd", "a,b\r1,2", "a,b\n1,2"},
		{"LF", "a,b\n1,\"x\ry\"\n", "a,b\n1,\"x\ry\"\n"},
		{"CRLF", "a,b\r\n1,2\r\n", "a,b\r\n1,2\r\n"},
		{"OneLine", "a,b", "a,b"},
		{"OneLineEndingInCR", "a,b\r", "a,b\r"},
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
