// SPDX-License-Identifier: AGPL-3.0-or-later

package publish

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"vigie/internal/anonymize"
	"vigie/internal/domain"
)

// recordColumns are the release rows' columns that may go out in a
// record-level release: the CTDC ones (province is Vigie's and would
// narrow a victim down further; anonymize refuses it anyway).
func recordColumns() []string {
	var out []string
	for _, c := range domain.ReleaseColumns {
		if _, ok := anonymize.AllowedColumn(c); ok {
			out = append(out, c)
		}
	}
	return out
}

// RecordsConfig is what a record-level release was asked for: the
// release's config (domain.Release.Config) for kind records.
type RecordsConfig struct {
	K      int      `json:"k"`
	Method string   `json:"method"`
	QIs    []string `json:"quasiIdentifiers"`
}

// recordsSettings checks what was asked before any case is read, each
// problem under the field that asked it.
func recordsSettings(opt Options) (anonymize.Config, error) {
	cfg := anonymize.DefaultConfig()
	var p domain.Problems
	if opt.K != 0 {
		cfg.K = opt.K
		if opt.K < 2 || opt.K > anonymize.MaxK {
			p.Add("k", "validation.range", "%d is not between 2 and %d", opt.K, anonymize.MaxK)
		}
	}
	switch m := anonymize.Method(opt.Method); m {
	case "":
	case anonymize.MethodHybrid, anonymize.MethodMondrian, anonymize.MethodMondrianStrict, anonymize.MethodSuppress:
		cfg.Method = m
	default:
		p.Add("method", "validation.enum", "%q is not hybrid, mondrian, mondrian-strict or suppress", truncate(opt.Method, 40))
	}
	if len(opt.QIs) > 0 {
		cols := recordColumns()
		cfg.QIs = nil
		seen := map[string]bool{}
		for _, q := range opt.QIs {
			name, ok := anonymize.AllowedColumn(strings.TrimSpace(q))
			switch {
			case !ok || !slices.Contains(cols, name):
				p.Add("quasi_identifiers", "validation.enum", "%q is not a column of the release (%s)", truncate(q, 40), strings.Join(cols, ", "))
			case seen[name]:
				p.Add("quasi_identifiers", "validation.enum", "%q is listed twice", name)
			default:
				seen[name] = true
				cfg.QIs = append(cfg.QIs, anonymize.QI{Column: name, Hierarchy: anonymize.HierarchyFor(name)})
			}
		}
		if len(opt.QIs) > 8 {
			p.Add("quasi_identifiers", "validation.range", "%d quasi-identifiers: at most 8", len(opt.QIs))
		}
	}
	return cfg, p.Err()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func buildRecords(ctx context.Context, src Rows, opt Options) (*domain.NewRelease, error) {
	cfg, err := recordsSettings(opt)
	if err != nil {
		return nil, err
	}
	cols := recordColumns()
	idx := make([]int, len(cols))
	for i, c := range cols {
		idx[i] = slices.Index(domain.ReleaseColumns, c)
	}
	t, err := anonymize.NewTable(cols)
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "preparing the records")
	}
	vals := make([]string, len(cols))
	err = readCounted(ctx, src, opt.From, opt.To, func(row []string, n int) error {
		for i, j := range idx {
			vals[i] = row[j]
		}
		return t.AppendN(vals, n)
	})
	if err != nil {
		return nil, err
	}
	if t.Len() == 0 {
		return nil, errNoVictims(opt.From, opt.To)
	}
	opt.stage("read")
	res, err := anonymize.Run(t, cfg)
	if err != nil {
		return nil, configProblems(err, "", "k")
	}
	opt.stage("anonymise")
	if res.Released() == 0 {
		// A release of no record would still say how many victims there
		// were, and is of no use: the coordinator lowers k or widens the
		// period.
		var p domain.Problems
		p.Add("k", "validation.release_empty", "the %d victims of %d–%d are too few or too scattered for k = %d: no record could be released; lower k or take more years",
			t.Len(), opt.From, opt.To, cfg.K)
		return nil, p.Err()
	}
	// Rows in the database's index order (province, agency, date within a
	// year) would place a generalised row among those of its original
	// value and keep each province together: sorted, the file tells only
	// the released rows. They go straight into the ZIP, compressed as
	// they are written: the file is never held twice.
	z := newZip()
	w, err := z.create("records.csv")
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "writing the release file")
	}
	if err := anonymize.WriteCTDCSorted(w, res, anonymize.HeaderCTDC); err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "writing the records")
	}
	opt.stage("write")
	man, err := res.Manifest(anonymize.EvalOptions{})
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "measuring the release")
	}
	opt.stage("evaluate")
	// The file says how it was made; the measures against the true data
	// (utility, suppressed counts) stay with the reviewers.
	public, err := marshal(map[string]any{"kind": domain.ReleaseRecords, "from": opt.From, "to": opt.To, "k": man.K,
		"method": man.Method, "quasiIdentifiers": man.QuasiIdentifiers, "columns": man.Columns, "records": man.ReleasedRecords})
	if err != nil {
		return nil, err
	}
	err = z.add("manifest.json", string(public))
	if err == nil {
		err = z.add("LISEZMOI-README.txt", readme(domain.ReleaseRecords, opt.From, opt.To, "records"))
	}
	var file []byte
	if err == nil {
		file, err = z.bytes()
	}
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "writing the release file")
	}
	opt.stage("zip")
	manifest, err := marshal(man)
	if err != nil {
		return nil, err
	}
	config, _ := json.Marshal(RecordsConfig{K: cfg.K, Method: string(res.Config.Method), QIs: res.Config.QINames()})
	return &domain.NewRelease{Kind: domain.ReleaseRecords, Title: opt.Title, From: opt.From, To: opt.To,
		Config: config, Manifest: manifest, FileName: fileName(domain.ReleaseRecords, opt.From, opt.To), File: file}, nil
}
