// SPDX-License-Identifier: AGPL-3.0-or-later

// Command gen turns the boundary files of ../shared/data/geo into the
// small files the geo package embeds: the 26 provinces of the DRC in
// Mercator and the world's countries in Equal Earth, projected once,
// simplified (Douglas–Peucker) to about the map's pixel, rounded to whole
// viewBox units and written as ready SVG path data, with a label point
// per shape. It checks the sources' SHA-256 against those SOURCE.md
// gives, so the output is reproducible:
//
//	go run ./internal/geo/gen -src ../shared/data/geo -out internal/geo/data
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// sources are the input files with the SHA-256 that SOURCE.md lists.
var sources = map[string]string{
	"cod-adm1.geojson":            "47b11c7bd14becb7cd26722829d2a4518816754689c56b39b9edb6157c5c30b7",
	"world-countries-50m.geojson": "59b2dccbba30213d602bad3bdc0c6586a5e66db6719d9c8c0efbc0bd430f7190",
}

func main() {
	src := flag.String("src", "../shared/data/geo", "folder of the boundary files (SOURCE.md)")
	out := flag.String("out", "internal/geo/data", "folder to write the embedded files to")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// run reads the sources in src and writes drc.tsv, world.tsv and a copy
// of SOURCE.md (the licences and credits that travel with the data) to out.
func run(src, out string) error {
	for name, sum := range sources {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			return err
		}
		got := sha256.Sum256(b)
		if hex.EncodeToString(got[:]) != sum {
			return fmt.Errorf("%s: SHA-256 %x, SOURCE.md says %s: not the file this generator was written for", name, got, sum)
		}
	}
	for _, m := range maps {
		if err := m.build(src, out); err != nil {
			return fmt.Errorf("%s: %w", m.file, err)
		}
	}
	return copyFile(filepath.Join(src, "SOURCE.md"), filepath.Join(out, "SOURCE.md"))
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	o, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(o, in); err != nil {
		o.Close()
		return err
	}
	return o.Close()
}
