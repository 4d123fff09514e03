// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import (
	"math"
	"testing"
	"time"
)

func TestDate(t *testing.T) {
	tests := []struct {
		y      int
		m      time.Month
		d      int
		fr, en string
	}{
		{2026, time.November, 27, "27 novembre 2026", "27 November 2026"},
		{2026, time.November, 1, "1er novembre 2026", "1 November 2026"},
		{2026, time.January, 2, "2 janvier 2026", "2 January 2026"},
		{2026, time.February, 28, "28 février 2026", "28 February 2026"},
		{2025, time.August, 15, "15 août 2025", "15 August 2025"},
		{1999, time.December, 31, "31 décembre 1999", "31 December 1999"},
	}
	for _, tt := range tests {
		d := time.Date(tt.y, tt.m, tt.d, 0, 0, 0, 0, time.UTC)
		if got := For(FR).Date(d); got != tt.fr {
			t.Errorf("fr: Date(%v) = %q, want %q", d, got, tt.fr)
		}
		if got := For(EN).Date(d); got != tt.en {
			t.Errorf("en: Date(%v) = %q, want %q", d, got, tt.en)
		}
	}
	// The date is read in the time's own location, never converted.
	late := time.Date(2026, time.November, 27, 23, 30, 0, 0, time.FixedZone("CAT", 2*3600))
	if got := For(FR).Date(late); got != "27 novembre 2026" {
		t.Errorf("fr: Date(%v) = %q", late, got)
	}
}

func TestDateTime(t *testing.T) {
	// DR Congo has two zones: Kinshasa (UTC+1) and Lubumbashi (UTC+2).
	kinshasa := time.FixedZone("WAT", 3600)
	lubumbashi := time.FixedZone("CAT", 2*3600)
	at := time.Date(2026, time.November, 27, 13, 5, 0, 0, time.UTC)
	night := time.Date(2026, time.November, 30, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		t      time.Time
		loc    *time.Location
		fr, en string
	}{
		{at, kinshasa, "27 novembre 2026 à 14 h 05", "27 November 2026, 14:05"},
		{at, lubumbashi, "27 novembre 2026 à 15 h 05", "27 November 2026, 15:05"},
		{at, nil, "27 novembre 2026 à 13 h 05", "27 November 2026, 13:05"},
		{night, kinshasa, "1er décembre 2026 à 0 h 30", "1 December 2026, 00:30"},
		{time.Date(2026, time.March, 9, 8, 7, 0, 0, time.UTC), time.UTC, "9 mars 2026 à 8 h 07", "9 March 2026, 08:07"},
	}
	for _, tt := range tests {
		if got := For(FR).DateTime(tt.t, tt.loc); got != tt.fr {
			t.Errorf("fr: DateTime(%v, %v) = %q, want %q", tt.t, tt.loc, got, tt.fr)
		}
		if got := For(EN).DateTime(tt.t, tt.loc); got != tt.en {
			t.Errorf("en: DateTime(%v, %v) = %q, want %q", tt.t, tt.loc, got, tt.en)
		}
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		n      int64
		fr, en string
	}{
		{0, "0", "0"},
		{7, "7", "7"},
		{999, "999", "999"},
		{1000, "1\u202f000", "1,000"},
		{12345, "12\u202f345", "12,345"},
		{1047102, "1\u202f047\u202f102", "1,047,102"},
		{-1047102, "-1\u202f047\u202f102", "-1,047,102"},
		{-999, "-999", "-999"},
		{math.MaxInt64, "9\u202f223\u202f372\u202f036\u202f854\u202f775\u202f807", "9,223,372,036,854,775,807"},
		{math.MinInt64, "-9\u202f223\u202f372\u202f036\u202f854\u202f775\u202f808", "-9,223,372,036,854,775,808"},
	}
	for _, tt := range tests {
		if got := For(FR).Number(tt.n); got != tt.fr {
			t.Errorf("fr: Number(%d) = %q, want %q", tt.n, got, tt.fr)
		}
		if got := For(EN).Number(tt.n); got != tt.en {
			t.Errorf("en: Number(%d) = %q, want %q", tt.n, got, tt.en)
		}
	}
}
