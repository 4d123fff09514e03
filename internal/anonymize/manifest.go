// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

// Manifest describes a release for the publish workflow to store beside
// it: what was asked, what came in and went out, and the evaluator's
// figures. It holds no record and no value of any record.
type Manifest struct {
	Method            Method   `json:"method"`
	K                 int      `json:"k"`
	QuasiIdentifiers  []string `json:"quasiIdentifiers"`
	Columns           []string `json:"columns"`        // released, CTDC names, in order
	DroppedColumns    []string `json:"droppedColumns"` // input columns never released
	InputRecords      int      `json:"inputRecords"`
	ReleasedRecords   int      `json:"releasedRecords"`
	SuppressedRecords int      `json:"suppressedRecords"`
	Metrics           Metrics  `json:"metrics"`
	// Definitions say how the figures that PRIVACY.md §4 leaves open to
	// reading are counted, so that an outside checker recomputes the same.
	Definitions map[string]string `json:"definitions"`
}

// definitions are the manifest's readings of PRIVACY.md §4.
var definitions = map[string]string{
	"classes": "released rows with identical written quasi-identifiers; recordsAtRisk counts the rows of classes " +
		"smaller than k, and R_k is their share of the released rows",
	"suppressedCells": "quasi-identifier cells written -99 (the hierarchy's root) where the input had a value; " +
		"the share is over every input row's quasi-identifier cells, suppressed rows included",
	"combinations": "attribute combinations of length 1 to the given length over the utility columns (the " +
		"quasi-identifiers by default); an empty or -99 cell is no attribute, and so is a released range or region " +
		"(18--26, Eastern Europe): it matches no sensitive combination and is never counted as fabricated (read as " +
		"attributes, ranges and regions would add fabricated combinations)",
	"mae": "mean absolute difference of the counts of the combinations present in both the input and the release " +
		"(SDS); suppressedCombinationsPct and fabricatedCombinationsPct are over the input's distinct combinations",
	"leakage": "per length, input combinations rarer than k whose released count is between 1 and k-1",
}

// Evaluate measures this release with the one evaluator. A zero K in opt
// means the release's k.
func (r *Result) Evaluate(opt EvalOptions) (Metrics, error) {
	if opt.K == 0 {
		opt.K = r.Config.K
	}
	rel, rowOf := r.ReleasedTable()
	return Evaluate(Release{Sensitive: r.Input, Released: rel, RowOf: rowOf, QIs: r.Config.QIs}, opt)
}

// Manifest evaluates the release and describes it.
func (r *Result) Manifest(opt EvalOptions) (Manifest, error) {
	m, err := r.Evaluate(opt)
	if err != nil {
		return Manifest{}, err
	}
	return Manifest{
		Method:            r.Config.Method,
		K:                 r.Config.K,
		QuasiIdentifiers:  r.Config.QINames(),
		Columns:           r.Header(false),
		DroppedColumns:    append([]string{}, r.Dropped...),
		InputRecords:      r.Input.Len(),
		ReleasedRecords:   r.Released(),
		SuppressedRecords: r.Suppressed,
		Metrics:           m,
		Definitions:       definitions,
	}, nil
}
