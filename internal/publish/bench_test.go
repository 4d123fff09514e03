// SPDX-License-Identifier: AGPL-3.0-or-later

package publish

import (
	"context"
	"encoding/json"
	"testing"

	"vigie/internal/disclosure"
	"vigie/internal/domain"
)

// memRows serves rows made once, so that a benchmark measures the
// release and not the generator.
type memRows [][]string

func (m memRows) ReleaseRows(_ context.Context, _, _ int, fn func([]string) error) error {
	for _, r := range m {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func makeRows(n int) memRows {
	out := make(memRows, 0, n)
	_ = fakeRows{n}.ReleaseRows(context.Background(), 2015, 2025, func(r []string) error {
		out = append(out, append([]string(nil), r...))
		return nil
	})
	return out
}

// BenchmarkTables1M: the four default tables of a million victims, from
// rows to ZIP: counting, then cell suppression or differential privacy.
func BenchmarkTables1M(b *testing.B) {
	rows := makeRows(1_000_000)
	dp, _ := json.Marshal(disclosure.Config{Method: disclosure.MethodDP, Epsilon: 1, Tables: DefaultTables()})
	for _, bc := range []struct {
		name   string
		config json.RawMessage
	}{{"suppression", nil}, {"dp", dp}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Build(context.Background(), rows, Options{Kind: domain.ReleaseTables, Title: "b", From: 2015, To: 2025, Tables: bc.config}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRecords1M: a k = 11 CTDC release of a million victims, rows to
// ZIP with the evaluator's manifest.
func BenchmarkRecords1M(b *testing.B) {
	rows := makeRows(1_000_000)
	for b.Loop() {
		if _, err := Build(context.Background(), rows, Options{Kind: domain.ReleaseRecords, Title: "b", From: 2015, To: 2025}); err != nil {
			b.Fatal(err)
		}
	}
}
