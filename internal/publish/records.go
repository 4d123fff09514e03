// SPDX-License-Identifier: AGPL-3.0-or-later

package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"

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

// recordsConfig is what a record-level release was asked for.
type recordsConfig struct {
	K      int    `json:"k"`
	Method string `json:"method"`
}

func buildRecords(ctx context.Context, src Rows, opt Options) (*domain.NewRelease, error) {
	cfg := anonymize.DefaultConfig()
	if opt.K != 0 {
		cfg.K = opt.K
	}
	if opt.Method != "" {
		cfg.Method = anonymize.Method(opt.Method)
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
	err = src.ReleaseRows(ctx, opt.From, opt.To, func(row []string) error {
		for i, j := range idx {
			vals[i] = row[j]
		}
		return t.Append(vals)
	})
	if err != nil {
		return nil, err
	}
	res, err := anonymize.Run(t, cfg)
	if err != nil {
		var p domain.Problems
		p.Add("k", "validation.release_config", "%v", err)
		return nil, p.Err()
	}
	var csv bytes.Buffer
	if err := anonymize.WriteCTDC(&csv, res, anonymize.HeaderCTDC); err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "writing the records")
	}
	man, err := res.Manifest(anonymize.EvalOptions{})
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "measuring the release")
	}
	// The file says how it was made; the measures against the true data
	// (utility, suppressed counts) stay with the reviewers.
	public, err := marshal(map[string]any{"kind": domain.ReleaseRecords, "from": opt.From, "to": opt.To, "k": man.K,
		"method": man.Method, "quasiIdentifiers": man.QuasiIdentifiers, "columns": man.Columns, "records": man.ReleasedRecords})
	if err != nil {
		return nil, err
	}
	file, err := zipFiles([][2]string{{"records.csv", csv.String()}, {"manifest.json", string(public)},
		{"LISEZMOI-README.txt", readme(domain.ReleaseRecords, opt.From, opt.To, "records")}})
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "writing the release file")
	}
	manifest, err := marshal(man)
	if err != nil {
		return nil, err
	}
	config, _ := json.Marshal(recordsConfig{K: cfg.K, Method: string(cfg.Method)})
	return &domain.NewRelease{Kind: domain.ReleaseRecords, Title: opt.Title, From: opt.From, To: opt.To,
		Config: config, Manifest: manifest, FileName: fileName(domain.ReleaseRecords, opt.From, opt.To), File: file}, nil
}
