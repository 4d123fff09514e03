// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sync"
)

// ReadCSV reads a CSV file (RFC 4180: comma separated, fields optionally
// quoted with "" for a quote, LF or CRLF line ends, an optional UTF-8 BOM)
// whose first line is the header, into a Table.
//
// A release job reads a million rows of 58 columns: encoding/csv, which
// allocates every field, takes several seconds. Here the file is read
// whole, cut at line ends outside quotes into one part per core, and each
// part is parsed in place — fields are looked up without being copied or
// converted to strings — into its own dictionaries, merged at the end.
func ReadCSV(r io.Reader) (*Table, error) {
	var data []byte
	switch f := r.(type) {
	case *os.File:
		// Values are copied into the table's dictionaries, so the mapping
		// can go once parsed.
		if b, unmap, ok := mapFile(f); ok {
			defer unmap()
			return ParseCSV(b)
		}
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			data = make([]byte, 0, st.Size()+bytes.MinRead)
		}
	case interface{ Len() int }:
		data = make([]byte, 0, f.Len()+bytes.MinRead)
	}
	buf := bytes.NewBuffer(data)
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, err
	}
	return ParseCSV(buf.Bytes())
}

// ParseCSV is ReadCSV on bytes already in memory.
func ParseCSV(data []byte) (*Table, error) {
	return parseCSV(data, runtime.GOMAXPROCS(0), 1<<20)
}

// parseCSV parses in up to n parts of at least minPart bytes.
func parseCSV(data []byte, n, minPart int) (*Table, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	p := &csvParser{b: data}
	if p.pos == len(data) {
		return nil, errors.New("the file is empty: no header")
	}
	if err := p.record(); err != nil {
		return nil, fmt.Errorf("line 1: %w", err)
	}
	hdr := make([]string, len(p.fields))
	for i, f := range p.fields {
		hdr[i] = string(f)
	}
	t, err := NewTable(hdr)
	if err != nil {
		return nil, fmt.Errorf("line 1: %w", err)
	}
	body := data[p.pos:]
	parts := splitLines(body, n, minPart)
	tables := make([]*Table, len(parts))
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	line, start := 1+p.line, 0
	for i, part := range parts {
		lt := t
		if i > 0 {
			lt, _ = NewTable(hdr)
		}
		tables[i] = lt
		q := &csvParser{b: body[start:part], line: line, small: make([][]string, len(hdr))}
		line += bytes.Count(body[start:part], []byte{'\n'})
		start = part
		wg.Go(func() { errs[i] = q.rows(lt) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for _, lt := range tables[1:] {
		if err := t.appendTable(lt); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// splitLines cuts b into about n parts ending at line ends that are not
// inside a quoted field (an even number of quotes before them), and
// returns the end of each part. Small inputs make one part.
func splitLines(b []byte, n, minPart int) []int {
	if n < 1 || len(b) < 2*minPart {
		return []int{len(b)}
	}
	n = min(n, len(b)/minPart)
	var ends []int
	quotes, from := 0, 0
	for i := 1; i < n; i++ {
		at := len(b) * i / n
		if at <= from {
			continue
		}
		quotes += bytes.Count(b[from:at], []byte{'"'})
		from = at
		for from < len(b) {
			j := bytes.IndexByte(b[from:], '\n')
			if j < 0 {
				from = len(b)
				break
			}
			quotes += bytes.Count(b[from:from+j], []byte{'"'})
			from += j + 1
			if quotes%2 == 0 {
				ends = append(ends, from)
				break
			}
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(b) {
		ends = append(ends, len(b))
	}
	return ends
}

// span is where a field lies: in the input, or in the unescaped quoted
// fields.
type span struct {
	lo, hi int
	quoted bool
}

type csvParser struct {
	b      []byte
	pos    int
	line   int      // lines consumed before pos
	fields [][]byte // the cells of the last record, in b or in quoted
	spans  []span
	blank  bool       // the last record was an empty line
	small  [][]string // small[col] = the first values of the column, for lookups without a map
	quoted []byte     // unescaped quoted fields
}

// record splits the next record into fields: unquoted ones point into
// the input; quoted ones are unescaped into p.quoted.
func (p *csvParser) record() error {
	b := p.b
	i := p.pos
	p.spans = p.spans[:0]
	p.quoted = p.quoted[:0]
	p.blank = i < len(b) && (b[i] == '\n' || b[i] == '\r')
	lines := 1
	for {
		if i < len(b) && b[i] == '"' {
			i++
			at := len(p.quoted)
			for {
				j := bytes.IndexByte(b[i:], '"')
				if j < 0 {
					return errors.New("a quoted field is not closed")
				}
				lines += bytes.Count(b[i:i+j], []byte{'\n'})
				p.quoted = append(p.quoted, b[i:i+j]...)
				i += j + 1
				if i < len(b) && b[i] == '"' {
					p.quoted = append(p.quoted, '"')
					i++
					continue
				}
				break
			}
			if i < len(b) && b[i] != ',' && b[i] != '\n' && b[i] != '\r' {
				return errors.New("text after the closing quote of a field")
			}
			p.spans = append(p.spans, span{at, len(p.quoted), true})
		} else {
			j := i
			for j < len(b) {
				c := b[j]
				if c == ',' || c == '\n' || c == '\r' {
					break
				}
				if c == '"' {
					return errors.New(`a quote (") inside an unquoted field`)
				}
				j++
			}
			p.spans = append(p.spans, span{i, j, false})
			i = j
		}
		if i == len(b) {
			break
		}
		if b[i] == ',' {
			i++
			continue
		}
		if b[i] == '\r' {
			if i+1 == len(b) {
				i++ // a CR ends the input
				break
			}
			if b[i+1] != '\n' {
				return errors.New("a carriage return inside an unquoted field")
			}
			i++
		}
		i++ // '\n'
		break
	}
	// Fields point into the input, or into p.quoted once it has stopped
	// moving.
	p.fields = p.fields[:0]
	for _, sp := range p.spans {
		if sp.quoted {
			p.fields = append(p.fields, p.quoted[sp.lo:sp.hi])
		} else {
			p.fields = append(p.fields, b[sp.lo:sp.hi])
		}
	}
	p.pos = i
	p.line += lines
	return nil
}

// rows reads every record of p.b into t. Empty lines are skipped. Lines
// without quotes (nearly all) take a fast path that cuts and looks up
// fields in one pass; others go through record.
func (p *csvParser) rows(t *Table) error {
	ncol := len(t.columns)
	// One row per line, but for quoted line ends: allocate once.
	lines := bytes.Count(p.b[p.pos:], []byte{'\n'}) + 1
	// Cells are stored by index into columns sized for every line (no
	// append, no write barrier on 58 million cells), cut to the rows at
	// the end.
	base := t.rows
	for c := range t.codes {
		t.codes[c] = slices.Grow(t.codes[c], lines)[:base+lines]
	}
	defer func() {
		for c := range t.codes {
			t.codes[c] = t.codes[c][:t.rows]
		}
	}()
	for p.pos < len(p.b) {
		rest := p.b[p.pos:]
		line, next := rest, len(p.b)
		if nl := bytes.IndexByte(rest, '\n'); nl >= 0 {
			line, next = rest[:nl], p.pos+nl+1
		}
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		if bytes.IndexByte(line, '"') >= 0 || bytes.IndexByte(line, '\r') >= 0 {
			if err := p.slowRow(t); err != nil {
				return err
			}
			continue
		}
		p.pos = next
		p.line++
		if len(line) == 0 {
			continue
		}
		c, start, row, cols := 0, 0, t.rows, t.codes
		for i := 0; i <= len(line); i++ {
			if i < len(line) && line[i] != ',' {
				continue
			}
			if c == ncol {
				return fmt.Errorf("line %d: more fields than the header's %d", p.line, ncol)
			}
			code, err := p.lookup(t, c, line[start:i])
			if err != nil {
				return fmt.Errorf("line %d: %w", p.line, err)
			}
			cols[c][row] = code
			c++
			start = i + 1
		}
		if c != ncol {
			return fmt.Errorf("line %d: %d fields, the header has %d", p.line, c, ncol)
		}
		t.rows++
	}
	return nil
}

// slowRow reads one record that has quotes (or a stray carriage return).
func (p *csvParser) slowRow(t *Table) error {
	if err := p.record(); err != nil {
		return fmt.Errorf("line %d: %w", p.line+1, err)
	}
	if p.blank {
		return nil
	}
	if len(p.fields) != len(t.columns) {
		return fmt.Errorf("line %d: %d fields, the header has %d", p.line, len(p.fields), len(t.columns))
	}
	for c, v := range p.fields {
		code, err := p.lookup(t, c, v)
		if err != nil {
			return fmt.Errorf("line %d: %w", p.line, err)
		}
		t.codes[c][t.rows] = code
	}
	t.rows++
	return nil
}

// smallDict is the size up to which a column's values are compared one
// by one rather than hashed: years, age bands, most flags.
const smallDict = 16

// lookup finds the code of a cell: columns with few values (most CTDC
// columns have two to five) are compared directly, others go through the
// map, whose string(b) lookup does not allocate.
func (p *csvParser) lookup(t *Table, c int, v []byte) (uint16, error) {
	s := p.small[c]
	if len(s) == len(t.dict[c]) {
		for i, x := range s {
			if x == string(v) {
				return uint16(i), nil
			}
		}
	} else if code, ok := t.index[c][string(v)]; ok {
		return code, nil
	}
	code, err := t.encode(c, string(v))
	if err != nil {
		return 0, err
	}
	if len(s) == int(code) && len(s) < smallDict {
		p.small[c] = append(s, t.dict[c][code])
	}
	return code, nil
}

// appendTable adds the rows of o (same header, its own dictionaries).
func (t *Table) appendTable(o *Table) error {
	for c := range t.columns {
		to := make([]uint16, len(o.dict[c]))
		for d, v := range o.dict[c] {
			code, err := t.encode(c, v)
			if err != nil {
				return err
			}
			to[d] = code
		}
		col := slices.Grow(t.codes[c], len(o.codes[c]))
		for _, d := range o.codes[c] {
			col = append(col, to[d])
		}
		t.codes[c] = col
	}
	t.rows += o.rows
	return nil
}
