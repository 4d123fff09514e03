// SPDX-License-Identifier: AGPL-3.0-or-later

package demo

import (
	"embed"
	"math/rand/v2"
	"slices"
	"strings"
)

// The lists are common names, combined at random: a demo person is
// nobody. They never come from case data.
//
//go:embed names/*.txt
var nameFiles embed.FS

var (
	femaleNames = list("names/female.txt")
	maleNames   = list("names/male.txt")
	surnames    = list("names/surnames.txt")
	cities      = list("names/cities.txt")
)

func list(name string) []string {
	b, err := nameFiles.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return strings.Fields(string(b))
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// chance is true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// KnownName reports whether s is one of the lists' names (tests check
// that every demo person comes from them).
func KnownName(s string) bool {
	return slices.Contains(femaleNames, s) || slices.Contains(maleNames, s) || slices.Contains(surnames, s)
}
