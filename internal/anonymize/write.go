// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// HeaderMode chooses the names written on the first line.
type HeaderMode int

const (
	// HeaderCTDC writes the CTDC Global Dataset's column names
	// (yearOfRegistration,Datasource,gender,ageBroad,…).
	HeaderCTDC HeaderMode = iota
	// HeaderHTCDS writes HTCDS identifiers (prs_Gender, vig_AgeBand,
	// vic_MethodsOfControl:DebtBondage…); cells keep the CTDC coding.
	HeaderHTCDS
)

// WriteCTDC writes the release as CSV: the header, then every released
// row in input order, its quasi-identifiers replaced by its class's
// values. Suppressed rows and columns outside the allow-list are not
// written.
func WriteCTDC(w io.Writer, r *Result, mode HeaderMode) error {
	hdr := r.Header(mode == HeaderHTCDS)
	for i, h := range hdr {
		hdr[i] = csvQuote(h)
	}
	if _, err := io.WriteString(w, strings.Join(hdr, ",")+"\n"); err != nil {
		return err
	}
	e := r.encoder()
	// Blocks of rows are encoded in parallel, a round at a time, and
	// written in order.
	const block = 1 << 14
	workers := runtime.GOMAXPROCS(0)
	bufs := make([][]byte, 2*workers)
	n := r.Input.Len()
	for base := 0; base < n; base += block * len(bufs) {
		var wg sync.WaitGroup
		for i := range bufs {
			lo := base + i*block
			if lo >= n {
				bufs[i] = bufs[i][:0]
				continue
			}
			wg.Go(func() { bufs[i] = e.rows(bufs[i][:0], lo, min(lo+block, n)) })
		}
		wg.Wait()
		for _, b := range bufs {
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
	}
	return nil
}

// encoder holds every cell already quoted, with its comma: a cell is one
// of a few values.
type encoder struct {
	r      *Result
	enc    [][][]byte // enc[i][code] of released column i
	isQI   []int      // quasi-identifier of released column i, or -1
	labels [][][]byte // labels[class][q]
}

func (r *Result) encoder() *encoder {
	t := r.Input
	e := &encoder{r: r, enc: make([][][]byte, len(r.out)), isQI: make([]int, len(r.out))}
	for i, c := range r.out {
		e.isQI[i] = -1
		e.enc[i] = make([][]byte, len(t.dict[c]))
		for d, v := range t.dict[c] {
			e.enc[i][d] = []byte(csvQuote(v) + ",")
		}
	}
	for q, o := range r.qiOut {
		e.isQI[o] = q
	}
	e.labels = make([][][]byte, len(r.classes))
	for c, cl := range r.classes {
		e.labels[c] = make([][]byte, len(cl.Labels))
		for q, l := range cl.Labels {
			e.labels[c][q] = []byte(csvQuote(l) + ",")
		}
	}
	return e
}

// rows appends the released rows among lo..hi-1 to dst.
func (e *encoder) rows(dst []byte, lo, hi int) []byte {
	r := e.r
	codes := r.Input.codes
	for row := lo; row < hi; row++ {
		c := r.class[row]
		if c < 0 {
			continue
		}
		for i, col := range r.out {
			if q := e.isQI[i]; q >= 0 {
				dst = append(dst, e.labels[c][q]...)
			} else {
				dst = append(dst, e.enc[i][codes[col][row]]...)
			}
		}
		dst[len(dst)-1] = '\n'
	}
	return dst
}

// csvQuote quotes a value when CSV needs it.
func csvQuote(v string) string {
	if v == "" || !strings.ContainsAny(v, ",\"\r\n") && v[0] != ' ' && v[len(v)-1] != ' ' {
		return v
	}
	return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
}

// ReleasedTable returns the release as a table (the rows WriteCTDC writes,
// same columns, CTDC names), and for each of its rows the input row it
// comes from. The evaluator reads it like any other release.
func (r *Result) ReleasedTable() (*Table, []int32) {
	hdr := r.Header(false)
	t, _ := NewTable(hdr) // allow-listed names are distinct
	in := r.Input
	isQI := make([]int, len(r.out))
	for i := range isQI {
		isQI[i] = -1
	}
	for q, o := range r.qiOut {
		isQI[o] = q
	}
	n := r.Released()
	for i := range t.codes {
		t.codes[i] = make([]uint16, 0, n)
	}
	// Dictionaries: input values for plain columns, class labels for
	// quasi-identifiers.
	labelCode := make([][]uint16, len(r.qiOut))
	for q := range r.qiOut {
		labelCode[q] = make([]uint16, len(r.classes))
		for c, cl := range r.classes {
			labelCode[q][c], _ = t.encode(r.qiOut[q], cl.Labels[q])
		}
	}
	for i, col := range r.out {
		if isQI[i] < 0 {
			for _, v := range in.dict[col] {
				t.encode(i, v)
			}
		}
	}
	rowOf := make([]int32, 0, n)
	for row := range in.Len() {
		c := r.class[row]
		if c < 0 {
			continue
		}
		for i, col := range r.out {
			if q := isQI[i]; q >= 0 {
				t.codes[i] = append(t.codes[i], labelCode[q][c])
			} else {
				t.codes[i] = append(t.codes[i], in.codes[col][row])
			}
		}
		rowOf = append(rowOf, int32(row))
	}
	t.rows = len(rowOf)
	return t, rowOf
}

// WriteCTDCSorted is WriteCTDC with the rows sorted. WriteCTDC keeps the
// input's order, and so whatever that order tells: a database's index
// order (province, agency, date), or a file sorted on a column that is
// not released, places a generalised row among those of its original
// value and keeps each group together. Sorted (bytewise, by the written
// line), the file depends only on the multiset of released rows. A
// release repeats a few thousand distinct rows: each is written once to
// a buffer, the distinct lines sorted, and each written as many times as
// it came.
func WriteCTDCSorted(w io.Writer, r *Result, mode HeaderMode) error {
	hdr := r.Header(mode == HeaderHTCDS)
	for i, h := range hdr {
		hdr[i] = csvQuote(h)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if _, err := bw.WriteString(strings.Join(hdr, ",") + "\n"); err != nil {
		return err
	}
	// A row's content is its class and the codes of its other columns.
	var plain []int
	for i, col := range r.out {
		if !slices.Contains(r.qiCol, col) {
			plain = append(plain, i)
		}
	}
	codes := r.Input.codes
	count := map[string]int{}
	first := map[string]int{}
	key := make([]byte, 4+2*len(plain))
	for row := range r.Input.Len() {
		c := r.class[row]
		if c < 0 {
			continue
		}
		binary.LittleEndian.PutUint32(key, uint32(c))
		for j, i := range plain {
			binary.LittleEndian.PutUint16(key[4+2*j:], codes[r.out[i]][row])
		}
		if n, ok := count[string(key)]; ok {
			count[string(key)] = n + 1
			continue
		}
		count[string(key)] = 1
		first[string(key)] = row
	}
	e := r.encoder()
	type line struct {
		text []byte
		n    int
	}
	lines := make([]line, 0, len(count))
	for k, n := range count {
		lines = append(lines, line{e.rows(nil, first[k], first[k]+1), n})
	}
	slices.SortFunc(lines, func(a, b line) int { return bytes.Compare(a.text, b.text) })
	for _, l := range lines {
		for range l.n {
			if _, err := bw.Write(l.text); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}
