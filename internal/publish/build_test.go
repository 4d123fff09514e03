// SPDX-License-Identifier: AGPL-3.0-or-later

package publish

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"vigie/internal/domain"
)

// fakeRows generates n victims' rows, skewed like real registers: many
// Congolese adults in sexual exploitation, a tail of rare citizenships.
type fakeRows struct{ n int }

func (f fakeRows) ReleaseRows(_ context.Context, from, to int, fn func([]string) error) error {
	r := rand.New(rand.NewPCG(uint64(f.n), 1))
	cits := []string{"CD", "CD", "CD", "CD", "AO", "RW", "UG", "ZM", "BI", "TZ"}
	bands := []string{"0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"}
	for range f.n {
		c := domain.CaseStats{
			Year:         from + r.IntN(to-from+1),
			Gender:       []string{"Feminine", "Masculine", "Feminine"}[r.IntN(3)],
			AgeBand:      bands[r.IntN(len(bands))],
			Citizenship:  cits[r.IntN(len(cits))],
			Country:      []string{"CD", "CD", "AO", "ZA"}[r.IntN(4)],
			Exploitation: []string{"SexualExploitation", "ForcedLabour", "ForcedLabour;SexualExploitation"}[r.IntN(3)],
			Province:     []string{"CD-KN", "CD-NK", "CD-HK", "CD-SK"}[r.IntN(4)],
		}
		if r.IntN(300) == 0 {
			c.Citizenship = "XK" // a rare country: a few people
		}
		if c.AgeBand == "0--8" || c.AgeBand == "9--17" {
			c.AgeGroup = "Child"
		} else {
			c.AgeGroup = "Adult"
		}
		if err := fn(domain.ReleaseRow(c, nil)); err != nil {
			return err
		}
	}
	return nil
}

func unzip(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(data)
	}
	return out
}

func TestBuildSuppressedTables(t *testing.T) {
	rel, err := Build(context.Background(), fakeRows{3000}, Options{Kind: domain.ReleaseTables, Title: "T", From: 2023, To: 2025})
	if err != nil {
		t.Fatal(err)
	}
	files := unzip(t, rel.File)
	for _, spec := range DefaultTables() {
		body, ok := files[spec.Name+".csv"]
		if !ok {
			t.Fatalf("no %s.csv in %v", spec.Name, files)
		}
		lines, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines[1:] {
			count := l[len(l)-2]
			if count == "" {
				continue
			}
			if n, _ := strconv.Atoi(count); n > 0 && n < 11 {
				t.Fatalf("%s: a count of %d is shown: %v", spec.Name, n, l)
			}
		}
	}
	if !strings.Contains(files["citizenship_by_exploitation.csv"], "suppressed") {
		t.Fatal("the rare citizenship's cells were not suppressed")
	}
	// The rare citizenship (about 10 of the 3,000) is not even named: it
	// is pooled with the others under the threshold.
	for name, body := range files {
		if strings.Contains(body, "XK") {
			t.Fatalf("%s names the rare citizenship XK:\n%s", name, body)
		}
	}
	if !strings.Contains(files["citizenship_by_exploitation.csv"], "(autres / other)") {
		t.Fatalf("no pooled category:\n%s", files["citizenship_by_exploitation.csv"])
	}
	var man TablesManifest
	if err := json.Unmarshal(rel.Manifest, &man); err != nil {
		t.Fatal(err)
	}
	if man.Rows != 3000 || len(man.Tables) != 4 || man.Tables[2].Suppression == nil || man.Tables[2].Suppression.Primary == 0 || man.Tables[2].Pooled != 1 {
		t.Fatalf("manifest %s", rel.Manifest)
	}
	if rel.EpsilonMilli != 0 {
		t.Fatalf("suppression spent ε %d", rel.EpsilonMilli)
	}
	// Same data, same bytes: nothing random in a suppressed release.
	again, _ := Build(context.Background(), fakeRows{3000}, Options{Kind: domain.ReleaseTables, Title: "T", From: 2023, To: 2025})
	if !bytes.Equal(again.File, rel.File) {
		t.Fatal("the same release gave different bytes")
	}
}

func TestBuildDPTables(t *testing.T) {
	cfg := `{"method":"dp","epsilon":1,"delta":1e-6,"tables":[{"name":"sex","dims":[{"column":"gender","values":["Female","Male","Unknown"]}]},{"name":"cit","dims":[{"column":"citizenship"}]}]}`
	rel, err := Build(context.Background(), fakeRows{2000}, Options{Kind: domain.ReleaseTables, Title: "DP", From: 2025, To: 2025, Tables: json.RawMessage(cfg)})
	if err != nil {
		t.Fatal(err)
	}
	if rel.EpsilonMilli != 1000 {
		t.Fatalf("ε spent %d‰, want 1000", rel.EpsilonMilli)
	}
	files := unzip(t, rel.File)
	if !strings.Contains(files["sex.csv"], "Unknown") {
		t.Fatalf("a fixed category must be released even if empty:\n%s", files["sex.csv"])
	}
	var public map[string]any
	if err := json.Unmarshal([]byte(files["manifest.json"]), &public); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(files["manifest.json"], "mae") || strings.Contains(files["manifest.json"], "released_pct") {
		t.Fatalf("the public manifest holds figures measured on the true data:\n%s", files["manifest.json"])
	}
	var man TablesManifest
	if err := json.Unmarshal(rel.Manifest, &man); err != nil || man.Tables[1].DP == nil || man.Tables[1].DP.Threshold == 0 {
		t.Fatalf("manifest %s (%v)", rel.Manifest, err)
	}
}

func TestBuildRecords(t *testing.T) {
	rel, err := Build(context.Background(), fakeRows{5000}, Options{Kind: domain.ReleaseRecords, Title: "R", From: 2020, To: 2025, K: 11})
	if err != nil {
		t.Fatal(err)
	}
	files := unzip(t, rel.File)
	lines, err := csv.NewReader(strings.NewReader(files["records.csv"])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := lines[0]
	if strings.Contains(strings.Join(head, ","), "province") {
		t.Fatalf("province is not a CTDC column and must not be released: %v", head)
	}
	// Independent check: every combination of the five quasi-identifiers
	// is shared by at least 11 released rows.
	var qi []int
	for i, h := range head {
		switch h {
		case "gender", "ageBroad", "citizenship", "CountryOfExploitation", "yearOfRegistration":
			qi = append(qi, i)
		}
	}
	if len(qi) != 5 {
		t.Fatalf("header %v", head)
	}
	classes := map[string]int{}
	for _, l := range lines[1:] {
		var k []string
		for _, i := range qi {
			k = append(k, l[i])
		}
		classes[strings.Join(k, "|")]++
	}
	for k, n := range classes {
		if n < 11 {
			t.Fatalf("class %s has %d rows", k, n)
		}
	}
	var man map[string]any
	if err := json.Unmarshal(rel.Manifest, &man); err != nil || man["metrics"] == nil {
		t.Fatalf("manifest %s", rel.Manifest)
	}
}

func TestBuildProtection(t *testing.T) {
	cfg, err := TablesConfig(11, 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	rel, err := Build(context.Background(), fakeRows{3000}, Options{Kind: domain.ReleaseTables, Title: "P", From: 2023, To: 2025, Tables: cfg})
	if err != nil {
		t.Fatal(err)
	}
	var man TablesManifest
	if err := json.Unmarshal(rel.Manifest, &man); err != nil || man.Protection != 3 {
		t.Fatalf("manifest %s", rel.Manifest)
	}
	if !strings.Contains(unzip(t, rel.File)["manifest.json"], `"protection": 3`) {
		t.Fatal("the public manifest does not state the protection")
	}
	if _, err := TablesConfig(11, 12, 0); err == nil {
		t.Fatal("a protection above the threshold was accepted")
	}
}

// TestBuildRefusals: every bad setting is refused before or after the
// cases are read, under the field that asked for it.
func TestBuildRefusals(t *testing.T) {
	rec := func(k int, method string, qis ...string) Options {
		return Options{Kind: domain.ReleaseRecords, Title: "R", From: 2020, To: 2025, K: k, Method: method, QIs: qis}
	}
	tab := func(cfg string) Options {
		return Options{Kind: domain.ReleaseTables, Title: "T", From: 2020, To: 2025, Tables: json.RawMessage(cfg)}
	}
	for _, c := range []struct {
		name  string
		rows  int
		opt   Options
		field string
	}{
		{"k 1", 500, rec(1, ""), "k"},
		{"k negative", 500, rec(-3, ""), "k"},
		{"k past the bound", 500, rec(1001, ""), "k"},
		{"k 2^32+2", 500, rec(1<<32+2, ""), "k"},
		{"k above the victims", 30, rec(50, ""), "k"},
		{"unknown method", 500, rec(0, "magic"), "method"},
		{"unknown quasi-identifier", 500, rec(0, "", "gender", "prs_FirstName"), "quasi_identifiers"},
		{"province is not released", 500, rec(0, "", "province"), "quasi_identifiers"},
		{"quasi-identifier twice", 500, rec(0, "", "gender", "prs_Gender"), "quasi_identifiers"},
		{"no victim (records)", 0, rec(0, ""), "period_from"},
		{"no victim (tables)", 0, tab(""), "period_from"},
		{"fewer victims than the threshold", 7, tab(""), "threshold"},
		{"suppression with ε", 500, tab(`{"method":"suppression","epsilon":-1,"tables":[{"name":"g","dims":[{"column":"gender"}]}]}`), "tables.epsilon"},
		{"dp with a threshold", 500, tab(`{"method":"dp","epsilon":1,"threshold":5,"tables":[{"name":"g","dims":[{"column":"gender"}]}]}`), "tables.threshold"},
		{"dp, ε 0", 500, tab(`{"method":"dp","epsilon":0,"tables":[{"name":"g","dims":[{"column":"gender"}]}]}`), "tables.epsilon"},
		{"dp, ε negative", 500, tab(`{"method":"dp","epsilon":-2,"tables":[{"name":"g","dims":[{"column":"gender"}]}]}`), "tables.epsilon"},
		{"unknown column", 500, tab(`{"method":"suppression","tables":[{"name":"g","dims":[{"column":"prs_FirstName"}]}]}`), "tables"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Build(context.Background(), fakeRows{c.rows}, c.opt)
			if domain.KindOf(err) != domain.KindInvalid {
				t.Fatalf("%v, want a refusal", err)
			}
			if fe := domain.FieldErrors(err); len(fe) == 0 || fe[0].Field != c.field {
				t.Fatalf("field errors %+v, want one on %s", fe, c.field)
			}
		})
	}
	for _, c := range []struct {
		name                  string
		threshold, protection int
		eps                   float64
		field                 string
	}{
		{"ε NaN", 0, 0, math.NaN(), "epsilon"},
		{"ε negative", 0, 0, -1, "epsilon"},
		{"ε too small", 0, 0, 1e-9, "epsilon"},
		{"ε infinite", 0, 0, math.Inf(1), "epsilon"},
		{"ε with a threshold", 11, 0, 1, "threshold"},
		{"threshold 1", 1, 0, 0, "threshold"},
		{"protection above the threshold", 11, 12, 0, "protection"},
		{"protection negative", 11, -1, 0, "protection"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := TablesConfig(c.threshold, c.protection, c.eps)
			if fe := domain.FieldErrors(err); len(fe) == 0 || fe[0].Field != c.field {
				t.Fatalf("%v: field errors %+v, want one on %s", err, fe, c.field)
			}
		})
	}
}

// Custom quasi-identifiers and k reach the release: its config, the
// reviewers' manifest and the public one name them, and every released
// combination of them holds k rows.
func TestBuildRecordsCustomQIs(t *testing.T) {
	rel, err := Build(context.Background(), fakeRows{3000}, Options{Kind: domain.ReleaseRecords, Title: "R", From: 2020, To: 2025,
		K: 20, QIs: []string{"gender", "citizenship", "isSexualExploit"}})
	if err != nil {
		t.Fatal(err)
	}
	var cfg RecordsConfig
	if err := json.Unmarshal(rel.Config, &cfg); err != nil || cfg.K != 20 || strings.Join(cfg.QIs, ",") != "gender,citizenship,isSexualExploit" {
		t.Fatalf("config %s", rel.Config)
	}
	files := unzip(t, rel.File)
	if !strings.Contains(files["manifest.json"], `"isSexualExploit"`) || !strings.Contains(string(rel.Manifest), `"k": 20`) {
		t.Fatalf("manifests:\n%s\n%s", files["manifest.json"], rel.Manifest)
	}
	lines, err := csv.NewReader(strings.NewReader(files["records.csv"])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var qi []int
	for i, h := range lines[0] {
		if h == "gender" || h == "citizenship" || h == "isSexualExploit" {
			qi = append(qi, i)
		}
	}
	classes := map[string]int{}
	for _, l := range lines[1:] {
		classes[l[qi[0]]+"|"+l[qi[1]]+"|"+l[qi[2]]]++
	}
	for k, n := range classes {
		if n < 20 {
			t.Fatalf("class %s has %d rows", k, n)
		}
	}
}

// Tables of one release that share a column show its totals alike: read
// back from the CSV files, a citizenship total hidden in one table is
// hidden in the others, and one shown is the same number everywhere.
func TestBuildLinkedTables(t *testing.T) {
	cfg := `{"method":"suppression","tables":[
		{"name":"sex_cit","dims":[{"column":"gender"},{"column":"citizenship"}]},
		{"name":"cit","dims":[{"column":"citizenship"}]},
		{"name":"cit_expl","dims":[{"column":"citizenship"},{"column":"typeOfExploitConcatenated"}]}]}`
	for n := 30; n < 700; n += 9 {
		rel, err := Build(context.Background(), fakeRows{n}, Options{Kind: domain.ReleaseTables, Title: "T", From: 2025, To: 2025, Tables: json.RawMessage(cfg)})
		if err != nil {
			t.Fatal(err)
		}
		files := unzip(t, rel.File)
		// citizenship → the total each table shows ("" when hidden).
		totals := map[string]map[string]string{}
		for name, citCol := range map[string]int{"sex_cit": 1, "cit": 0, "cit_expl": 0} {
			lines, err := csv.NewReader(strings.NewReader(files[name+".csv"])).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range lines[1:] {
				others := true
				for i := 0; i < len(l)-2; i++ {
					if i != citCol && l[i] != "Total" {
						others = false
					}
				}
				if others {
					if totals[l[citCol]] == nil {
						totals[l[citCol]] = map[string]string{}
					}
					totals[l[citCol]][name] = l[len(l)-2]
				}
			}
		}
		for cit, by := range totals {
			if len(by) != 3 || by["sex_cit"] != by["cit"] || by["cit"] != by["cit_expl"] {
				t.Errorf("%d victims: the total of %s reads %v", n, cit, by)
			}
		}
	}
}

// orderedRows gives fakeRows' victims in a chosen order: sorted by
// province first, as the database's index gives them, or shuffled.
type orderedRows struct {
	n       int
	shuffle uint64 // 0: sorted by province
}

func (o orderedRows) ReleaseRows(ctx context.Context, from, to int, fn func([]string) error) error {
	var rows [][]string
	if err := (fakeRows{o.n}).ReleaseRows(ctx, from, to, func(r []string) error {
		rows = append(rows, slices.Clone(r))
		return nil
	}); err != nil {
		return err
	}
	prov := slices.Index(domain.ReleaseColumns, "province")
	if o.shuffle == 0 {
		slices.SortStableFunc(rows, func(a, b []string) int { return strings.Compare(a[prov], b[prov]) })
	} else {
		rand.New(rand.NewPCG(o.shuffle, 3)).Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	}
	for _, r := range rows {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// The records file depends on the released rows only, not on the order
// the database gave them in: rows read sorted by province (not released)
// or shuffled give the same bytes, and the file's rows are sorted.
func TestBuildRecordsOrderFree(t *testing.T) {
	var files [][]byte
	for _, src := range []Rows{orderedRows{2000, 0}, orderedRows{2000, 1}, orderedRows{2000, 2}} {
		rel, err := Build(context.Background(), src, Options{Kind: domain.ReleaseRecords, Title: "R", From: 2020, To: 2025, K: 11})
		if err != nil {
			t.Fatal(err)
		}
		body := unzip(t, rel.File)["records.csv"]
		lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")[1:]
		if !slices.IsSorted(lines) || len(lines) != 2000 {
			t.Fatalf("%d rows, sorted: %v", len(lines), slices.IsSorted(lines))
		}
		files = append(files, rel.File)
	}
	if !bytes.Equal(files[0], files[1]) || !bytes.Equal(files[1], files[2]) {
		t.Fatal("the same victims read in another order give another file")
	}
}

// TestBuildStages: a record-level release reports its steps in order, so
// that bench publish splits its time; a refused one reports none past
// the read.
func TestBuildStages(t *testing.T) {
	var got []string
	opt := Options{Kind: domain.ReleaseRecords, Title: "s", From: 2015, To: 2025, Stage: func(s string) { got = append(got, s) }}
	if _, err := Build(context.Background(), fakeRows{2000}, opt); err != nil {
		t.Fatal(err)
	}
	if want := []string{"read", "anonymise", "write", "evaluate", "zip"}; !slices.Equal(got, want) {
		t.Fatalf("stages %v, want %v", got, want)
	}
	got = nil
	opt.K = 5000 // more than the victims
	if _, err := Build(context.Background(), fakeRows{2000}, opt); err == nil || len(got) > 1 {
		t.Fatalf("err %v, stages %v", err, got)
	}
}

// countedRows serves rows grouped with their counts, as the database
// does (CountedRows), in the order of first appearance reversed.
type countedRows struct{ memRows }

func (c countedRows) ReleaseRowCounts(_ context.Context, _, _ int, fn func([]string, int) error) error {
	var order []string
	rows, counts := map[string][]string{}, map[string]int{}
	for _, r := range c.memRows {
		k := strings.Join(r, "\x00")
		if counts[k] == 0 {
			order, rows[k] = append(order, k), r
		}
		counts[k]++
	}
	slices.Reverse(order)
	for _, k := range order {
		if err := fn(rows[k], counts[k]); err != nil {
			return err
		}
	}
	return nil
}

// TestBuildRecordsCounted: victims handed on counted (sqlstore's grouped
// read) give the same file and config as the same victims one by one, and
// the same manifest — sums of floating-point losses, added in another
// order, agree to 1e-12.
func TestBuildRecordsCounted(t *testing.T) {
	rows := makeRows(5000)
	opt := Options{Kind: domain.ReleaseRecords, Title: "c", From: 2015, To: 2025}
	one, err := Build(context.Background(), rows, opt)
	if err != nil {
		t.Fatal(err)
	}
	counted, err := Build(context.Background(), countedRows{rows}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(one.File, counted.File) || !bytes.Equal(one.Config, counted.Config) {
		t.Fatal("the counted rows give another file or config")
	}
	var a, b any
	if json.Unmarshal(one.Manifest, &a) != nil || json.Unmarshal(counted.Manifest, &b) != nil {
		t.Fatal("manifests are not JSON")
	}
	if d := jsonDiff(a, b, "$"); d != "" {
		t.Fatalf("manifests differ at %s", d)
	}
	if !strings.Contains(string(counted.Manifest), `"inputRecords": 5000`) {
		t.Fatalf("manifest %s", counted.Manifest)
	}
}

// jsonDiff names the first place two decoded JSON values differ, numbers
// compared to 1e-12.
func jsonDiff(a, b any, path string) string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return path
		}
		for k := range x {
			if d := jsonDiff(x[k], y[k], path+"."+k); d != "" {
				return d
			}
		}
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return path
		}
		for i := range x {
			if d := jsonDiff(x[i], y[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	case float64:
		y, ok := b.(float64)
		if !ok || math.Abs(x-y) > 1e-12 {
			return fmt.Sprintf("%s (%v, %v)", path, a, b)
		}
	default:
		if a != b {
			return fmt.Sprintf("%s (%v, %v)", path, a, b)
		}
	}
	return ""
}
