// SPDX-License-Identifier: AGPL-3.0-or-later

package gen

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

// realModel loads the real CTDC file from ../shared beside the repository.
// Without it the test is skipped, except under CI=true, where it fails.
func realModel(t *testing.T) (*Model, []byte) {
	t.Helper()
	path := DefaultRealPath()
	b, err := os.ReadFile(path)
	if err != nil {
		msg := "CTDC data file not available: " + path + " (" + err.Error() + "); the shared folder must sit beside the repository as ../shared"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	m, err := Load(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return m, b
}

func generate(t *testing.T, m *Model, n int, seed uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := m.Write(&buf, n, seed); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readAll(t *testing.T, b []byte) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestHeaderIsTheRealOne(t *testing.T) {
	m, real := realModel(t)
	wantLine, _, _ := bytes.Cut(real, []byte("\n"))
	out := generate(t, m, 10, 1)
	gotLine, _, _ := bytes.Cut(out, []byte("\n"))
	if !bytes.Equal(gotLine, bytes.TrimSuffix(wantLine, []byte("\r"))) {
		t.Fatalf("header differs:\n got %s\nwant %s", gotLine, wantLine)
	}
	if len(m.Header) != 58 {
		t.Fatalf("the Global Dataset has 58 columns, the model %d", len(m.Header))
	}
	if recs := readAll(t, out); len(recs) != 11 {
		t.Fatalf("got %d records, want header + 10", len(recs))
	}
}

func TestDeterministic(t *testing.T) {
	m, _ := realModel(t)
	a, b := generate(t, m, 2000, 42), generate(t, m, 2000, 42)
	if !bytes.Equal(a, b) {
		t.Fatal("the same seed gave different files")
	}
	if c := generate(t, m, 2000, 43); bytes.Equal(a, c) {
		t.Fatal("different seeds gave the same file")
	}
	// A shorter run with the same seed is a prefix of a longer one.
	if p := generate(t, m, 500, 42); !bytes.HasPrefix(a, p) {
		t.Fatal("500 rows are not the first 500 of 2000 with the same seed")
	}
}

func TestValuesObservedAndBlocksKept(t *testing.T) {
	m, real := realModel(t)
	realRecs := readAll(t, real)
	observed := make([]map[string]int, len(m.Header))
	for i := range observed {
		observed[i] = map[string]int{}
	}
	// Every (key, block) combination of the real file.
	blockSeen := map[string]bool{}
	blocks := m.Blocks()
	colOf := map[string]int{}
	for i, h := range m.Header {
		colOf[h] = i
	}
	blockKey := func(rec []string, b []string) string {
		var k strings.Builder
		for _, c := range blocks[0] {
			k.WriteString(rec[colOf[c]] + "\x00")
		}
		for _, c := range b {
			k.WriteString(rec[colOf[c]] + "\x00")
		}
		return k.String()
	}
	for _, r := range realRecs[1:] {
		for i, v := range r {
			observed[i][v]++
		}
		for _, b := range blocks[1:] {
			blockSeen[blockKey(r, b)] = true
		}
	}
	const n = 20000
	recs := readAll(t, generate(t, m, n, 7))
	if len(recs) != n+1 {
		t.Fatalf("got %d rows, want %d", len(recs)-1, n)
	}
	got := make([]map[string]int, len(m.Header))
	for i := range got {
		got[i] = map[string]int{}
	}
	for _, r := range recs[1:] {
		for i, v := range r {
			if _, ok := observed[i][v]; !ok {
				t.Fatalf("column %s: value %q never occurs in the real file", m.Header[i], v)
			}
			got[i][v]++
		}
		for _, b := range blocks[1:] {
			if !blockSeen[blockKey(r, b)] {
				t.Fatalf("block %v with key %v: combination never occurs in the real file", b, r[:5])
			}
		}
	}
	// Marginals: a value's share may differ from the real one by a few
	// standard errors only (binomial, n = 20000).
	realN := float64(len(realRecs) - 1)
	for _, col := range []string{"yearOfRegistration", "Datasource", "gender", "citizenship", "isForcedLabour", "isSexualExploit", "CountryOfExploitation"} {
		i := colOf[col]
		for v, c := range observed[i] {
			p := float64(c) / realN
			q := float64(got[i][v]) / n
			se := math.Sqrt(p * (1 - p) / n)
			if math.Abs(p-q) > 5*se+1e-4 {
				t.Errorf("%s=%q: real share %.4f, generated %.4f (more than 5 standard errors apart)", col, v, p, q)
			}
		}
	}
	if f := m.Frequencies(colOf["Datasource"]); f["Case Management"]+f["Hotline"] != m.Rows() {
		t.Errorf("Datasource frequencies %v do not add up to %d rows", f, m.Rows())
	}
	if !slices.Equal(blocks[0], KeyColumns) {
		t.Errorf("key block %v, want %v", blocks[0], KeyColumns)
	}
}

func TestCSVField(t *testing.T) {
	for in, want := range map[string]string{"": "", "a": "a", "Friend;Family": "Friend;Family", "a,b": `"a,b"`, `say "x"`: `"say ""x"""`, " a": `" a"`} {
		if got := string(csvField(in)); got != want {
			t.Errorf("csvField(%q) = %s, want %s", in, got, want)
		}
	}
}
