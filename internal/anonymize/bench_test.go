// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"vigie/bench/gen"
)

var generated sync.Map // rows → []byte

// generatedFile returns n rows drawn by bench/gen from the CTDC file's
// distributions (seed 1), made once per test binary.
func generatedFile(tb testing.TB, n int) []byte {
	tb.Helper()
	if b, ok := generated.Load(n); ok {
		return b.([]byte)
	}
	sharedFile(tb, globalFile) // skips (or fails in CI) without the file
	m, err := gen.LoadFile(filepath.Join(sharedCTDC, globalFile))
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Write(&buf, n, 1); err != nil {
		tb.Fatal(err)
	}
	generated.Store(n, buf.Bytes())
	return buf.Bytes()
}

// SDSColumns are the columns of PRIVACY.md's SDS comparison (gender, age
// band, citizenship, exploitation type, recruiter relation, year), here as
// quasi-identifiers: SDS protects every column it reports.
var SDSColumns = []string{ColGender, ColAge, ColCitizenship, "isForcedLabour", "isSexualExploit", "isOtherExploit", "RecruiterRelationship", ColYear}

func sdsConfig(k int, m Method) Config {
	cfg := Config{K: k, Method: m}
	for _, c := range SDSColumns {
		cfg.QIs = append(cfg.QIs, QI{c, HierarchyFor(c)})
	}
	return cfg
}

// BenchmarkEndToEnd: read the CSV file, partition, generalise, write the
// CSV file.
func BenchmarkEndToEnd(b *testing.B) {
	dir := b.TempDir()
	for _, n := range []int{100_000, 1_000_000} {
		data := generatedFile(b, n)
		in, out := filepath.Join(dir, "in.csv"), filepath.Join(dir, "out.csv")
		if err := os.WriteFile(in, data, 0o600); err != nil {
			b.Fatal(err)
		}
		for _, qis := range []string{"default", "sds8"} {
			for _, m := range allMethods {
				cfg := DefaultConfig()
				if qis == "sds8" {
					cfg = sdsConfig(DefaultK, m)
				}
				cfg.Method = m
				b.Run(fmt.Sprintf("n=%d/qi=%s/%s", n, qis, m), func(b *testing.B) {
					b.SetBytes(int64(len(data)))
					for b.Loop() {
						if err := releaseFile(in, out, cfg); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/release")
				})
			}
		}
	}
}

// BenchmarkPhases times each phase alone on 1M rows.
func BenchmarkPhases(b *testing.B) {
	data := generatedFile(b, 1_000_000)
	t, err := ReadCSV(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			ParseCSV(data)
		}
	})
	for _, qis := range []string{"default", "sds8"} {
		cfg := DefaultConfig()
		if qis == "sds8" {
			cfg = sdsConfig(DefaultK, MethodMondrian)
		}
		res, err := Run(t, cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("run/"+qis, func(b *testing.B) {
			for b.Loop() {
				res, _ = Run(t, cfg)
			}
		})
		b.Run("write/"+qis, func(b *testing.B) {
			for b.Loop() {
				WriteCTDC(io.Discard, res, HeaderCTDC)
			}
		})
	}
}

// releaseFile is the whole job: file in, file out.
func releaseFile(in, out string, cfg Config) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	t, err := ReadCSV(f)
	if err != nil {
		return err
	}
	res, err := Run(t, cfg)
	if err != nil {
		return err
	}
	o, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := WriteCTDC(o, res, HeaderCTDC); err != nil {
		o.Close()
		return err
	}
	return o.Close()
}
