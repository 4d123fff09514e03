// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"path/filepath"
	"testing"
)

// BenchmarkImportCTDC imports the real Global Dataset into a fresh SQLite
// database through the command line, as a user would.
func BenchmarkImportCTDC(b *testing.B) {
	if _, err := filepath.Abs(globalDataset); err != nil {
		b.Skip(err)
	}
	for b.Loop() {
		b.StopTimer()
		data := b.TempDir()
		b.StartTimer()
		var out, errb syncBuffer
		if code := Main(b.Context(), []string{"import", "ctdc", globalDataset, "--data", data, "--quiet"}, nil, &out, &errb); code != 0 {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
	b.ReportMetric(float64(47102*b.N)/b.Elapsed().Seconds(), "records/s")
}
