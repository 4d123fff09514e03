// SPDX-License-Identifier: AGPL-3.0-or-later

package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"slices"

	"vigie/internal/disclosure"
	"vigie/internal/domain"
)

// ageBands are CTDC's age bands, then missing.
var ageBands = []string{"0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+", "-99"}

// DefaultTables are the tables of an aggregate release when none are
// given: the breakdowns of the annual report that a public needs. Sex,
// majority and age band have fixed, public categories; citizenship,
// exploitation, province and year are whatever the data holds (under
// differential privacy they go through partition selection).
func DefaultTables() []disclosure.TableSpec {
	sex := disclosure.Dim{Column: "gender", Values: []string{"Female", "Male", "Unknown"}}
	majority := disclosure.Dim{Column: "majorityStatus", Values: []string{"Minor", "Adult", "Unknown"}}
	return []disclosure.TableSpec{
		{Name: "sex_by_majority", Dims: []disclosure.Dim{sex, majority}},
		{Name: "age_band", Dims: []disclosure.Dim{{Column: "ageBroad", Values: ageBands}}},
		{Name: "citizenship_by_exploitation", Dims: []disclosure.Dim{{Column: "citizenship"}, {Column: "typeOfExploitConcatenated"}}},
		{Name: "province_by_year", Dims: []disclosure.Dim{{Column: "province"}, {Column: "yearOfRegistration"}}},
	}
}

// TableReport is one table in the reviewers' manifest.
type TableReport struct {
	Name        string                         `json:"name"`
	Dimensions  []string                       `json:"dimensions"`
	Cells       int                            `json:"cells"` // inner cells
	Suppression *disclosure.SuppressionMetrics `json:"suppression,omitempty"`
	DP          *disclosure.DPInfo             `json:"dp,omitempty"`
	Unlisted    int64                          `json:"unlisted,omitempty"` // rows outside a fixed domain
	// Pooled is how many values found in the data, each shared by fewer
	// victims than the threshold, were pooled into disclosure.OtherLabel.
	Pooled int `json:"pooled,omitempty"`
}

// TablesManifest is the reviewers' manifest of an aggregate release.
type TablesManifest struct {
	Method     disclosure.Method `json:"method"`
	Threshold  int               `json:"threshold,omitempty"`
	Protection int               `json:"protection,omitempty"`
	Epsilon    float64           `json:"epsilon,omitempty"`
	Delta      float64           `json:"delta,omitempty"`
	Rows       int64             `json:"rows"`
	Tables     []TableReport     `json:"tables"`
}

// ParseTables reads the tables' config, the default tables with cell
// suppression when raw is empty; its problems are field errors.
func ParseTables(raw json.RawMessage) (disclosure.Config, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		c := disclosure.Config{Method: disclosure.MethodSuppression, Tables: DefaultTables()}
		c.Defaults()
		return c, nil
	}
	c, err := disclosure.ParseConfig(raw)
	if err != nil {
		return c, configProblems(err, "tables.", "tables")
	}
	return c, nil
}

func buildTables(ctx context.Context, src Rows, opt Options) (*domain.NewRelease, error) {
	cfg, err := ParseTables(opt.Tables)
	if err != nil {
		return nil, err
	}
	counters := make([]*disclosure.Counter, len(cfg.Tables))
	for i, spec := range cfg.Tables {
		if counters[i], err = disclosure.NewCounter(spec, domain.ReleaseColumns); err != nil {
			var p domain.Problems
			p.Add("tables", "validation.release_config", "%v", err)
			return nil, p.Err()
		}
	}
	// Under cell suppression, the values of a domain found in the data
	// that fewer victims than the threshold share are pooled (PoolRare):
	// count each such column's values over every row of the release.
	found := map[string]map[string]int64{}
	var foundCols []int
	if cfg.Method == disclosure.MethodSuppression {
		for _, spec := range cfg.Tables {
			for _, d := range spec.Dims {
				if len(d.Values) == 0 && found[d.Column] == nil {
					found[d.Column] = map[string]int64{}
					foundCols = append(foundCols, slices.Index(domain.ReleaseColumns, d.Column))
				}
			}
		}
	}
	var rows int64
	err = src.ReleaseRows(ctx, opt.From, opt.To, func(row []string) error {
		rows++
		for _, c := range counters {
			c.Add(row)
		}
		for _, c := range foundCols {
			found[domain.ReleaseColumns[c]][row[c]]++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if cfg.Method == disclosure.MethodSuppression {
		// Every cell of fewer victims than the threshold would be hidden:
		// the file would tell only how many there were, if that.
		if rows == 0 {
			return nil, errNoVictims(opt.From, opt.To)
		}
		if rows < int64(cfg.Threshold) {
			var p domain.Problems
			p.Add("threshold", "validation.release_empty", "%d–%d holds %d victims, fewer than the threshold %d: every cell would be hidden; take more years",
				opt.From, opt.To, rows, cfg.Threshold)
			return nil, p.Err()
		}
	}
	man := TablesManifest{Method: cfg.Method, Threshold: cfg.Threshold, Protection: cfg.Protection, Rows: rows}
	if cfg.Method == disclosure.MethodDP {
		man.Epsilon, man.Delta = float64(cfg.SpentMilli())/1000, cfg.Delta
	}
	public := map[string]any{"kind": domain.ReleaseTables, "from": opt.From, "to": opt.To, "method": cfg.Method}
	var files [][2]string
	var publicTables []map[string]any
	src2 := disclosure.NewSecureSource()
	tables := make([]*disclosure.Table, len(counters))
	for i, c := range counters {
		if tables[i], err = c.Table(); err != nil {
			var p domain.Problems
			p.Add("tables", "validation.release_config", "%v", err)
			return nil, p.Err()
		}
	}
	// The tables of a release are suppressed together: a count two tables
	// hold (a shared margin, the grand total) is hidden in both or neither.
	var linked []*disclosure.Published
	pooled := make([]int, len(tables))
	if cfg.Method == disclosure.MethodSuppression {
		rare := map[string]map[string]bool{}
		for col, counts := range found {
			rare[col] = map[string]bool{}
			for v, n := range counts {
				rare[col][v] = n < int64(cfg.Threshold)
			}
		}
		for i, spec := range cfg.Tables {
			fixed := make([]bool, len(spec.Dims))
			for d, dim := range spec.Dims {
				fixed[d] = len(dim.Values) > 0
			}
			tables[i], pooled[i] = disclosure.PoolRare(tables[i], fixed, rare)
		}
		if linked, err = disclosure.SuppressLinked(tables, cfg.Threshold, cfg.Protection); err != nil {
			var p domain.Problems
			p.Add("tables", "validation.release_config", "%v", err)
			return nil, p.Err()
		}
	}
	for i, t := range tables {
		rep := TableReport{Name: t.Name, Unlisted: t.Unlisted, Pooled: pooled[i]}
		for _, d := range t.Dims {
			rep.Dimensions = append(rep.Dimensions, d.Column)
		}
		var pub *disclosure.Published
		pt := map[string]any{"name": t.Name, "file": t.Name + ".csv", "dimensions": rep.Dimensions}
		switch cfg.Method {
		case disclosure.MethodSuppression:
			pub = linked[i]
			m := pub.SuppressionMetrics(t)
			rep.Suppression, rep.Cells = &m, m.Cells
			pt["threshold"], pt["protection"] = cfg.Threshold, cfg.Protection
		case disclosure.MethodDP:
			var info disclosure.DPInfo
			pub, info, err = disclosure.Noisy(t, disclosure.DPParams{MilliEpsilon: cfg.TableEpsilon(), Delta: cfg.Delta,
				Contributions: cfg.Contributions}, src2)
			if err != nil {
				return nil, domain.Wrap(domain.KindInternal, err, "adding noise")
			}
			rep.DP, rep.Cells = &info, info.Candidates
			// Public: the parameters and the error they imply, not the
			// error measured against the true counts.
			pt["epsilon"], pt["scale"], pt["expected_abs_error"] = info.Epsilon, info.Scale, info.ExpectedAbsError
			if info.Threshold > 0 {
				pt["delta"], pt["selection_threshold"] = info.Delta, info.Threshold
			}
		}
		var csv bytes.Buffer
		if err := disclosure.WriteCSV(&csv, pub); err != nil {
			return nil, domain.Wrap(domain.KindInternal, err, "writing table %s", t.Name)
		}
		files = append(files, [2]string{cfg.Tables[i].Name + ".csv", csv.String()})
		man.Tables = append(man.Tables, rep)
		publicTables = append(publicTables, pt)
	}
	public["tables"] = publicTables
	pj, err := marshal(public)
	if err != nil {
		return nil, err
	}
	files = append(files, [2]string{"manifest.json", string(pj)},
		[2]string{"LISEZMOI-README.txt", readme(domain.ReleaseTables, opt.From, opt.To, string(cfg.Method))})
	file, err := zipFiles(files)
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "writing the release file")
	}
	manifest, err := marshal(man)
	if err != nil {
		return nil, err
	}
	config, err := json.Marshal(cfg)
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "encoding the config")
	}
	return &domain.NewRelease{Kind: domain.ReleaseTables, Title: opt.Title, From: opt.From, To: opt.To, Config: config,
		Manifest: manifest, EpsilonMilli: cfg.SpentMilli(), FileName: fileName(domain.ReleaseTables, opt.From, opt.To), File: file}, nil
}

// TablesConfig is the config of the default tables protected by cell
// suppression at threshold and protection (the defaults when 0), or,
// when eps > 0, by differential privacy with that ε for the whole release.
// A negative or NaN ε is refused, not read as "no differential privacy".
func TablesConfig(threshold, protection int, eps float64) (json.RawMessage, error) {
	if math.IsNaN(eps) || eps < 0 {
		var p domain.Problems
		p.Add("epsilon", "validation.range", "%g: ε is a number above 0 (leave it out for cell suppression)", eps)
		return nil, p.Err()
	}
	c := disclosure.Config{Method: disclosure.MethodSuppression, Threshold: threshold, Protection: protection, Tables: DefaultTables()}
	if eps > 0 {
		if threshold != 0 || protection != 0 {
			var p domain.Problems
			p.Add("threshold", "validation.release_config", "a threshold or protection is for cell suppression; with ε the tables are noisy and nothing is suppressed")
			return nil, p.Err()
		}
		c = disclosure.Config{Method: disclosure.MethodDP, Epsilon: eps, Tables: DefaultTables()}
	}
	c.Defaults()
	if err := c.Validate(); err != nil {
		return nil, configProblems(err, "", "config")
	}
	b, err := json.Marshal(c)
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "encoding the config")
	}
	return b, nil
}
