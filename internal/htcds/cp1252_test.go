// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"bytes"
	"encoding/csv"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// TestCSVWindows1252: a CSV file as French Excel saves it (« CSV
// (séparateur : point-virgule) »: Windows-1252, semicolons, CRLF) reads
// as the same cases as the UTF-8 export it was made from — every cell
// with an accent was rejected as not UTF-8.
func TestCSVWindows1252(t *testing.T) {
	c := minimalCase("a")
	c.Person.FirstName, c.Person.SecondName = "Hélène", "Mbuyi-Müller"
	c.Person.MailingCity, c.Person.MailingStreet = "Gombé", "Av. de l’Équateur n° 12; côté « Œuvre »"
	c.ReasonForCaseClosure = "Arrivée à Kinshasa, prise en charge : 50 €"
	utf := export(t, "csv", c, minimalCase("b"))
	rows, err := csv.NewReader(bytes.NewReader(utf)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var semi bytes.Buffer
	w := csv.NewWriter(&semi)
	w.Comma, w.UseCRLF = ';', true
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	excel, err := charmap.Windows1252.NewEncoder().Bytes(semi.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(excel, semi.Bytes()) {
		t.Fatal("the test case has no accent to encode")
	}
	want, _ := importBytes(t, "csv", utf, testOptions)
	got, rejects := importBytes(t, "csv", excel, testOptions)
	if len(rejects) != 0 || len(got) != len(want) {
		t.Fatalf("%d cases, rejects %v; want %d cases", len(got), rejects, len(want))
	}
	for i := range want {
		assertSameCase(t, want[i].Case, got[i].Case)
	}
}
