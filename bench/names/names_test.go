// SPDX-License-Identifier: AGPL-3.0-or-later

package names

import (
	"math/rand/v2"
	"strings"
	"testing"

	vnames "vigie/internal/names"
)

// phoneticKeys is the phonetic key of each token of a name, as vigie's
// blind index sees it.
func phoneticKeys(name string) string {
	var out []string
	for _, t := range vnames.Tokens(name) {
		out = append(out, vnames.Phonetic(t))
	}
	return strings.Join(out, " ")
}

func TestListsAreDistinct(t *testing.T) {
	seen := map[string]string{}
	for _, n := range familyNames {
		k := phoneticKeys(n)
		if prev, ok := seen[k]; ok {
			t.Errorf("family names %s and %s are one name to vigie (phonetic key %q)", prev, n, k)
		}
		seen[k] = n
	}
	if len(familyNames) < 200 {
		t.Errorf("%d family names, want about 200", len(familyNames))
	}
	given := map[string]string{}
	for _, n := range givenNames {
		k := phoneticKeys(n.name)
		if prev, ok := given[k]; ok {
			t.Errorf("given names %s and %s are one name to vigie (phonetic key %q)", prev, n.name, k)
		}
		given[k] = n.name
	}
	if len(givenNames) < 150 {
		t.Errorf("%d given names, want about 150", len(givenNames))
	}
}

// Variants are other spellings of the same spoken name: vigie's
// phonetic key must not tell them apart.
func TestVariantsKeepThePhoneticKey(t *testing.T) {
	all := append([]string{}, familyNames...)
	for _, g := range givenNames {
		all = append(all, g.name)
	}
	with := 0
	for _, n := range all {
		vs := Variants(n)
		if len(vs) > 0 {
			with++
		}
		for _, v := range vs {
			if phoneticKeys(v) != phoneticKeys(n) {
				t.Errorf("variant %s of %s: phonetic keys %q and %q", v, n, phoneticKeys(v), phoneticKeys(n))
			}
		}
	}
	if with < len(all)/2 {
		t.Errorf("only %d of %d names have variants", with, len(all))
	}
	for _, c := range []struct{ in, want string }{
		{"Tshibangu", "Chibangu"}, {"Mwamba", "Mouamba"}, {"Ilunga", "Ylunga"}, {"Kasongo", "Kassongo"},
		{"Kalonji", "Kalondji"}, {"Ngoy", "Ngoyi"}, {"Mbuyi", "Mbuy"}, {"Kazadi", "Kasadi"}, {"Thérèse", "Therese"}, {"Joseph", "Josef"},
	} {
		if !contains(Variants(c.in), c.want) {
			t.Errorf("Variants(%s) = %v, want %s among them", c.in, Variants(c.in), c.want)
		}
	}
}

func TestPersonsAreDeterministic(t *testing.T) {
	a, b := New(7), New(7)
	for i := range 1000 {
		if a.Person(i) != b.Person(i) {
			t.Fatalf("person %d differs between two generators of one seed", i)
		}
	}
	if New(8).Person(3) == a.Person(3) {
		t.Error("seeds 7 and 8 give the same person 3")
	}
}

func TestPopulationShape(t *testing.T) {
	const n = 100_000
	g := New(1)
	counts := g.FamilyCounts(n)
	top := 0
	for _, c := range counts[:len(familyNames)] {
		top = max(top, int(c))
	}
	tail, rare, fem, post := 0, 0, 0, 0
	for i := range n {
		p := g.Person(i)
		if p.FamilyID >= len(familyNames) {
			tail++
		}
		if counts[p.FamilyID] <= 3 {
			rare++
		}
		if p.Feminine {
			fem++
		}
		if p.Middle != "" {
			post++
		}
		if p.Year < FirstYear || p.Year > LastYear || p.Agency < 0 || p.Agency >= len(Agencies) || p.First == "" || p.Family == "" {
			t.Fatalf("person %d is malformed: %+v", i, p)
		}
	}
	share := func(k int) float64 { return float64(k) / n }
	if s := share(top); s < 0.015 || s > 0.035 {
		t.Errorf("most common family name: %.1f %% of persons", 100*s)
	}
	if s := share(tail); s < 0.22 || s > 0.28 {
		t.Errorf("tail family names: %.1f %%", 100*s)
	}
	if rare < 1000 {
		t.Errorf("only %d persons with a family name shared by at most 3", rare)
	}
	if s := share(fem); s < 0.65 || s > 0.71 {
		t.Errorf("women and girls: %.1f %%", 100*s)
	}
	if s := share(post); s < 0.42 || s > 0.48 {
		t.Errorf("post-noms: %.1f %%", 100*s)
	}
}

func TestQueries(t *testing.T) {
	const n = 20_000
	g := New(1)
	qs := g.Queries(200, n, g.FamilyCounts(n))
	if len(qs) != 200 {
		t.Fatalf("%d queries", len(qs))
	}
	kinds := map[string]int{}
	for _, q := range qs {
		kinds[q.Kind]++
		if strings.TrimSpace(q.Text) == "" || q.Source < 0 || q.Source >= n {
			t.Errorf("bad query %+v", q)
		}
	}
	if kinds["rare"] != 55 || kinds["exact"] != 30 {
		t.Errorf("kinds %v", kinds)
	}
}

func TestTypo(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		w := familyNames[r.IntN(len(familyNames))]
		got := Typo(r, w)
		if len([]rune(w)) >= 5 && got == w {
			t.Errorf("Typo(%s) left it unchanged", w)
		}
		if got[0] != w[0] {
			t.Errorf("Typo(%s) = %s changed the first letter", w, got)
		}
	}
	if Typo(r, "Ngoy") != "Ngoy" {
		t.Error("a 4-letter word got a typo")
	}
}
