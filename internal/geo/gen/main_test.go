// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestReproducible: the embedded files are exactly what the generator
// makes from the shared boundary files.
func TestReproducible(t *testing.T) {
	src := "../../../../shared/data/geo"
	if _, err := os.Stat(src); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the boundary files are needed under CI=true: %v", err)
		}
		t.Skipf("no boundary files: %v", err)
	}
	out := t.TempDir()
	if err := run(src, out); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"drc.tsv", "world.tsv", "SOURCE.md"} {
		got, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("../data", f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the generator's output: run go generate ./internal/geo", f)
		}
	}
}

func TestSimplifyKeepsShape(t *testing.T) {
	// A square with points along its edges keeps its four corners.
	var r []pt
	for i := 0; i < 10; i++ {
		r = append(r, pt{float64(i), 0})
	}
	for i := 0; i < 10; i++ {
		r = append(r, pt{10, float64(i)})
	}
	for i := 10; i > 0; i-- {
		r = append(r, pt{float64(i), 10})
	}
	for i := 10; i >= 0; i-- {
		r = append(r, pt{0, float64(i)})
	}
	s := simplify(r, 0.5)
	if len(s) != 5 || area(s) != area(r) {
		t.Errorf("simplified square: %v (area %v, was %v)", s, area(s), area(r))
	}
	if l := polylabel(s); l.x < 4 || l.x > 6 || l.y < 4 || l.y > 6 {
		t.Errorf("label point of a square: %v", l)
	}
}
