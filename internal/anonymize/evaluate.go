// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Release is what the evaluator judges: the sensitive table, the released
// one (same column names; generalised quasi-identifiers written as their
// hierarchy labels) and, when known, the sensitive row behind each
// released row. Any release can be judged, not only one made by Run: the
// tests give it tables built by hand that are not k-anonymous.
type Release struct {
	Sensitive *Table
	Released  *Table
	RowOf     []int32 // RowOf[i] = sensitive row of released row i; nil if unknown
	QIs       []QI    // the quasi-identifiers and the hierarchies reading their labels
}

// EvalOptions chooses what utility is measured on.
type EvalOptions struct {
	K       int      // the threshold of rare combinations and classes; the release's k by default
	Length  int      // longest attribute combination counted, 1 to 4; 3 by default (SDS)
	Columns []string // columns whose combinations are counted; the quasi-identifiers by default
	Absent  []string // values that are not attributes (missing); "" and "-99" by default
	// Sensitive columns checked for homogeneous classes; by default the
	// forms of exploitation the release holds.
	Sensitive []string
}

// Metrics are the risk and utility figures of PRIVACY.md §4, computed in
// one place for the manifest, the tests and the benchmarks.
type Metrics struct {
	// Record-level risk on the quasi-identifiers of the release.
	Records                  int     `json:"records"`          // released rows (n)
	SensitiveRecords         int     `json:"sensitiveRecords"` // input rows
	Classes                  int     `json:"classes"`          // equivalence classes
	SmallestClass            int     `json:"smallestClass"`
	RecordsAtRisk            int     `json:"recordsAtRisk"`      // rows in classes smaller than k
	RecordsAtRiskShare       float64 `json:"recordsAtRiskShare"` // R_k
	Uniques                  int     `json:"uniques"`            // rows alone in their class
	HighestProsecutorRisk    float64 `json:"highestProsecutorRisk"`
	AverageProsecutorRisk    float64 `json:"averageProsecutorRisk"`
	RecordsAtHighestRisk     float64 `json:"recordsAtHighestRiskShare"`
	ExpectedReidentification float64 `json:"expectedReidentifications"` // Σ 1/|EC| = #classes
	GlobalRisk               float64 `json:"globalRisk"`                // ER / n

	SuppressedRecords      int     `json:"suppressedRecords"`
	SuppressedRecordsShare float64 `json:"suppressedRecordsShare"`
	SuppressedCells        int     `json:"suppressedCells"` // released QI cells written as the root ("-99") though known; the share is over all input rows' QI cells
	SuppressedCellsShare   float64 `json:"suppressedCellsShare"`
	GeneralisedCells       int     `json:"generalisedCells"`  // released QI cells that are not the original value
	InconsistentCells      int     `json:"inconsistentCells"` // released QI cells that do not cover the original value (must be 0)

	// Attribute disclosure: classes whose records all share one known
	// value of a sensitive column (knowing someone's quasi-identifiers then
	// tells that value), per sensitive column.
	Homogeneity []Homogeneity `json:"homogeneity"`

	// Information loss on the quasi-identifiers (needs RowOf).
	GeneralisationLoss float64 `json:"generalisationLoss"` // Iyengar loss, suppressed rows count 1
	Granularity        float64 `json:"granularity"`        // 1 − loss (ARX)
	NonUniformEntropy  float64 `json:"nonUniformEntropy"`  // normalised: 1 = everything suppressed
	Discernibility     float64 `json:"discernibility"`     // Σ|E|² + suppressed · sensitive rows
	CAvg               float64 `json:"cAvg"`               // (n / #classes) / k

	// Combination-level utility and leakage (SDS), over UtilityColumns.
	UtilityColumns            []string  `json:"utilityColumns"`
	Length                    int       `json:"length"`
	Combinations              int       `json:"combinations"`        // distinct sensitive combinations |S|
	RareCombinationsPct       float64   `json:"rareCombinationsPct"` // sensitive combinations with count < k
	RecordsWithRareCombPct    float64   `json:"recordsWithRareCombinationPct"`
	Leakage                   []int     `json:"leakage"` // per length 1..Length: sens < k and 0 < released < k
	SuppressedCombinationsPct float64   `json:"suppressedCombinationsPct"`
	FabricatedCombinationsPct float64   `json:"fabricatedCombinationsPct"`
	MAE                       float64   `json:"mae"` // over combinations present in both
	MAEByLength               []float64 `json:"maeByLength"`
	MeanProportionalError     float64   `json:"meanProportionalError"`
}

// Evaluate measures a release.
func Evaluate(rel Release, opt EvalOptions) (Metrics, error) {
	var m Metrics
	if rel.Sensitive == nil || rel.Released == nil {
		return m, errors.New("the evaluator needs the sensitive and the released tables")
	}
	if opt.K < 1 {
		return m, errors.New("the evaluator needs k")
	}
	if opt.Length == 0 {
		opt.Length = 3
	}
	if opt.Length < 1 || opt.Length > 4 {
		return m, fmt.Errorf("combination length %d: 1 to 4", opt.Length)
	}
	if opt.Absent == nil {
		opt.Absent = []string{"", "-99"}
	}
	if len(opt.Columns) == 0 {
		for _, q := range rel.QIs {
			opt.Columns = append(opt.Columns, q.Column)
		}
	}
	if rel.RowOf != nil && len(rel.RowOf) != rel.Released.Len() {
		return m, fmt.Errorf("%d row numbers for %d released rows", len(rel.RowOf), rel.Released.Len())
	}
	e := &evaluator{rel: rel, opt: opt}
	if err := e.resolve(); err != nil {
		return m, err
	}
	keys := e.risk(&m)
	e.homogeneity(&m, keys)
	e.loss(&m)
	if err := e.combinations(&m); err != nil {
		return m, err
	}
	return m, nil
}

type evaluator struct {
	rel  Release
	opt  EvalOptions
	hier []*Hierarchy // per QI, knowing every sensitive value
	sq   []int        // per QI, sensitive column
	rq   []int        // per QI, released column
}

// column finds a column by its name or its other (CTDC/HTCDS) name.
func column(t *Table, name string) int {
	if c := t.Column(name); c >= 0 {
		return c
	}
	if i, ok := allowed[name]; ok {
		if c := t.Column(ctdcColumns[i].ctdc); c >= 0 {
			return c
		}
		return t.Column(ctdcColumns[i].htcds)
	}
	return -1
}

func (e *evaluator) resolve() error {
	for _, q := range e.rel.QIs {
		s, r := column(e.rel.Sensitive, q.Column), column(e.rel.Released, q.Column)
		if s < 0 || r < 0 {
			return fmt.Errorf("quasi-identifier %q is missing from the sensitive or the released table", q.Column)
		}
		h := q.Hierarchy.clone()
		for _, v := range e.rel.Sensitive.dict[s] {
			if _, err := h.code(v); err != nil {
				return err
			}
		}
		e.hier = append(e.hier, h)
		e.sq = append(e.sq, s)
		e.rq = append(e.rq, r)
	}
	if len(e.hier) > maxQIs {
		return fmt.Errorf("at most %d quasi-identifiers", maxQIs)
	}
	return nil
}

// risk groups released rows by their quasi-identifiers.
// classKey is a released row's quasi-identifiers (released codes).
type classKey [maxQIs]uint16

// risk groups released rows by their quasi-identifiers; it returns each
// row's class key.
func (e *evaluator) risk(m *Metrics) []classKey {
	rel, sens := e.rel.Released, e.rel.Sensitive
	n := rel.Len()
	m.Records, m.SensitiveRecords = n, sens.Len()
	m.SuppressedRecords = max(sens.Len()-n, 0)
	if sens.Len() > 0 {
		m.SuppressedRecordsShare = float64(m.SuppressedRecords) / float64(sens.Len())
	}
	size := map[classKey]int{}
	keys := make([]classKey, n)
	for row := range n {
		var k classKey
		for q, c := range e.rq {
			k[q] = rel.codes[c][row]
		}
		keys[row] = k
		size[k]++
	}
	m.Classes = len(size)
	k := e.opt.K
	for _, s := range size {
		if m.SmallestClass == 0 || s < m.SmallestClass {
			m.SmallestClass = s
		}
		if s < k {
			m.RecordsAtRisk += s
		}
		if s == 1 {
			m.Uniques++
		}
		m.Discernibility += float64(s) * float64(s)
	}
	m.Discernibility += float64(m.SuppressedRecords) * float64(sens.Len())
	if n == 0 {
		return keys
	}
	atMin := 0
	for _, s := range size {
		if s == m.SmallestClass {
			atMin += s
		}
	}
	m.RecordsAtRiskShare = float64(m.RecordsAtRisk) / float64(n)
	m.HighestProsecutorRisk = 1 / float64(m.SmallestClass)
	m.AverageProsecutorRisk = float64(m.Classes) / float64(n)
	m.RecordsAtHighestRisk = float64(atMin) / float64(n)
	m.ExpectedReidentification = float64(m.Classes)
	m.GlobalRisk = m.ExpectedReidentification / float64(n)
	m.CAvg = float64(n) / float64(m.Classes) / float64(k)
	return keys
}

// loss compares each released quasi-identifier with the original value.
func (e *evaluator) loss(m *Metrics) {
	sens := e.rel.Sensitive
	nq := len(e.hier)
	if nq == 0 {
		return
	}
	var released []bool
	if e.rel.RowOf != nil {
		released = make([]bool, sens.Len())
		for _, r := range e.rel.RowOf {
			released[r] = true
		}
	}
	var loss, entropy, maxEntropy float64
	for q := range e.hier {
		l, h, mh := e.lossOf(q, released, m)
		loss, entropy, maxEntropy = loss+l, entropy+h, maxEntropy+mh
	}
	// Over every input record's cells (PRIVACY.md: n · |QI|, as the
	// records' share is over n).
	if n := sens.Len(); n > 0 {
		m.SuppressedCellsShare = float64(m.SuppressedCells) / float64(n*nq)
	}
	if e.rel.RowOf == nil || sens.Len() == 0 {
		return
	}
	// Suppressed rows lose everything.
	loss += float64(m.SuppressedRecords * nq)
	m.GeneralisationLoss = loss / float64(sens.Len()*nq)
	m.Granularity = 1 - m.GeneralisationLoss
	if maxEntropy > 0 {
		m.NonUniformEntropy = entropy / maxEntropy
	}
}

// valueStats are the sensitive values of a quasi-identifier by leaf code,
// with prefix sums (index i+1 for code i): how many distinct values and
// how many records a label's interval holds.
type valueStats struct {
	toLeaf         []uint16 // sensitive dictionary code → leaf code
	freq, cum      []float64
	present        []float64
	distinct, rows float64
}

func newValueStats(h *Hierarchy, sens *Table, sc int) valueStats {
	size := h.Size()
	v := valueStats{toLeaf: make([]uint16, len(sens.dict[sc])), freq: make([]float64, size+1), present: make([]float64, size+1), rows: float64(sens.Len())}
	for d, val := range sens.dict[sc] {
		v.toLeaf[d], _ = h.code(val)
	}
	for _, d := range sens.codes[sc] {
		v.freq[v.toLeaf[d]+1]++
	}
	for i := 1; i <= size; i++ {
		if v.freq[i] > 0 {
			v.present[i] = 1
			v.distinct++
		}
		v.present[i] += v.present[i-1]
	}
	v.cum = slices.Clone(v.freq)
	for i := 1; i <= size; i++ {
		v.cum[i] += v.cum[i-1]
	}
	return v
}

// lossOf measures quasi-identifier q: its generalisation loss and
// non-uniform entropy (summed over cells), the entropy of everything
// suppressed, and the generalised, suppressed and inconsistent cells.
func (e *evaluator) lossOf(q int, released []bool, m *Metrics) (loss, entropy, maxEntropy float64) {
	rel, sens := e.rel.Released, e.rel.Sensitive
	h, sc, rc := e.hier[q], e.sq[q], e.rq[q]
	st := newValueStats(h, sens, sc)
	for r, d := range sens.codes[sc] {
		// A suppressed row's entropy is the most it can be.
		x := -math.Log2(st.freq[st.toLeaf[d]+1] / st.rows)
		maxEntropy += x
		if released != nil && !released[r] {
			entropy += x
		}
	}
	type label struct {
		lo, hi         uint16
		ok, root, leaf bool
	}
	labels := make([]label, len(rel.dict[rc]))
	for d, v := range rel.dict[rc] {
		lo, hi, ok := h.Interval(v)
		labels[d] = label{lo, hi, ok, v == h.Root(), h.IsLeaf(v) && v != h.Root()}
	}
	for row, d := range rel.codes[rc] {
		l := labels[d]
		if e.rel.RowOf == nil {
			if !l.leaf {
				m.GeneralisedCells++
			}
			if l.root {
				m.SuppressedCells++
			}
			continue
		}
		orig := st.toLeaf[sens.codes[sc][e.rel.RowOf[row]]]
		if h.Value(orig) == rel.dict[rc][d] {
			// The original value, even when it reads like the root
			// ("-99" missing): nothing lost.
			continue
		}
		m.GeneralisedCells++
		if !l.ok || orig < l.lo || orig > l.hi {
			m.InconsistentCells++
			loss++
			continue
		}
		if l.root {
			m.SuppressedCells++
		}
		if st.distinct > 1 {
			loss += (st.present[l.hi+1] - st.present[l.lo] - 1) / (st.distinct - 1)
		}
		entropy -= math.Log2(st.freq[orig+1] / (st.cum[l.hi+1] - st.cum[l.lo]))
	}
	return loss, entropy, maxEntropy
}
