// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// Names and free text can never be released, even when asked for.
func TestForbiddenColumnsCannotBeReleased(t *testing.T) {
	tab := mustTable(t, []string{"prs_FirstName", "gender", "ageBroad", "comments"},
		[]string{"Amani", "Female", "18--20", "lives near the market"},
		[]string{"Bora", "Female", "18--20", "x"})
	for name, cfg := range map[string]Config{
		"as a column":           {K: 2, QIs: []QI{{ColGender, GenderHierarchy()}}, Columns: []string{"gender", "prs_FirstName"}},
		"free text as a column": {K: 2, QIs: []QI{{ColGender, GenderHierarchy()}}, Columns: []string{"comments"}},
		"as a QI":               {K: 2, QIs: []QI{{"prs_FirstName", HierarchyFor("prs_FirstName")}}},
	} {
		if _, err := Run(tab, cfg); err == nil || !strings.Contains(err.Error(), "prs_FirstName") && !strings.Contains(err.Error(), "comments") {
			t.Errorf("%s: %v, want a refusal naming the column", name, err)
		}
	}
	res, err := Run(tab, Config{K: 2, QIs: []QI{{ColGender, GenderHierarchy()}}})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := WriteCTDC(&out, res, HeaderCTDC); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "gender,ageBroad\nFemale,18--20\nFemale,18--20\n"; got != want {
		t.Errorf("release:\n%s\nwant:\n%s", got, want)
	}
	if strings.Join(res.Dropped, ",") != "prs_FirstName,comments" {
		t.Errorf("dropped %v", res.Dropped)
	}
}

func TestConfigRefusals(t *testing.T) {
	tab := mustTable(t, []string{"gender", "ageBroad"}, []string{"Female", "18--20"})
	g := QI{ColGender, GenderHierarchy()}
	for name, cfg := range map[string]Config{
		"k 1":             {K: 1, QIs: []QI{g}},
		"k 0":             {K: 0, QIs: []QI{g}},
		"k negative":      {K: -3, QIs: []QI{g}},
		"k past MaxK":     {K: MaxK + 1, QIs: []QI{g}},
		"k 2^32+2":        {K: 1<<32 + 2, QIs: []QI{g}}, // once read as 2 by 32-bit counts
		"no QI":           {K: 2},
		"QI twice":        {K: 2, QIs: []QI{g, {"prs_Gender", GenderHierarchy()}}},
		"no hierarchy":    {K: 2, QIs: []QI{{ColGender, nil}}},
		"method":          {K: 2, QIs: []QI{g}, Method: "magic"},
		"QI not in input": {K: 2, QIs: []QI{{ColYear, YearHierarchy()}}},
		"nine QIs":        {K: 2, QIs: []QI{g, g, g, g, g, g, g, g, g}},
	} {
		if _, err := Run(tab, cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// The HTCDS header mode names columns by HTCDS identifiers; HTCDS names
// are accepted on input too.
func TestHTCDSHeader(t *testing.T) {
	tab := mustTable(t, []string{"prs_Gender", "vig_AgeBand", "isForcedLabour"},
		[]string{"Female", "18--20", "1"}, []string{"Female", "21--23", "0"}, []string{"Male", "21--23", "1"})
	cfg := Config{K: 3, QIs: []QI{{"prs_Gender", GenderHierarchy()}, {ColAge, AgeHierarchy()}}}
	res, err := Run(tab, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var ctdc, htcds bytes.Buffer
	WriteCTDC(&ctdc, res, HeaderCTDC)
	WriteCTDC(&htcds, res, HeaderHTCDS)
	want := "-99,18--23,1\n-99,18--23,0\n-99,18--23,1\n"
	if got := ctdc.String(); got != "gender,ageBroad,isForcedLabour\n"+want {
		t.Errorf("CTDC:\n%s", got)
	}
	if got := htcds.String(); got != "prs_Gender,vig_AgeBand,vic_TypeOfExploitation:ForcedLabour\n"+want {
		t.Errorf("HTCDS:\n%s", got)
	}
}

// A rare row may join a released class whose cell is missing ("-99") by
// suppressing that one cell: hybrid and suppress release it, Mondrian
// alone has no partner for it and suppresses the row.
func TestSuppressionJoinsMissingClass(t *testing.T) {
	tab := mustTable(t, []string{"gender", "ageBroad"},
		[]string{"Female", "-99"}, []string{"Female", "-99"}, []string{"Female", "-99"}, []string{"Female", "18--20"})
	for _, tc := range []struct {
		m          Method
		suppressed int
		want       string
	}{
		{MethodHybrid, 0, "gender,ageBroad\nFemale,-99\nFemale,-99\nFemale,-99\nFemale,-99\n"},
		{MethodSuppress, 0, "gender,ageBroad\nFemale,-99\nFemale,-99\nFemale,-99\nFemale,-99\n"},
		{MethodMondrian, 1, "gender,ageBroad\nFemale,-99\nFemale,-99\nFemale,-99\n"},
	} {
		res, err := Run(tab, Config{K: 3, Method: tc.m, QIs: genderAge})
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		WriteCTDC(&out, res, HeaderCTDC)
		if res.Suppressed != tc.suppressed || out.String() != tc.want {
			t.Errorf("%s: %d suppressed, release:\n%s", tc.m, res.Suppressed, out.String())
		}
		m, err := res.Evaluate(EvalOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if wantCells := 1 - tc.suppressed; m.SuppressedCells != wantCells || m.SuppressedRecords != tc.suppressed {
			t.Errorf("%s: evaluator counts %d suppressed cells, %d records", tc.m, m.SuppressedCells, m.SuppressedRecords)
		}
	}
}

// majorityStatus follows ageBroad: released beside a hidden age band it
// would tell a minor from an adult, so it becomes a quasi-identifier
// whenever the age band is one (or, with no room for it, is not released).
func TestMajorityFollowsAge(t *testing.T) {
	rows := [][]string{}
	// 12 women of a hidden age: 10 adults and 2 minors; 12 women of 18--20.
	for i := range 24 {
		age, maj := "-99", "Adult"
		switch {
		case i >= 12:
			age = "18--20"
		case i < 2:
			maj = "Minor"
		}
		rows = append(rows, []string{"Female", age, maj, "2015"})
	}
	for i := range rows {
		rows[i] = append(rows[i], rows[i][2], "-99") // majorityStatusAtExploit, majorityEntry
	}
	tab := mustTable(t, []string{"gender", "ageBroad", "majorityStatus", "yearOfRegistration", "majorityStatusAtExploit", "majorityEntry"}, rows...)
	g, a, y := QI{ColGender, GenderHierarchy()}, QI{ColAge, AgeHierarchy()}, QI{ColYear, YearHierarchy()}
	eight := []QI{g, a, y}
	for _, c := range []string{"isForcedLabour", "isSexualExploit", "isOtherExploit", "RecruiterRelationship", "Datasource"} {
		eight = append(eight, QI{c, HierarchyFor(c)})
	}
	for _, c := range []struct {
		name     string
		qis      []QI
		columns  []string
		wantQIs  string
		released bool
	}{
		{"age a quasi-identifier", []QI{g, a, y}, nil, "gender,ageBroad,yearOfRegistration,majorityStatus", true},
		{"at exploitation named", []QI{g, a, y, {"majorityStatusAtExploit", HierarchyFor("majorityStatusAtExploit")}}, nil, "gender,ageBroad,yearOfRegistration,majorityStatusAtExploit,majorityStatus", true},
		{"already one", []QI{g, a, {ColMajority, HierarchyFor(ColMajority)}}, nil, "gender,ageBroad,majorityStatus", true},
		{"age not one", []QI{g, y}, nil, "gender,yearOfRegistration", true},
		{"not asked for", []QI{g, a}, []string{"gender", "ageBroad"}, "gender,ageBroad", false},
		{"no room", eight, nil, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := tab
			if c.name == "no room" {
				cols := []string{"gender", "ageBroad", "majorityStatus", "yearOfRegistration", "majorityStatusAtExploit", "majorityEntry",
					"isForcedLabour", "isSexualExploit", "isOtherExploit", "RecruiterRelationship", "Datasource"}
				var rs [][]string
				for _, r := range rows {
					rs = append(rs, append(slices.Clone(r), "0", "1", "0", "-99", "CM"))
				}
				in = mustTable(t, cols, rs...)
			}
			res, err := Run(in, Config{K: 5, QIs: c.qis, Columns: c.columns})
			if err != nil {
				t.Fatal(err)
			}
			if c.wantQIs != "" && strings.Join(res.Config.QINames(), ",") != c.wantQIs {
				t.Errorf("quasi-identifiers %v, want %s", res.Config.QINames(), c.wantQIs)
			}
			if got := slices.Contains(res.Header(false), "majorityStatus"); got != c.released {
				t.Fatalf("majorityStatus released: %v, want %v (dropped %v)", got, c.released, res.Dropped)
			}
			// The other majority columns go out only as quasi-identifiers
			// (or when the age band is not one).
			for _, col := range []string{"majorityStatusAtExploit", "majorityEntry"} {
				want := slices.Contains(res.Config.QINames(), col) || !slices.Contains(res.Config.QINames(), "ageBroad") && c.columns == nil
				if got := slices.Contains(res.Header(false), col); got != want {
					t.Errorf("%s released: %v, want %v (dropped %v)", col, got, want, res.Dropped)
				}
			}
			if !c.released {
				return
			}
			// Every released (quasi-identifiers, majority) group holds 5.
			var out bytes.Buffer
			if err := WriteCTDC(&out, res, HeaderCTDC); err != nil {
				t.Fatal(err)
			}
			groups := map[string]int{}
			for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n")[1:] {
				groups[l]++
			}
			for l, n := range groups {
				if n < 5 && slices.Contains(res.Config.QINames(), "ageBroad") {
					t.Errorf("%d rows of %q", n, l)
				}
			}
		})
	}
}
