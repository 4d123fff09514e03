// SPDX-License-Identifier: AGPL-3.0-or-later

package csvsep

import "testing"

func TestGuess(t *testing.T) {
	for _, c := range []struct {
		in   string
		want rune
	}{
		{"", ','},
		{"a", ','},
		{"a,b,c\n", ','},
		{"a;b;c\r\n1,5;2,5;3\n", ';'},
		{"a\tb\tc\n", '\t'},
		{`"x;y;z",b` + "\n", ','},          // separators inside quotes do not count
		{`"x,y,z";b;c` + "\n", ';'},        // nor commas
		{"a,b;c\n", ','},                   // a tie keeps the comma
		{"a;b\tc\n", ';'},                  // semicolon before tab on a tie
		{"a;b\nc,d,e,f,g\n", ';'},          // the first line only
		{"a\tb\tc;d\n", '\t'},              // tabs win when most frequent
		{"yearOfRegistration;gender", ';'}, // no line end at all
	} {
		if got := Guess([]byte(c.in)); got != c.want {
			t.Errorf("Guess(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzGuess(f *testing.F) {
	for _, s := range []string{"a,b", "a;b", "a\tb", `"a;b",c`, "\"unterminated;"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		switch Guess(b) {
		case ',', ';', '\t':
		default:
			t.Fatalf("Guess(%q) is not a separator", b)
		}
	})
}
