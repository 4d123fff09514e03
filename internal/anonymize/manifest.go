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
	}, nil
}
