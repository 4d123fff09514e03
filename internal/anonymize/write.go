// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import (
	"bufio"
	"io"
	"strings"
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
	bw := bufio.NewWriterSize(w, 1<<20)
	for i, h := range r.Header(mode == HeaderHTCDS) {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString(csvQuote(h))
	}
	bw.WriteByte('\n')
	t := r.Input
	// Every cell is one of a few values: quote each once.
	enc := make([][][]byte, len(r.out))
	for i, c := range r.out {
		enc[i] = make([][]byte, len(t.dict[c]))
		for d, v := range t.dict[c] {
			enc[i][d] = []byte(csvQuote(v))
		}
	}
	isQI := make([]int, len(r.out))
	for i := range isQI {
		isQI[i] = -1
	}
	for q, o := range r.qiOut {
		isQI[o] = q
	}
	labels := make([][][]byte, len(r.classes))
	for c, cl := range r.classes {
		labels[c] = make([][]byte, len(cl.Labels))
		for q, l := range cl.Labels {
			labels[c][q] = []byte(csvQuote(l))
		}
	}
	for row := range t.Len() {
		c := r.class[row]
		if c < 0 {
			continue
		}
		for i, col := range r.out {
			if i > 0 {
				bw.WriteByte(',')
			}
			if q := isQI[i]; q >= 0 {
				bw.Write(labels[c][q])
				continue
			}
			bw.Write(enc[i][t.codes[col][row]])
		}
		if err := bw.WriteByte('\n'); err != nil {
			return err
		}
	}
	return bw.Flush()
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
