// SPDX-License-Identifier: AGPL-3.0-or-later

// Package names generates the victims of the name-search benchmark (`go
// run ./bench names`): Congolese persons with a given name, often a
// post-nom, and a family name, spelled the way registers and clerks in
// the DRC write them, common names common and a long tail of rare ones,
// and the search queries typed against them, with the spelling variants
// and typing errors of real searches.
//
// Everything is deterministic: person i of a seed is always the same
// person, whatever n, so that queries can be drawn before the import.
package names

import (
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Shape of the population. The shares are guesses from public lists of
// Congolese names (pupils, voters, victims in NGO reports), not
// measurements; what matters for the benchmark is that a few names are
// very common and most are rare.
const (
	// FamilyTailShare of persons carry a family name outside the
	// common list, drawn from TailNames synthetic Bantu names with Zipf
	// weights, so that most of them are rare.
	FamilyTailShare = 0.25
	// GivenTailShare of persons carry a given name outside the list.
	GivenTailShare = 0.04
	// PostnomShare of persons have a post-nom (MiddleName), the second
	// family name of Congolese civil registration (Félix Tshisekedi
	// Tshilombo), drawn like family names.
	PostnomShare = 0.45
	// FamilyVariantShare of family names (and post-noms) and
	// GivenVariantShare of given names are stored in another spelling
	// than the list's (Mouamba for Mwamba, Therese for Thérèse).
	FamilyVariantShare = 0.10
	GivenVariantShare  = 0.08
	// UpperShare of family names are stored in capitals (MUKENDI), as
	// French administrative usage writes them.
	UpperShare = 0.35
	// FeminineShare of victims are women and girls (CTDC: about 70 %).
	FeminineShare = 0.68
	// TailNames is the number of distinct synthetic family names.
	TailNames = 200_000
)

// Zipf weights: the name of rank r (from 1) has weight 1/(r+q). With
// q = 10 the most common family name is about 2.3 % of persons and the
// 200th about 0.12 %; with q = 3 the most common given name about 6 %.
const (
	familyQ = 10
	givenQ  = 3
	tailQ   = 2
)

// Agency is one of the agencies the generated cases are registered by.
type Agency struct {
	Code, Name string
	Share      float64
}

// Agencies register the cases, in these shares.
var Agencies = []Agency{
	{"KIN", "Division provinciale des affaires sociales, Kinshasa", 0.30},
	{"LSH", "Division provinciale des affaires sociales, Lubumbashi", 0.18},
	{"GOM", "Division provinciale des affaires sociales, Goma", 0.14},
	{"BKV", "Division provinciale des affaires sociales, Bukavu", 0.10},
	{"KIS", "Division provinciale des affaires sociales, Kisangani", 0.09},
	{"KOL", "Division provinciale des affaires sociales, Kolwezi", 0.08},
	{"MBM", "Division provinciale des affaires sociales, Mbuji-Mayi", 0.06},
	{"KAN", "Division provinciale des affaires sociales, Kananga", 0.05},
}

// Registration years of the generated cases (more cases in later years).
const (
	FirstYear = 2015
	LastYear  = 2026
)

// Person is one generated victim, names as stored in the case.
type Person struct {
	First, Middle, Family string
	// FamilyID identifies the family name before any respelling: its
	// index in the common list, or len(list) + its tail rank.
	FamilyID int
	Feminine bool
	Agency   int // index in Agencies
	Year     int
}

// Name is the full name as a person would type it: given, post-nom,
// family.
func (p Person) Name() string {
	return strings.Join(strings.Fields(p.First+" "+p.Middle+" "+p.Family), " ")
}

// Generator draws persons and queries from a seed.
type Generator struct {
	seed                       uint64
	familyCum, givenCum        []float64
	tailCum, agencyCum, yearCt []float64
	tail, givenTail            []string
}

// New returns the generator of seed.
func New(seed uint64) *Generator {
	g := &Generator{seed: seed}
	g.familyCum = zipfCum(len(familyNames), familyQ)
	g.givenCum = zipfCum(len(givenNames), givenQ)
	g.tailCum = zipfCum(TailNames, tailQ)
	for _, a := range Agencies {
		g.agencyCum = appendCum(g.agencyCum, a.Share)
	}
	for y := FirstYear; y <= LastYear; y++ {
		g.yearCt = appendCum(g.yearCt, float64(y-FirstYear+1))
	}
	taken := map[string]bool{}
	for _, n := range familyNames {
		taken[strings.ToLower(n)] = true
	}
	for _, n := range givenNames {
		taken[strings.ToLower(n.name)] = true
	}
	r := rand.New(rand.NewPCG(seed, 0x7a11))
	g.tail = make([]string, TailNames)
	for i := range g.tail {
		g.tail[i] = syntheticName(r, taken)
	}
	g.givenTail = make([]string, 2000)
	for i := range g.givenTail {
		g.givenTail[i] = syntheticName(r, taken)
	}
	return g
}

func zipfCum(n int, q float64) []float64 {
	var cum []float64
	for r := 1; r <= n; r++ {
		cum = appendCum(cum, 1/(float64(r)+q))
	}
	return cum
}

func appendCum(cum []float64, w float64) []float64 {
	last := 0.0
	if len(cum) > 0 {
		last = cum[len(cum)-1]
	}
	return append(cum, last+w)
}

// pick draws an index with the weights whose running sums are cum.
func pick(r *rand.Rand, cum []float64) int {
	x := r.Float64() * cum[len(cum)-1]
	return min(sort.SearchFloat64s(cum, x), len(cum)-1)
}

// Bantu syllables of the synthetic names: onsets as Congolese
// orthographies write them, prenasalised ones included.
var (
	onsets  = []string{"k", "k", "k", "l", "l", "m", "m", "n", "s", "t", "b", "b", "mb", "nd", "ng", "ny", "nk", "ns", "nz", "p", "y", "z", "sh", "tsh", "mw", "bw", "kw", "lw", "f", "v", "j", "ky"}
	vowels  = []string{"a", "a", "a", "e", "i", "i", "o", "u", "u"}
	initial = []string{"I", "E", "O", "A"}
)

// syntheticName draws a new two- to four-syllable Bantu-sounding name
// not in taken (and adds it).
func syntheticName(r *rand.Rand, taken map[string]bool) string {
	for {
		var b strings.Builder
		if r.IntN(10) == 0 {
			b.WriteString(initial[r.IntN(len(initial))])
		}
		syl := 2 + r.IntN(3)
		for range syl {
			b.WriteString(onsets[r.IntN(len(onsets))])
			b.WriteString(vowels[r.IntN(len(vowels))])
		}
		s := b.String()
		key := strings.ToLower(s)
		if taken[key] {
			continue
		}
		taken[key] = true
		return strings.ToUpper(s[:1]) + s[1:]
	}
}

// rng is person i's random source.
func (g *Generator) rng(i int, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed^stream, uint64(i)))
}

// family draws a family name (or post-nom) and its ID.
func (g *Generator) family(r *rand.Rand) (string, int) {
	if r.Float64() < FamilyTailShare {
		k := pick(r, g.tailCum)
		return g.tail[k], len(familyNames) + k
	}
	k := pick(r, g.familyCum)
	return familyNames[k], k
}

// Person returns person i.
func (g *Generator) Person(i int) Person {
	r := g.rng(i, 0x9e3779b97f4a7c15)
	var p Person
	fem := r.Float64() < FeminineShare
	if r.Float64() < GivenTailShare {
		p.First = g.givenTail[r.IntN(len(g.givenTail))]
	} else {
		// Draw from the list until the gender fits (the list is about
		// half feminine, so this ends quickly).
		for {
			gn := givenNames[pick(r, g.givenCum)]
			if gn.feminine == fem {
				p.First = gn.name
				break
			}
		}
	}
	p.Feminine = fem
	if r.Float64() < GivenVariantShare {
		p.First = Variant(r, p.First)
	}
	var fam string
	fam, p.FamilyID = g.family(r)
	p.Family = g.written(r, fam)
	if r.Float64() < PostnomShare {
		mid, _ := g.family(r)
		p.Middle = g.written(r, mid)
	}
	p.Agency = pick(r, g.agencyCum)
	p.Year = FirstYear + pick(r, g.yearCt)
	return p
}

// written is a family name as a clerk writes it: sometimes respelled,
// sometimes in capitals.
func (g *Generator) written(r *rand.Rand, name string) string {
	if r.Float64() < FamilyVariantShare {
		name = Variant(r, name)
	}
	if r.Float64() < UpperShare {
		name = strings.ToUpper(name)
	}
	return name
}

// FamilyCounts counts persons 0..n-1 by FamilyID.
func (g *Generator) FamilyCounts(n int) []int32 {
	counts := make([]int32, len(familyNames)+TailNames)
	for i := range n {
		counts[g.Person(i).FamilyID]++
	}
	return counts
}

// Variants returns the other spellings of name that clerks write for the
// same spoken name and that the phonetic key of vigie/internal/names
// maps to the same key: Tshibangu → Chibangu, Tchibangu; Mwamba →
// Mouamba; Mukendi → Moukendi; Ilunga → Ylunga; Ngoy → Ngoyi, Mbuyi →
// Mbuy; Kasongo → Kassongo (a doubled letter); Kalonji → Kalondji;
// Kazadi → Kasadi; Thérèse → Therese (accents dropped); Joseph →
// Josef.
func Variants(name string) []string {
	var out []string
	add := func(s string) {
		if s != "" && s != name && !contains(out, s) {
			out = append(out, s)
		}
	}
	add(replaceFirst(name, "Tsh", "Ch"))
	add(replaceFirst(name, "Tsh", "Tch"))
	add(replaceFirst(name, "tsh", "ch"))
	add(replaceFirst(name, "tsh", "tch"))
	add(glideOu(name))
	add(uToOu(name))
	if strings.HasPrefix(name, "I") {
		add("Y" + name[1:])
	}
	switch {
	case strings.HasSuffix(name, "yi"):
		add(strings.TrimSuffix(name, "i"))
	case strings.HasSuffix(name, "y"):
		add(name + "i")
	}
	add(doubleConsonant(name))
	add(jToDj(name))
	add(interZ(name))
	add(stripAccents(name))
	add(replaceFirst(name, "ph", "f"))
	return out
}

// Variant returns one of name's variants at random, or name if it has
// none.
func Variant(r *rand.Rand, name string) string {
	v := Variants(name)
	if len(v) == 0 {
		return name
	}
	return v[r.IntN(len(v))]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func replaceFirst(s, old, new string) string {
	if !strings.Contains(s, old) {
		return ""
	}
	return strings.Replace(s, old, new, 1)
}

func isVowel(c byte) bool { return strings.IndexByte("aeiouAEIOU", c) >= 0 }

// glideOu writes the glide w after a consonant as "ou": Mwamba → Mouamba,
// Kwete → Kouete.
func glideOu(s string) string {
	for i := 1; i+1 < len(s); i++ {
		if s[i] == 'w' && !isVowel(s[i-1]) && isVowel(s[i+1]) {
			return s[:i] + "ou" + s[i+1:]
		}
	}
	return ""
}

// uToOu writes every u after a consonant "ou", the French spelling:
// Lumumba → Loumoumba, Mukendi → Moukendi.
func uToOu(s string) string {
	var b strings.Builder
	changed := false
	for i := 0; i < len(s); i++ {
		if s[i] == 'u' && i > 0 && !isVowel(s[i-1]) && s[i-1] != 'q' && s[i-1] != 'w' && s[i-1] != '-' {
			b.WriteString("ou")
			changed = true
			continue
		}
		b.WriteByte(s[i])
	}
	if !changed {
		return ""
	}
	return b.String()
}

// doubleConsonant doubles the first single consonant among s, l, n, m,
// t, k, b between two vowels: Kasongo → Kassongo, Kabasele → Kabbasele.
func doubleConsonant(s string) string {
	for i := 1; i+1 < len(s); i++ {
		if strings.IndexByte("slnmtkb", s[i]) >= 0 && isVowel(s[i-1]) && isVowel(s[i+1]) {
			return s[:i+1] + s[i:]
		}
	}
	return ""
}

// jToDj writes j as the French dj: Kalonji → Kalondji.
func jToDj(s string) string {
	for i := 1; i < len(s); i++ {
		if s[i] == 'j' && s[i-1] != 'd' {
			return s[:i] + "d" + s[i:]
		}
	}
	return ""
}

// interZ writes a z between vowels as s, as a French ear hears it: Kazadi
// → Kasadi.
func interZ(s string) string {
	for i := 1; i+1 < len(s); i++ {
		if s[i] == 'z' && isVowel(s[i-1]) && isVowel(s[i+1]) {
			return s[:i] + "s" + s[i+1:]
		}
	}
	return ""
}

var accentStripper = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

func stripAccents(s string) string {
	out, _, err := transform.String(accentStripper, s)
	if err != nil || out == s {
		return ""
	}
	return out
}

// azerty lists the keys next to each letter on the AZERTY keyboards used
// in the DRC, for typing errors.
var azerty = map[rune]string{
	'a': "zqs", 'z': "aesq", 'e': "zrsd", 'r': "etdf", 't': "ryfg", 'y': "tugh", 'u': "yihj", 'i': "uojk", 'o': "ipkl", 'p': "olm",
	'q': "azsw", 's': "qzedxw", 'd': "serfxc", 'f': "drtgcv", 'g': "ftyhvb", 'h': "gyujbn", 'j': "huiknb", 'k': "jiol", 'l': "kopm", 'm': "lp",
	'w': "qsx", 'x': "wsdc", 'c': "xdfv", 'v': "cfgb", 'b': "vghn", 'n': "bhj",
}

// Typo makes one typing error in a word of at least 5 letters (the
// length from which vigie's similarity reads one edit as a typo): a
// neighbouring key instead of the right one, a letter left out, two
// letters swapped, or a neighbouring key typed as well. The first letter
// is kept. Shorter words are returned unchanged.
func Typo(r *rand.Rand, word string) string {
	w := []rune(word)
	if len(w) < 5 {
		return word
	}
	for range 20 {
		i := 1 + r.IntN(len(w)-1)
		lower := unicode.ToLower(w[i])
		near := azerty[lower]
		var out []rune
		switch r.IntN(4) {
		case 0:
			if near == "" {
				continue
			}
			c := []rune(near)[r.IntN(len(near))]
			if unicode.IsUpper(w[i]) {
				c = unicode.ToUpper(c)
			}
			out = append(append(append([]rune{}, w[:i]...), c), w[i+1:]...)
		case 1:
			out = append(append([]rune{}, w[:i]...), w[i+1:]...)
		case 2:
			if i+1 >= len(w) || w[i] == w[i+1] {
				continue
			}
			out = append([]rune{}, w...)
			out[i], out[i+1] = out[i+1], out[i]
		default:
			if near == "" {
				continue
			}
			c := []rune(near)[r.IntN(len(near))]
			if unicode.IsUpper(w[i]) {
				c = unicode.ToUpper(c)
			}
			out = append(append(append([]rune{}, w[:i+1]...), c), w[i+1:]...)
		}
		if s := string(out); s != word {
			return s
		}
	}
	return word
}

// Query is one search of the benchmark.
type Query struct {
	Text string
	Kind string // see QueryKinds
	// Source is the index of the person the query was made from.
	Source int
}

// QueryKinds are the kinds of queries, with their share of a query set:
//   - exact: a person's name as stored (given and family name, or the
//     full name with the post-nom);
//   - variant: the same with the family name (and sometimes the given
//     name) in another spelling;
//   - typo: one typing error in the family name, or in the given name
//     when the family name is too short;
//   - order: FAMILY Given, the administrative order, family name in
//     capitals;
//   - single: the family name alone;
//   - rare: a person whose family name at most 3 persons share, as
//     stored or respelled.
var QueryKinds = []struct {
	Kind  string
	Share float64
}{{"exact", 0.15}, {"variant", 0.25}, {"typo", 0.175}, {"order", 0.10}, {"single", 0.05}, {"rare", 0.275}}

// Queries draws total queries against persons 0..n-1; counts is
// FamilyCounts(n).
func (g *Generator) Queries(total, n int, counts []int32) []Query {
	r := rand.New(rand.NewPCG(g.seed, 0x5ea4c4))
	var out []Query
	left := total
	for k, qk := range QueryKinds {
		m := int(math.Round(qk.Share * float64(total)))
		if k == len(QueryKinds)-1 {
			m = left
		}
		left -= m
		for range m {
			out = append(out, g.query(r, qk.Kind, n, counts))
		}
	}
	return out
}

func (g *Generator) query(r *rand.Rand, kind string, n int, counts []int32) Query {
	i := r.IntN(n)
	if kind == "rare" {
		// The next person, from a random start, whose family name is rare.
		for j := range n {
			k := (i + j) % n
			if counts[g.Person(k).FamilyID] <= 3 {
				i = k
				break
			}
		}
	}
	p := g.Person(i)
	given, family := p.First, p.Family
	full := r.IntN(5) < 2 && p.Middle != ""
	text := func() string {
		if full {
			return given + " " + p.Middle + " " + family
		}
		return given + " " + family
	}
	switch kind {
	case "variant":
		base := familyBase(p.FamilyID, family, g)
		if v := Variant(r, base); v != base {
			family = v
		} else {
			family = Variant(r, family)
		}
		if r.IntN(3) == 0 {
			given = Variant(r, given)
		}
	case "typo":
		if t := Typo(r, family); t != family {
			family = t
		} else {
			given = Typo(r, given)
		}
	case "order":
		return Query{Text: strings.ToUpper(family) + " " + given, Kind: kind, Source: i}
	case "single":
		return Query{Text: family, Kind: kind, Source: i}
	case "rare":
		if r.IntN(10) < 3 {
			family = Variant(r, family)
		}
	}
	return Query{Text: text(), Kind: kind, Source: i}
}

// familyBase is the list or tail spelling of a family name.
func familyBase(id int, written string, g *Generator) string {
	switch {
	case id < len(familyNames):
		return familyNames[id]
	case id-len(familyNames) < len(g.tail):
		return g.tail[id-len(familyNames)]
	}
	return written
}
