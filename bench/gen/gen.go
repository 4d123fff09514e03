// SPDX-License-Identifier: AGPL-3.0-or-later

// Package gen writes synthetic files in the CTDC Global Dataset (Nov 2017)
// CSV format, drawn from the real file's distributions, for benchmarks.
//
// The real file is read at run time (it may not be redistributed and is
// never copied into the repository). Each generated row is built the
// following way:
//
//   - the key tuple (yearOfRegistration, Datasource, gender, ageBroad,
//     majorityStatus) is copied from a real row drawn uniformly, so the
//     tuple follows the observed joint distribution;
//   - every other block of related columns (majority at exploitation and
//     entry; citizenship with country of exploitation; the means of
//     control; the types of exploitation with the labour and sex
//     sub-types; abduction; the recruiter relationship with its flags) is
//     copied from another real row drawn uniformly among the rows that
//     share the same key tuple.
//
// So every column keeps its observed marginal distribution (each value's
// expected frequency equals its frequency in the real file), the columns of
// a block stay consistent with each other (isSexAndLabour with
// isForcedLabour, RecruiterRelationship with its flags), each block keeps
// its dependence on year, source, gender and age, and every cell is a value
// observed in the same column of the real file. Blocks are independent of
// each other given the key. The output is deterministic for a seed.
package gen

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// RealFile is the name of the CTDC Global Dataset file in the shared folder.
const RealFile = "The Global Dataset 27 Nov 2017_0 - recovered.csv"

// SharedDir is where the CTDC files live relative to the repository root.
const SharedDir = "../shared/data/ctdc"

// KeyColumns are drawn jointly, as one tuple, from the real rows.
var KeyColumns = []string{"yearOfRegistration", "Datasource", "gender", "ageBroad", "majorityStatus"}

// blockOf names the block of a column; columns of a block are copied
// together from one real row with the same key. Columns not listed form a
// block of their own.
func blockOf(col string) string {
	switch {
	case col == "majorityStatusAtExploit" || col == "majorityEntry":
		return "majority"
	case col == "citizenship" || col == "CountryOfExploitation":
		return "geography"
	case strings.HasPrefix(col, "meansOfControl"):
		return "control"
	case col == "isAbduction":
		return "abduction"
	case strings.HasPrefix(col, "is"), strings.HasPrefix(col, "typeOfLabour"), strings.HasPrefix(col, "typeOfSex"):
		return "exploitation"
	case col == "RecruiterRelationship" || strings.HasPrefix(col, "recruiterRelation"):
		return "recruiter"
	}
	return "column:" + col
}

// DefaultRealPath returns the path of the real CTDC file: SharedDir beside
// the repository root, found by walking up from the working directory to
// the directory that holds go.mod.
func DefaultRealPath() string {
	dir, err := os.Getwd()
	if err != nil {
		return filepath.Join(SharedDir, RealFile)
	}
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, SharedDir, RealFile)
		}
		parent := filepath.Dir(d)
		if parent == d {
			return filepath.Join(SharedDir, RealFile)
		}
		d = parent
	}
}

// Model holds the real file's rows, encoded per column as value numbers,
// and the blocks and key groups used to draw new rows.
type Model struct {
	Header []string
	values [][]string // values[col] = distinct values, in order of first appearance
	enc    [][][]byte // enc[col][v] = the value as a CSV field
	rows   [][]uint16 // rows[r][col] = value number
	group  []int32    // group[r] = key group of row r
	groups [][]int32  // rows of each key group
	keyCol []int      // columns of the key tuple
	blocks [][]int    // columns of every other block
}

// LoadFile reads the real CTDC file at path.
func LoadFile(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Load reads a CTDC Global Dataset CSV: a header and at least one row.
func Load(r io.Reader) (*Model, error) {
	cr := csv.NewReader(bufio.NewReaderSize(r, 1<<20))
	cr.ReuseRecord = true
	hdr, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("reading the header: %w", err)
	}
	m := &Model{Header: append([]string(nil), hdr...)}
	m.Header[0] = strings.TrimPrefix(m.Header[0], "\uFEFF")
	ncol := len(m.Header)
	m.values = make([][]string, ncol)
	m.enc = make([][][]byte, ncol)
	index := make([]map[string]uint16, ncol)
	for i := range index {
		index[i] = map[string]uint16{}
	}
	pos := map[string]int{}
	for i, h := range m.Header {
		if _, dup := pos[h]; dup {
			return nil, fmt.Errorf("column %q appears twice in the header", h)
		}
		pos[h] = i
	}
	for _, k := range KeyColumns {
		i, ok := pos[k]
		if !ok {
			return nil, fmt.Errorf("column %q is missing: not a CTDC Global Dataset file", k)
		}
		m.keyCol = append(m.keyCol, i)
	}
	byName := map[string]int{}
	for i, h := range m.Header {
		if isKey(h) {
			continue
		}
		b := blockOf(h)
		n, ok := byName[b]
		if !ok {
			n = len(m.blocks)
			byName[b] = n
			m.blocks = append(m.blocks, nil)
		}
		m.blocks[n] = append(m.blocks[n], i)
	}
	keyGroup := map[string]int32{}
	var kb strings.Builder
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(rec) != ncol {
			return nil, fmt.Errorf("line %d has %d fields, the header %d", line, len(rec), ncol)
		}
		row := make([]uint16, ncol)
		for i, v := range rec {
			id, ok := index[i][v]
			if !ok {
				if len(m.values[i]) == 1<<16-1 {
					return nil, fmt.Errorf("column %q has too many distinct values", m.Header[i])
				}
				id = uint16(len(m.values[i]))
				index[i][v] = id
				m.values[i] = append(m.values[i], v)
				m.enc[i] = append(m.enc[i], csvField(v))
			}
			row[i] = id
		}
		kb.Reset()
		for _, c := range m.keyCol {
			kb.WriteString(rec[c])
			kb.WriteByte(0)
		}
		g, ok := keyGroup[kb.String()]
		if !ok {
			g = int32(len(m.groups))
			keyGroup[kb.String()] = g
			m.groups = append(m.groups, nil)
		}
		m.groups[g] = append(m.groups[g], int32(len(m.rows)))
		m.group = append(m.group, g)
		m.rows = append(m.rows, row)
	}
	if len(m.rows) == 0 {
		return nil, errors.New("the file has no data rows")
	}
	return m, nil
}

func isKey(col string) bool {
	for _, k := range KeyColumns {
		if k == col {
			return true
		}
	}
	return false
}

// csvField quotes a value when CSV needs it.
func csvField(v string) []byte {
	if v == "" || !strings.ContainsAny(v, ",\"\r\n") && v[0] != ' ' && v[len(v)-1] != ' ' {
		return []byte(v)
	}
	return []byte(`"` + strings.ReplaceAll(v, `"`, `""`) + `"`)
}

// Rows is the number of real rows the model was built from.
func (m *Model) Rows() int { return len(m.rows) }

// KeyGroups is the number of distinct key tuples.
func (m *Model) KeyGroups() int { return len(m.groups) }

// Blocks returns the column names of each block, the key first.
func (m *Model) Blocks() [][]string {
	names := func(cols []int) []string {
		out := make([]string, len(cols))
		for i, c := range cols {
			out[i] = m.Header[c]
		}
		return out
	}
	out := [][]string{names(m.keyCol)}
	for _, b := range m.blocks {
		out = append(out, names(b))
	}
	return out
}

// Frequencies returns how often each value occurs in column col of the
// real file.
func (m *Model) Frequencies(col int) map[string]int {
	out := make(map[string]int, len(m.values[col]))
	for _, r := range m.rows {
		out[m.values[col][r[col]]]++
	}
	return out
}

// Write writes the header and n rows drawn with the given seed. The same
// model, n and seed always give the same bytes.
func (m *Model) Write(w io.Writer, n int, seed uint64) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	for i, h := range m.Header {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.Write(csvField(h))
	}
	bw.WriteByte('\n')
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	src := make([]int32, len(m.Header)) // real row each column is copied from
	nrows := uint32(len(m.rows))
	for range n {
		r0 := int32(rng.Uint32N(nrows))
		for _, c := range m.keyCol {
			src[c] = r0
		}
		g := m.groups[m.group[r0]]
		for _, b := range m.blocks {
			r := g[rng.Uint32N(uint32(len(g)))]
			for _, c := range b {
				src[c] = r
			}
		}
		for c, r := range src {
			if c > 0 {
				bw.WriteByte(',')
			}
			bw.Write(m.enc[c][m.rows[r][c]])
		}
		if err := bw.WriteByte('\n'); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteFile writes n rows to path (created or truncated).
func (m *Model) WriteFile(path string, n int, seed uint64) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if err := m.Write(f, n, seed); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
