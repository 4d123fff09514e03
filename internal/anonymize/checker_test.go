// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"vigie/internal/anonymize"
)

// The independent checker: what an outside reviewer would run on a
// release. It reads the written CSV file back with encoding/csv (not the
// package's reader), recomputes the manifest's figures from the file and
// the source by PRIVACY.md §4's definitions with code of its own (maps of
// strings, no shared helper of the evaluator), and plays an attacker who
// knows some victims' quasi-identifiers. Only the hierarchies' Covers is
// borrowed: it is the definition of what a released label means.

// checked is a release as the checker sees it.
type checked struct {
	src, rel       [][]string // rows, header first
	srcCol, relCol map[string]int
	qis            []string
	k              int
	suppressed     []bool // per source row, not released (from the run)
	hier           []*anonymize.Hierarchy
}

// labelIsNode reports whether v is a label of quasi-identifier i's
// hierarchy that stands for more than one value (a range, a region).
func (c *checked) labelIsNode(i int, v string) bool {
	h := c.hier[i]
	lo, hi, ok := h.Interval(v)
	return ok && hi > lo
}

func readBack(t testing.TB, data []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func colIndex(header []string) map[string]int {
	m := map[string]int{}
	for i, h := range header {
		m[h] = i
	}
	return m
}

// checkerFigures are the figures the checker recomputes.
type checkerFigures struct {
	records, classes, smallest, atRisk int
	suppressedRecords, suppressedCells int
	combinations                       int
	leakage                            []int
	suppressedPct, mae                 float64
	maeByLength                        []float64
	discernibility                     float64
	rarePct, recordsWithRarePct        float64
	// fabricated: combinations of the file absent from the source, with
	// a generalised label counting as no attribute (the manifest's
	// reading), and literally (every label an attribute).
	fabricatedPct, fabricatedLiteralPct float64
}

func absentValue(v string) bool { return v == "" || v == "-99" }

// combos lists the attribute combinations of length 1..3 of a row over
// the quasi-identifiers, as "col=value|col=value" strings; absent values
// are no attribute.
func combos(row []string, cols []int, names []string) []string {
	var attrs []string
	for i, c := range cols {
		if !absentValue(row[c]) {
			attrs = append(attrs, names[i]+"="+row[c])
		}
	}
	var out []string
	for a := range attrs {
		out = append(out, attrs[a])
		for b := a + 1; b < len(attrs); b++ {
			out = append(out, attrs[a]+"|"+attrs[b])
			for c := b + 1; c < len(attrs); c++ {
				out = append(out, attrs[a]+"|"+attrs[b]+"|"+attrs[c])
			}
		}
	}
	return out
}

func (c *checked) figures(t testing.TB) checkerFigures {
	t.Helper()
	var f checkerFigures
	rel, src := c.rel[1:], c.src[1:]
	rq := make([]int, len(c.qis))
	sq := make([]int, len(c.qis))
	for i, q := range c.qis {
		var ok1, ok2 bool
		rq[i], ok1 = c.relCol[q]
		sq[i], ok2 = c.srcCol[q]
		if !ok1 || !ok2 {
			t.Fatalf("quasi-identifier %s missing from the file or the source", q)
		}
	}
	f.records = len(rel)
	size := map[string]int{}
	for _, r := range rel {
		key := make([]string, len(rq))
		for i, c := range rq {
			key[i] = r[c]
		}
		size[strings.Join(key, "\x00")]++
	}
	f.classes = len(size)
	for _, s := range size {
		if f.smallest == 0 || s < f.smallest {
			f.smallest = s
		}
		if s < c.k {
			f.atRisk += s
		}
		f.discernibility += float64(s) * float64(s)
	}
	f.suppressedRecords = len(src) - len(rel)
	f.discernibility += float64(f.suppressedRecords) * float64(len(src))
	// Released rows are the source rows in order, suppressed ones left
	// out: line them up, and check the columns that are not
	// quasi-identifiers were written as they were (the alignment holds).
	next := 0
	for i, s := range src {
		if c.suppressed[i] {
			continue
		}
		if next >= len(rel) {
			t.Fatalf("fewer released rows than source rows not suppressed")
		}
		r := rel[next]
		next++
		for name, rc := range c.relCol {
			sc, ok := c.srcCol[name]
			if !ok {
				t.Fatalf("released column %s is not in the source", name)
			}
			if slices.Contains(c.qis, name) {
				continue
			}
			if r[rc] != s[sc] {
				t.Fatalf("source row %d, column %s: released %q, source %q", i, name, r[rc], s[sc])
			}
		}
		for q := range c.qis {
			if r[rq[q]] == "-99" && s[sq[q]] != "-99" {
				f.suppressedCells++
			}
		}
	}
	if next != len(rel) {
		t.Fatalf("%d released rows, %d source rows not suppressed", len(rel), next)
	}
	count := func(rows [][]string, cols []int) map[string]int {
		m := map[string]int{}
		for _, r := range rows {
			for _, x := range combos(r, cols, c.qis) {
				m[x]++
			}
		}
		return m
	}
	sens, syn := count(src, sq), count(rel, rq)
	f.combinations = len(sens)
	// A value of the file that no source row has in that column is a
	// generalised label (a range, a region) when the hierarchy has it as
	// a node, else a fabricated value.
	srcValues := make([]map[string]bool, len(sq))
	for i, col := range sq {
		srcValues[i] = map[string]bool{}
		for _, r := range src {
			srcValues[i][r[col]] = true
		}
	}
	var fabricated, fabricatedLiteral int
	for x := range syn {
		if _, ok := sens[x]; ok {
			continue
		}
		fabricatedLiteral++
		generalised := false
		for _, attr := range strings.Split(x, "|") {
			name, v, _ := strings.Cut(attr, "=")
			i := slices.Index(c.qis, name)
			if !srcValues[i][v] && c.labelIsNode(i, v) {
				generalised = true
			}
		}
		if !generalised {
			fabricated++
		}
	}
	rare := 0
	for _, n := range sens {
		if n < c.k {
			rare++
		}
	}
	withRare := 0
	for _, r := range src {
		for _, x := range combos(r, sq, c.qis) {
			if sens[x] < c.k {
				withRare++
				break
			}
		}
	}
	if len(sens) > 0 {
		f.rarePct = 100 * float64(rare) / float64(len(sens))
		f.fabricatedPct = 100 * float64(fabricated) / float64(len(sens))
		f.fabricatedLiteralPct = 100 * float64(fabricatedLiteral) / float64(len(sens))
	}
	if len(src) > 0 {
		f.recordsWithRarePct = 100 * float64(withRare) / float64(len(src))
	}
	f.leakage = make([]int, 3)
	f.maeByLength = make([]float64, 3)
	both := make([]int, 3)
	var missing, bothAll int
	var sum float64
	for x, s := range sens {
		l := strings.Count(x, "|")
		y := syn[x]
		if s < c.k && y > 0 && y < c.k {
			f.leakage[l]++
		}
		if y == 0 {
			missing++
			continue
		}
		d := math.Abs(float64(s - y))
		sum += d
		f.maeByLength[l] += d
		both[l]++
		bothAll++
	}
	if len(sens) > 0 {
		f.suppressedPct = 100 * float64(missing) / float64(len(sens))
	}
	if bothAll > 0 {
		f.mae = sum / float64(bothAll)
	}
	for l := range both {
		if both[l] > 0 {
			f.maeByLength[l] /= float64(both[l])
		}
	}
	return f
}

// attack plays an attacker who knows, for every released victim, the
// quasi-identifiers as recorded and whether the victim is a minor (what
// anyone knowing the age knows): the candidates are the released rows
// whose every label covers what the attacker knows. It returns the fewest
// candidates any released victim has, and how many victims have fewer
// than k.
func (c *checked) attack(t testing.TB, res *anonymize.Result) (fewest, exposed int) {
	t.Helper()
	rel, src := c.rel[1:], c.src[1:]
	known := slices.Clone(c.qis)
	// Whoever knows the age band knows whether the victim is a minor.
	_, hasMajority := c.relCol["majorityStatus"]
	ageKnown := slices.Contains(known, "ageBroad")
	if hasMajority && ageKnown && !slices.Contains(known, "majorityStatus") {
		known = append(known, "majorityStatus")
	}
	// And a minor now was a minor when exploited and on entry: for a
	// minor, a released row that says "Adult" there is not them. (For an
	// adult the attacker knows nothing of those columns.)
	implied := len(known)
	if hasMajority && ageKnown {
		for _, col := range []string{"majorityStatusAtExploit", "majorityEntry"} {
			if _, ok := c.relCol[col]; ok && !slices.Contains(known, col) {
				known = append(known, col)
			}
		}
	}
	hier := make([]*anonymize.Hierarchy, len(known))
	for i := range c.qis {
		hier[i] = res.Hierarchy(i)
	}
	covers := func(i int, label, value string) bool {
		switch {
		case hier[i] != nil:
			return hier[i].Covers(label, value)
		case i >= implied:
			return value != "Minor" || label != "Adult"
		}
		// majorityStatus: the value itself, or hidden.
		return label == value || absentValue(label) || absentValue(value)
	}
	majority := c.srcCol["majorityStatus"]
	// A released row's pattern is what it shows; a target's is what the
	// attacker knows (for the implied columns, its majority).
	pattern := func(row []string, col map[string]int, target bool) string {
		v := make([]string, len(known))
		for i, n := range known {
			if target && i >= implied {
				v[i] = row[majority]
			} else {
				v[i] = row[col[n]]
			}
		}
		return strings.Join(v, "\x00")
	}
	relCount := map[string]int{}
	for _, r := range rel {
		relCount[pattern(r, c.relCol, false)]++
	}
	targets := map[string]bool{}
	for i, s := range src {
		if !c.suppressed[i] {
			targets[pattern(s, c.srcCol, true)] = true
		}
	}
	fewest = math.MaxInt
	for tgt := range targets {
		tv := strings.Split(tgt, "\x00")
		n := 0
		for p, cnt := range relCount {
			pv := strings.Split(p, "\x00")
			ok := true
			for i := range known {
				if !covers(i, pv[i], tv[i]) {
					ok = false
					break
				}
			}
			if ok {
				n += cnt
			}
		}
		if n == 0 {
			t.Fatalf("a released victim (%q) matches no released row: a label does not cover its value", tgt)
		}
		fewest = min(fewest, n)
		if n < c.k {
			for i, s := range src {
				if !c.suppressed[i] && pattern(s, c.srcCol, true) == tgt {
					exposed++
				}
			}
		}
	}
	return fewest, exposed
}

// checkRelease runs a release, writes it, reads it back and compares
// every figure of the manifest with the checker's; then attacks it.
func checkRelease(t *testing.T, name string, tab *anonymize.Table, srcCSV []byte, cfg anonymize.Config) checkerFigures {
	t.Helper()
	res, err := anonymize.Run(tab, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := anonymize.WriteCTDC(&out, res, anonymize.HeaderCTDC); err != nil {
		t.Fatal(err)
	}
	man, err := res.Manifest(anonymize.EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The run's quasi-identifiers: majorityStatus joins ageBroad's.
	c := &checked{src: readBack(t, srcCSV), rel: readBack(t, out.Bytes()), qis: res.Config.QINames(), k: cfg.K}
	c.srcCol, c.relCol = colIndex(c.src[0]), colIndex(c.rel[0])
	for q := range c.qis {
		c.hier = append(c.hier, res.Hierarchy(q))
	}
	c.suppressed = make([]bool, tab.Len())
	for i := range c.suppressed {
		c.suppressed[i] = res.ClassOf(i) < 0
	}
	f := c.figures(t)
	m := man.Metrics
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(a)) }
	for _, d := range []struct {
		what      string
		got, want float64
	}{
		{"records", float64(m.Records), float64(f.records)},
		{"classes", float64(m.Classes), float64(f.classes)},
		{"smallest class", float64(m.SmallestClass), float64(f.smallest)},
		{"records at risk", float64(m.RecordsAtRisk), float64(f.atRisk)},
		{"suppressed records", float64(m.SuppressedRecords), float64(f.suppressedRecords)},
		{"manifest's suppressed records", float64(man.SuppressedRecords), float64(f.suppressedRecords)},
		{"suppressed cells", float64(m.SuppressedCells), float64(f.suppressedCells)},
		{"suppressed cells share", m.SuppressedCellsShare, float64(f.suppressedCells) / float64(max(1, len(c.src)-1)*len(c.qis))},
		{"combinations", float64(m.Combinations), float64(f.combinations)},
		{"suppressed combinations %", m.SuppressedCombinationsPct, f.suppressedPct},
		{"MAE", m.MAE, f.mae},
		{"rare combinations %", m.RareCombinationsPct, f.rarePct},
		{"records with a rare combination %", m.RecordsWithRareCombPct, f.recordsWithRarePct},
		{"fabricated combinations %", m.FabricatedCombinationsPct, f.fabricatedPct},
		{"discernibility", m.Discernibility, f.discernibility},
		{"highest prosecutor risk", m.HighestProsecutorRisk, 1 / float64(max(f.smallest, 1)) * float64(min(f.records, 1))},
		{"average prosecutor risk", m.AverageProsecutorRisk, float64(f.classes) / float64(max(f.records, 1))},
		{"C_AVG", m.CAvg, float64(f.records) / float64(max(f.classes, 1)) / float64(cfg.K)},
	} {
		if !near(d.got, d.want) {
			t.Errorf("%s: manifest %s = %v, the checker finds %v", name, d.what, d.got, d.want)
		}
	}
	if !slices.Equal(m.Leakage, f.leakage) {
		t.Errorf("%s: manifest leakage %v, the checker finds %v", name, m.Leakage, f.leakage)
	}
	for l := range f.maeByLength {
		if !near(m.MAEByLength[l], f.maeByLength[l]) {
			t.Errorf("%s: MAE of length %d: manifest %v, checker %v", name, l+1, m.MAEByLength[l], f.maeByLength[l])
		}
	}
	if f.atRisk != 0 || (f.records > 0 && f.smallest < cfg.K) || slices.Max(f.leakage) != 0 {
		t.Errorf("%s: not %d-anonymous: %d records at risk, smallest class %d, leakage %v", name, cfg.K, f.atRisk, f.smallest, f.leakage)
	}
	fewest, exposed := c.attack(t, res)
	if exposed > 0 {
		t.Errorf("%s: an attacker who knows the quasi-identifiers and majority singles out %d released victims (fewest candidates %d < k = %d)", name, exposed, fewest, cfg.K)
	}
	t.Logf("%s: k=%d %s: %d/%d released, %d classes, smallest %d, R_k %d, suppressed cells %d (%.3f %%), comb. %d, suppressed comb. %.2f %%, MAE %.2f (%.1f/%.1f/%.1f), leakage %v, rare %.2f %%, fabricated %.2f %% (ranges and regions as attributes: %.2f %%), attacker's fewest candidates %d",
		name, cfg.K, cfg.Method, f.records, len(c.src)-1, f.classes, f.smallest, f.atRisk, f.suppressedCells,
		100*float64(f.suppressedCells)/float64(max(1, len(c.src)-1)*len(c.qis)), f.combinations, f.suppressedPct, f.mae,
		f.maeByLength[0], f.maeByLength[1], f.maeByLength[2], f.leakage, f.rarePct, f.fabricatedPct, f.fabricatedLiteralPct, fewest)
	return f
}

// checkerTable draws a source with rare combinations: the default
// quasi-identifiers skewed, majorityStatus consistent with the age band,
// and a form of exploitation.
func checkerTable(rng *rand.Rand, n int) []byte {
	ages := []string{"18--20", "21--23", "24--26", "9--17", "27--29", "30--38", "0--8", "39--47", "48+", "-99"}
	countries := []string{"PH", "UA", "MD", "CD", "ID", "US", "BY", "RU", "CG", "FR", "KH", "-99"}
	pick := func(vals []string, s float64) string {
		i := int(math.Floor(math.Pow(rng.Float64(), s) * float64(len(vals))))
		return vals[min(i, len(vals)-1)]
	}
	var b strings.Builder
	b.WriteString("yearOfRegistration,gender,ageBroad,majorityStatus,citizenship,CountryOfExploitation,isForcedLabour,isSexualExploit\n")
	for range n {
		age := pick(ages, 2)
		maj := "Adult"
		switch age {
		case "0--8", "9--17":
			maj = "Minor"
		case "-99":
			maj = []string{"Adult", "Minor", "-99"}[rng.IntN(3)]
		}
		labour := rng.IntN(2)
		fmt.Fprintf(&b, "%d,%s,%s,%s,%s,%s,%d,%d\n", 2010+int(math.Floor(math.Pow(rng.Float64(), 1.5)*8)),
			pick([]string{"Female", "Male", "Unknown"}, 2), age, maj, pick(countries, 3), pick(countries, 2), labour, 1-labour)
	}
	return []byte(b.String())
}

// TestIndependentChecker recomputes the manifest of releases of drawn
// tables (every method, several k) and of the CTDC files when present.
func TestIndependentChecker(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 2026))
	for _, n := range []int{40, 300, 3000} {
		src := checkerTable(rng, n)
		for _, m := range []anonymize.Method{anonymize.MethodHybrid, anonymize.MethodMondrian, anonymize.MethodMondrianStrict, anonymize.MethodSuppress} {
			for _, k := range []int{2, 5, 11} {
				tab, err := anonymize.ReadCSV(bytes.NewReader(src))
				if err != nil {
					t.Fatal(err)
				}
				cfg := anonymize.DefaultConfig()
				cfg.K, cfg.Method = k, m
				checkRelease(t, fmt.Sprintf("drawn %d", n), tab, src, cfg)
			}
		}
	}
	files := []string{filepath.Join("..", "..", "..", "shared", "data", "ctdc", "The Global Dataset 27 Nov 2017_0 - recovered.csv"),
		filepath.Join("..", "..", "..", "shared", "data", "ctdc", "CTDC_VPsynthetic_condensed.csv")}
	// VIGIE_CHECKER_FILES adds files (comma-separated), such as the
	// generated ones of BENCHMARKS.md.
	if extra := os.Getenv("VIGIE_CHECKER_FILES"); extra != "" {
		files = append(files, strings.Split(extra, ",")...)
	}
	sds8 := []string{"gender", "ageBroad", "citizenship", "isForcedLabour", "isSexualExploit", "isOtherExploit", "RecruiterRelationship", "yearOfRegistration"}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing", path)
			}
			t.Logf("%s is missing: skipped", path)
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		if testing.Short() {
			continue
		}
		tab, err := anonymize.ReadCSV(bytes.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		for _, s := range []struct {
			qis []string
			k   int
			m   anonymize.Method
		}{
			{nil, 11, anonymize.MethodHybrid},
			{nil, 10, anonymize.MethodHybrid},
			{sds8, 10, anonymize.MethodHybrid},
			{sds8, 10, anonymize.MethodSuppress},
			{sds8, 10, anonymize.MethodMondrian},
		} {
			cfg := anonymize.DefaultConfig()
			cfg.K, cfg.Method = s.k, s.m
			if s.qis != nil {
				cfg.QIs = nil
				for _, q := range s.qis {
					if tab.Column(q) < 0 {
						continue
					}
					cfg.QIs = append(cfg.QIs, anonymize.QI{Column: q, Hierarchy: anonymize.HierarchyFor(q)})
				}
			}
			ok := true
			for _, q := range cfg.QIs {
				ok = ok && tab.Column(q.Column) >= 0
			}
			if !ok {
				continue
			}
			checkRelease(t, name, tab, src, cfg)
		}
	}
}

// WriteCTDCSorted writes the lines WriteCTDC writes, sorted, whatever the
// order the rows were read in.
func TestWriteCTDCSorted(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 50, 2000} {
		src := checkerTable(rng, n)
		lines := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
		shuffled := slices.Clone(lines)
		rng.Shuffle(len(shuffled)-1, func(i, j int) { shuffled[i+1], shuffled[j+1] = shuffled[j+1], shuffled[i+1] })
		var files []string
		for _, in := range [][]string{lines, shuffled} {
			tab, err := anonymize.ReadCSV(strings.NewReader(strings.Join(in, "\n") + "\n"))
			if err != nil {
				t.Fatal(err)
			}
			res, err := anonymize.Run(tab, anonymize.DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			var plain, sorted bytes.Buffer
			if err := anonymize.WriteCTDC(&plain, res, anonymize.HeaderCTDC); err != nil {
				t.Fatal(err)
			}
			if err := anonymize.WriteCTDCSorted(&sorted, res, anonymize.HeaderCTDC); err != nil {
				t.Fatal(err)
			}
			want := strings.Split(strings.TrimSuffix(plain.String(), "\n"), "\n")
			slices.Sort(want[1:])
			if got := sorted.String(); got != strings.Join(want, "\n")+"\n" {
				t.Fatalf("%d rows: the sorted file is not WriteCTDC's lines sorted", n)
			}
			files = append(files, sorted.String())
		}
		if files[0] != files[1] {
			t.Errorf("%d rows: reading them in another order changes the sorted file", n)
		}
	}
}

// The manifest says how it reads the definitions a checker could read
// otherwise.
func TestManifestDefinitions(t *testing.T) {
	tab, err := anonymize.ReadCSV(bytes.NewReader(checkerTable(rand.New(rand.NewPCG(1, 1)), 200)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := anonymize.Run(tab, anonymize.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	man, err := res.Manifest(anonymize.EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"classes", "suppressedCells", "combinations", "mae", "leakage"} {
		if !strings.Contains(man.Definitions[k], " ") {
			t.Errorf("no definition of %s", k)
		}
	}
	if !strings.Contains(man.Definitions["combinations"], "fabricated") {
		t.Error("the definition of combinations does not say how ranges count")
	}
}
