// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import (
	"strconv"
	"time"
)

// Dates and numbers are formatted by hand: two languages with fixed
// patterns do not need CLDR's tables, and the output stays exactly what
// the tests say.

var months = map[Lang][12]string{
	FR: {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	EN: {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// Date formats the calendar date of d, as read in d's own location:
// "27 novembre 2026", "1er novembre 2026" (French writes the first day of
// a month as an ordinal), "27 November 2026".
func (l *Localizer) Date(d time.Time) string {
	day := strconv.Itoa(d.Day())
	if l.lang == FR && d.Day() == 1 {
		day = "1er"
	}
	return day + " " + months[l.lang][d.Month()-1] + " " + strconv.Itoa(d.Year())
}

// DateTime formats t as seen in loc (UTC when loc is nil, the zone in
// which Vigie stores times): "27 novembre 2026 à 14 h 05",
// "27 November 2026, 14:05". The 24-hour clock is the norm in both DR
// Congo and the French of administrations.
func (l *Localizer) DateTime(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	if l.lang == FR {
		// French writes hours without a leading zero: « 9 h 05 ».
		return l.Date(t) + " à " + strconv.Itoa(t.Hour()) + " h " + t.Format("04")
	}
	return l.Date(t) + ", " + t.Format("15:04")
}

// Number formats n with the language's digit grouping: "1 047 102" with
// narrow no-break spaces (U+202F, CLDR's French group separator, which
// never breaks a number across lines) or "1,047,102".
func (l *Localizer) Number(n int64) string {
	sep := ","
	if l.lang == FR {
		sep = "\u202f"
	}
	neg := n < 0
	// Through uint64, so that the most negative int64 has a magnitude.
	u := uint64(n)
	if neg {
		u = -u
	}
	digits := strconv.FormatUint(u, 10)
	out := make([]byte, 0, len(digits)+len(digits)/3*len(sep)+1)
	if neg {
		out = append(out, '-')
	}
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			out = append(out, sep...)
		}
		out = append(out, digits[i])
	}
	return string(out)
}
