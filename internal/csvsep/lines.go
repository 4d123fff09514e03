// SPDX-License-Identifier: AGPL-3.0-or-later

package csvsep

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// LongLineError is returned by a LimitLines reader once a line is longer
// than its limit. Line is the line's number (the first is 1).
type LongLineError struct{ Line, Max int }

func (e *LongLineError) Error() string {
	return fmt.Sprintf("line %d is longer than %d bytes", e.Line, e.Max)
}

// LimitLines passes r through until a line grows longer than max bytes,
// then fails with a *LongLineError. It never passes the end of that line,
// so that a CSV reader reads every row before it and never holds a line
// longer than max (plus its buffer) in memory: encoding/csv reads a line
// whole, however long (a damaged or sparse file).
func LimitLines(r io.Reader, max int) io.Reader {
	return &lineLimit{r: r, max: max, line: 1}
}

type lineLimit struct {
	r    io.Reader
	max  int
	run  int // bytes of the current line so far
	line int // the current line's number
	err  error
}

func (l *lineLimit) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for off := 0; off < n; {
		i := bytes.IndexByte(p[off:n], '\n')
		end := n
		if i >= 0 {
			end = off + i
		}
		if l.run+end-off > l.max {
			// Pass the lines before this one, never the end of this one.
			l.err = &LongLineError{Line: l.line, Max: l.max}
			if off == 0 {
				return 0, l.err
			}
			return off, nil
		}
		if i < 0 {
			l.run += end - off
			break
		}
		l.run, l.line, off = 0, l.line+1, end+1
	}
	return n, err
}

// CRLines reads a file whose lines end with a carriage return alone — a
// classic Mac OS line end, which Excel for Mac still writes for « CSV
// (Macintosh) » — as lines ending with a line feed; encoding/csv knows
// no such line end and read the whole file as one row. The first line
// end tells: a file whose first line ends with LF or CRLF is passed
// through as it is, so that a carriage return alone in one of its cells
// stays there.
func CRLines(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(64 << 10)
	i := bytes.IndexAny(head, "\r\n")
	if i < 0 || head[i] == '\n' || i+1 == len(head) || head[i+1] == '\n' {
		return br
	}
	return &crToLF{r: br}
}

type crToLF struct{ r io.Reader }

func (c *crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}
