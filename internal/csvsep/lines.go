// SPDX-License-Identifier: AGPL-3.0-or-later

package csvsep

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// LongLineError is returned by a LimitLines reader once a line is longer
// than its limit. Line is the line's number (the first is 1). Row says
// that the limit was passed by a row that spans lines (see
// Limit.RowsRead): Line is then the last line of the row before it.
type LongLineError struct {
	Line, Max int
	Row       bool
}

func (e *LongLineError) Error() string {
	if e.Row {
		return fmt.Sprintf("the row after line %d is longer than %d bytes (a quoted cell that holds line ends, or a quote left open)", e.Line, e.Max)
	}
	return fmt.Sprintf("line %d is longer than %d bytes", e.Line, e.Max)
}

// French is Error in French, for messages that say it in both languages.
func (e *LongLineError) French() string {
	if e.Row {
		return fmt.Sprintf("la ligne qui suit la ligne %d dépasse %d octets (une cellule entre guillemets qui contient des fins de ligne, ou un guillemet resté ouvert)", e.Line, e.Max)
	}
	return fmt.Sprintf("la ligne %d dépasse %d octets", e.Line, e.Max)
}

// LongLineFrench is err's French text when err is a *LongLineError, else
// its own text.
func LongLineFrench(err error) string {
	var le *LongLineError
	if errors.As(err, &le) {
		return le.French()
	}
	return err.Error()
}

// LimitLines passes r through until a line grows longer than max bytes,
// then fails with a *LongLineError. It never passes the end of that line,
// so that a CSV reader reads every row before it and never holds a line
// longer than max (plus its buffer) in memory: encoding/csv reads a line
// whole, however long (a damaged or sparse file).
//
// A row of a CSV file may span lines (a quoted cell holding line ends),
// and a quote left open joins every line after it into one row: a reader
// that calls RowsRead after each row is bounded by rows as well.
func LimitLines(r io.Reader, max int) *Limit {
	return &Limit{r: r, max: max, line: 1}
}

// Limit is the reader LimitLines returns.
type Limit struct {
	r    io.Reader
	max  int
	run  int // bytes of the current line so far
	line int // the current line's number
	err  error

	rows     bool  // RowsRead was called: rows are bounded too
	passed   int64 // bytes passed
	rowStart int64 // offset of the first byte after the last whole row
	rowLine  int   // the line that row ended on
}

// RowSlack is what a row may pass its limit by before Read fails: the
// bytes a buffer in front of the Limit has read ahead (bufio's 64 KiB).
const RowSlack = 64 << 10

// RowsRead tells l that the CSV reader in front of it has read every byte
// before off (counted from the first byte l passed) into whole rows, the
// last of which ended on line. From then on, once more than max bytes
// plus RowSlack have passed after off without another call, Read fails
// with a *LongLineError (Row set) naming line: encoding/csv holds a row
// whole in memory, and a quote left open near the top of a large file
// made it hold all the rest of the file (232 MB for a 45 MB CTDC file),
// however short its lines.
func (l *Limit) RowsRead(off int64, line int) {
	l.rows, l.rowStart, l.rowLine = true, off, line
}

// ReadRow reads a row from cr, which reads through l (skipped bytes, a
// byte order mark, were discarded between them), and tells l where the
// row ended, so that a row that spans lines (a quote left open) is
// bounded as a line is.
func (l *Limit) ReadRow(cr *csv.Reader, skipped int64) ([]string, error) {
	rec, err := cr.Read()
	var pe *csv.ParseError
	switch {
	case err == nil:
		line, _ := cr.FieldPos(len(rec) - 1)
		l.RowsRead(skipped+cr.InputOffset(), line+strings.Count(rec[len(rec)-1], "\n"))
	case errors.As(err, &pe):
		l.RowsRead(skipped+cr.InputOffset(), pe.Line)
	}
	return rec, err
}

func (l *Limit) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if l.rows && l.passed-l.rowStart > int64(l.max)+RowSlack {
		l.err = &LongLineError{Line: l.rowLine, Max: l.max, Row: true}
		return 0, l.err
	}
	n, err := l.readLines(p)
	l.passed += int64(n)
	return n, err
}

// readLines reads from l.r, never past the end of a line longer than max.
func (l *Limit) readLines(p []byte) (int, error) {
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
// end tells: in a file whose first line ends with LF or CRLF, a carriage
// return alone outside quotes is read as a line end too (a file pasted
// together from a Mac file and another, as Python's csv module, Excel and
// LibreOffice read it) — encoding/csv joined the two lines into one row,
// so that a valid row was reported as part of another with too many
// fields — while one inside a quoted cell stays there.
func CRLines(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(64 << 10)
	i := bytes.IndexAny(head, "\r\n")
	if i < 0 || head[i] == '\n' || i+1 == len(head) || head[i+1] == '\n' {
		return &loneCR{r: br}
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

// loneCR reads a carriage return that is not followed by a line feed and
// is outside quotes as a line feed. Quotes are told by their parity, as
// RFC 4180 doubles a quote inside a quoted cell.
type loneCR struct {
	r      *bufio.Reader
	quoted bool
}

func (c *loneCR) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := 0; i < n; {
		j := bytes.IndexAny(p[i:n], "\"\r")
		if j < 0 {
			break
		}
		i += j
		if p[i] == '"' {
			c.quoted = !c.quoted
		} else if !c.quoted && !c.lfAfter(p[:n], i) {
			p[i] = '\n'
		}
		i++
	}
	return n, err
}

// lfAfter reports whether the byte after p[i] is a line feed, looking
// ahead in the file when p[i] is the last byte read.
func (c *loneCR) lfAfter(p []byte, i int) bool {
	if i+1 < len(p) {
		return p[i+1] == '\n'
	}
	next, err := c.r.Peek(1)
	return err == nil && next[0] == '\n'
}
