// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestRepeats: a row that repeats an earlier row cell for cell, with no
// key of its own, is imported as a case of its own (anonymised rows may be
// different victims) and listed, so that the import can say it — a row
// pasted twice was a second victim in every count, unsaid. Rows with keys
// (refused when repeated), rejected rows and rows that differ are not
// listed; CSV rows and JSON elements alike.
func TestRepeats(t *testing.T) {
	csvData := "vic_TraffickingStatus,prs_FirstName,vig_SourceKey\n" +
		"PossibleVictimOfTrafficking,A,\n" + // 2
		"PossibleVictimOfTrafficking,B,\n" + // 3
		"PossibleVictimOfTrafficking,A,\n" + // 4: repeats 2
		"PossibleVictimOfTrafficking,A,\n" + // 5: repeats 2
		"Nope,C,\n" + // 6: rejected
		"Nope,C,\n" + // 7: rejected, not listed
		"PossibleVictimOfTrafficking,D,k1\n" + // 8
		"PossibleVictimOfTrafficking,D,k1\n" // 9: duplicate key, rejected
	r, err := NewReader(strings.NewReader(csvData), "csv", testOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	recs, errs := readAll(t, r)
	if len(recs) != 5 || len(errs) != 3 {
		t.Fatalf("%d records, errors %v", len(recs), errs)
	}
	got, more := r.Repeats()
	if want := []Repeat{{4, 2}, {5, 2}}; !reflect.DeepEqual(got, want) || more != 0 {
		t.Errorf("CSV repeats %v (+%d), want %v", got, more, want)
	}

	jsonData := `[{"agency":"KIN","cas_Status":"Active","victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"},"person":{"prs_FirstName":"A"}},
	 {"agency":"KIN","cas_Status":"Active","victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"},"person":{"prs_FirstName":"B"}},
	 {"agency":"KIN", "cas_Status":"Active","victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"},"person":{"prs_FirstName":"A"}}]`
	jr, err := NewJSONReader(strings.NewReader(jsonData), testOptions)
	if err != nil {
		t.Fatal(err)
	}
	if recs, errs := readAll(t, jr); len(recs) != 3 || len(errs) != 0 {
		t.Fatalf("JSON: %d records, errors %v", len(recs), errs)
	}
	if got, more := jr.Repeats(); !reflect.DeepEqual(got, []Repeat{{3, 1}}) || more != 0 {
		t.Errorf("JSON repeats %v (+%d), want [{3 1}]", got, more)
	}
}

// TestRepeatsBounded: a file of many identical rows keeps at most
// maxRepeats of them and counts the others.
func TestRepeatsBounded(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("vic_TraffickingStatus,prs_FirstName\n")
	n := maxRepeats + 5
	for range n + 1 {
		b.WriteString("PossibleVictimOfTrafficking,A\n")
	}
	r, err := NewReader(&b, "csv", testOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if recs, _ := readAll(t, r); len(recs) != n+1 {
		t.Fatalf("%d records", len(recs))
	}
	got, more := r.Repeats()
	if len(got) != maxRepeats || more != 5 || got[0] != (Repeat{3, 2}) {
		t.Errorf("%d repeats listed, %d more, first %v", len(got), more, fmt.Sprint(got[:1]))
	}
}
