// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// ReadCSV reads a CSV file (RFC 4180: comma separated, fields optionally
// quoted with "" for a quote, LF or CRLF line ends, an optional UTF-8 BOM)
// whose first line is the header, into a Table.
//
// It reads in fixed-size chunks and looks values up without converting
// them to strings, because a release job reads a million rows of 58
// columns: encoding/csv allocates every field and takes several seconds.
func ReadCSV(r io.Reader) (*Table, error) {
	p := &csvParser{r: r, buf: make([]byte, 0, 1<<20)}
	hdr, err := p.header()
	if err != nil {
		return nil, err
	}
	t, err := NewTable(hdr)
	if err != nil {
		return nil, fmt.Errorf("line 1: %w", err)
	}
	p.small = make([][][]byte, len(hdr))
	for {
		done, err := p.row(t)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", p.line, err)
		}
		if done {
			return t, nil
		}
	}
}

type csvParser struct {
	r     io.Reader
	buf   []byte
	pos   int
	eof   bool
	line  int
	small [][][]byte // small[col] = the first values of the column, for lookups without a map
	ends  []int
	cells []byte
	blank bool // the last record was an empty line
}

var errNeedMore = errors.New("need more input")

// fill moves the unread bytes to the front and reads more.
func (p *csvParser) fill() error {
	if p.eof {
		return io.EOF
	}
	n := copy(p.buf[:cap(p.buf)], p.buf[p.pos:])
	p.buf = p.buf[:n]
	p.pos = 0
	if n == cap(p.buf) {
		nb := make([]byte, n, 2*cap(p.buf))
		copy(nb, p.buf)
		p.buf = nb
	}
	m, err := p.r.Read(p.buf[n:cap(p.buf)])
	p.buf = p.buf[:n+m]
	if errors.Is(err, io.EOF) {
		p.eof = true
		return nil
	}
	return err
}

// record splits the next record into cells (unquoted, back to back in
// p.cells, ends in p.ends). It returns errNeedMore when the buffer ends
// inside the record and more input may follow.
func (p *csvParser) record() error {
	b := p.buf
	i := p.pos
	p.cells = p.cells[:0]
	p.ends = p.ends[:0]
	p.blank = i < len(b) && (b[i] == '\n' || b[i] == '\r')
	lines := 1
	for {
		if i < len(b) && b[i] == '"' {
			i++
			for {
				j := bytes.IndexByte(b[i:], '"')
				if j < 0 {
					if p.eof {
						return errors.New("a quoted field is not closed")
					}
					return errNeedMore
				}
				lines += bytes.Count(b[i:i+j], []byte{'\n'})
				p.cells = append(p.cells, b[i:i+j]...)
				i += j + 1
				if i == len(b) && !p.eof {
					return errNeedMore
				}
				if i < len(b) && b[i] == '"' {
					p.cells = append(p.cells, '"')
					i++
					continue
				}
				break
			}
			if i < len(b) && b[i] != ',' && b[i] != '\n' && b[i] != '\r' {
				return errors.New("text after the closing quote of a field")
			}
		} else {
			j := i
			for j < len(b) && b[j] != ',' && b[j] != '\n' && b[j] != '\r' {
				if b[j] == '"' {
					return errors.New(`a quote (") inside an unquoted field`)
				}
				j++
			}
			p.cells = append(p.cells, b[i:j]...)
			i = j
		}
		p.ends = append(p.ends, len(p.cells))
		if i == len(b) {
			if !p.eof {
				return errNeedMore
			}
			break
		}
		if b[i] == ',' {
			i++
			continue
		}
		if b[i] == '\r' {
			if i+1 == len(b) {
				if !p.eof {
					return errNeedMore
				}
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
	p.pos = i
	p.line += lines
	return nil
}

// next reads one record, refilling the buffer as needed. It returns
// io.EOF at the end of the input.
func (p *csvParser) next() error {
	for {
		if p.pos == len(p.buf) {
			if err := p.fill(); err != nil {
				return err
			}
			if p.pos == len(p.buf) {
				return io.EOF
			}
		}
		err := p.record()
		if !errors.Is(err, errNeedMore) {
			return err
		}
		if err := p.fill(); err != nil {
			return err
		}
	}
}

func (p *csvParser) header() ([]string, error) {
	if err := p.next(); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the file is empty: no header")
		}
		return nil, fmt.Errorf("line 1: %w", err)
	}
	hdr := make([]string, len(p.ends))
	start := 0
	for i, e := range p.ends {
		hdr[i] = string(p.cells[start:e])
		start = e
	}
	hdr[0] = string(bytes.TrimPrefix([]byte(hdr[0]), []byte("\uFEFF")))
	return hdr, nil
}

// row reads one data row into t; done at the end of the input. Empty
// lines are skipped.
func (p *csvParser) row(t *Table) (done bool, err error) {
	for {
		if err := p.next(); err != nil {
			if errors.Is(err, io.EOF) {
				return true, nil
			}
			return false, err
		}
		if p.blank {
			continue
		}
		break
	}
	if len(p.ends) != len(t.columns) {
		return false, fmt.Errorf("%d fields, the header has %d", len(p.ends), len(t.columns))
	}
	start := 0
	for c, e := range p.ends {
		code, err := p.lookup(t, c, p.cells[start:e])
		if err != nil {
			return false, err
		}
		t.codes[c] = append(t.codes[c], code)
		start = e
	}
	t.rows++
	return false, nil
}

// lookup finds the code of a cell: columns with few values (most CTDC
// columns have two to five) are compared byte by byte, others go through
// the map, whose string(b) lookup does not allocate.
func (p *csvParser) lookup(t *Table, c int, v []byte) (uint16, error) {
	s := p.small[c]
	if len(s) == len(t.dict[c]) {
		for i, x := range s {
			if bytes.Equal(x, v) {
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
	if len(s) == int(code) && len(s) < 8 {
		p.small[c] = append(s, []byte(t.dict[c][code]))
	}
	return code, nil
}
