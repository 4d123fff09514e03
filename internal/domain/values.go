// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Date is a calendar date without time zone, written YYYY-MM-DD. The zero
// value means "not known". A date decoded from JSON that is not a valid
// date keeps its text in bad, so that validation can report it with its
// field name (encoding/json does not say which field a decoder failed on).
type Date struct {
	t   time.Time
	bad string
}

// NewDate returns the date of y-m-d.
func NewDate(y int, m time.Month, d int) Date {
	return Date{t: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// DateOf returns the calendar date of t in its own location.
func DateOf(t time.Time) Date { return NewDate(t.Date()) }

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, Errorf(KindInvalid, "%q is not a date in the form YYYY-MM-DD", s)
	}
	if t.IsZero() {
		// 0001-01-01 is time's zero, which Date reads as "not known":
		// kept as text, so that validation refuses it (before 1900)
		// instead of the date vanishing.
		return Date{bad: s}, nil
	}
	return Date{t: t}, nil
}

// IsZero reports an unknown date; a malformed one is not zero, so that
// nothing replaces it before validation reports it.
func (d Date) IsZero() bool { return d.t.IsZero() && d.bad == "" }

// Malformed reports whether the date was given as text that is not a
// date; Validate methods report it.
func (d Date) Malformed() bool { return d.bad != "" }

func (d Date) Time() time.Time    { return d.t }
func (d Date) Year() int          { return d.t.Year() }
func (d Date) After(o Date) bool  { return d.t.After(o.t) }
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }

func (d Date) String() string {
	if d.bad != "" {
		return d.bad
	}
	if d.t.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		*d = Date{bad: string(b)}
		return nil
	}
	v, err := ParseDate(s)
	if err != nil {
		*d = Date{bad: s}
		return nil
	}
	*d = v
	return nil
}

// CountryName returns the English name of an ISO 3166-1 alpha-2 code.
// Besides the official codes it accepts two user-assigned codes that
// trafficking data uses: XK (Kosovo) and ZZ (unknown country, as in CTDC).
func CountryName(code string) (string, bool) {
	switch code {
	case "XK":
		return "Kosovo", true
	case "ZZ":
		return "Unknown", true
	}
	n, ok := countryNames[code]
	return n, ok
}

// CountryCodes returns every accepted country code.
func CountryCodes() []string {
	out := make([]string, 0, len(countryNames)+2)
	for k := range countryNames {
		out = append(out, k)
	}
	return append(out, "XK", "ZZ")
}

// LanguageName returns the English name of an ISO 639-2 code.
func LanguageName(code string) (string, bool) {
	n, ok := languageNames[code]
	return n, ok
}

var (
	e164Pattern  = regexp.MustCompile(PhonePattern)
	emailPattern = regexp.MustCompile(`^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$`)
)

// PhonePattern is the form of a phone number (E.164, the + optional), for
// the API's document.
const PhonePattern = `^\+?[1-9]\d{1,14}$`

// ValidPhone reports whether s is an E.164 number, as HTCDS requires.
func ValidPhone(s string) bool { return e164Pattern.MatchString(s) }

// ValidEmail is a deliberately loose check: one @, no spaces, a dot in the
// domain. Stricter checks reject real addresses.
func ValidEmail(s string) bool {
	// Format characters (bidirectional controls, zero-width spaces) make
	// an address display as another one.
	return len(s) <= 254 && emailPattern.MatchString(s) && !strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Cf, r) || unicode.IsControl(r) })
}

// Text limits: short text fields and long narratives.
const (
	MaxShortText = 200
	MaxLongText  = 20000
)

// checkText reports control characters, invalid UTF-8 and overlong text.
// invisibleOnly tells whether s has a format character (U+200B, U+2060,
// U+FEFF…) and nothing visible: such a name or note looks empty on every
// page yet is not, so it passes "is required" and defeats duplicate
// checks. Text of spaces alone is left to the rules that trim it.
func invisibleOnly(s string) bool {
	format := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Cf, r):
			format = true
		case !unicode.IsSpace(r):
			return false
		}
	}
	return format
}

func checkText(p *Problems, field, v string, max int) {
	if v == "" {
		return
	}
	if !utf8.ValidString(v) {
		// Not the CSV reader's validation.invalid_utf8, whose message is
		// about saving a file: this text was typed (a page, the CLI).
		p.Add(field, "validation.text_encoding", "is not valid UTF-8 text")
		return
	}
	if n := utf8.RuneCountInString(v); n > max {
		p.Add(field, "validation.too_long", "is %d characters long; the limit is %d", n, max)
	}
	if invisibleOnly(v) {
		p.Add(field, "validation.invisible_only", "holds only invisible characters (zero-width spaces or joiners); leave it empty or write the text")
		return
	}
	short := max <= 2*MaxShortText
	for _, r := range v {
		// C0, DEL and C1 (U+0080–U+009F, e.g. U+009B, an 8-bit CSI that
		// some terminals obey): none belongs in a name or a narrative.
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r >= 0x7f && r <= 0x9f {
			p.Add(field, "validation.control_character", "contains a control character (U+%04X)", r)
			return
		}
		// In a short text (a name, an organisation, a city, a title) a
		// bidirectional control makes it display as another one in a
		// list; a narrative keeps them, byte for byte.
		if short && (isBidiControl(r) || r == 0x2028 || r == 0x2029) {
			p.Add(field, "validation.control_character", "contains a bidirectional control character or a line separator (U+%04X)", r)
			return
		}
	}
}

// isBidiControl reports the bidirectional embeddings, overrides and
// isolates (U+202A–U+202E, U+2066–U+2069).
func isBidiControl(r rune) bool { return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 }

// IsBidiControl reports a bidirectional embedding, override or isolate,
// for the short texts checked outside the domain (a break-the-glass
// reason).
func IsBidiControl(r rune) bool { return isBidiControl(r) || r == 0x2028 || r == 0x2029 }

// checkOneLine refuses line breaks in a name or a number (checkText lets
// them through for narratives; it refuses the bidirectional controls and
// line separators of every short text).
func checkOneLine(p *Problems, field, v string) {
	if strings.ContainsAny(v, "\r\n\t") {
		p.Add(field, "validation.one_line", "must be one line: remove the line break")
	}
}

func checkEnum(p *Problems, e *Enum, v string) {
	if v != "" && !e.Valid(v) {
		p.Add(e.Field, "validation.enum", "%q is not one of: %s", v, strings.Join(e.Values, ", "))
	}
}

// checkEnums checks a list of values of enum e. Each wrong or repeated
// value is reported once, with its place in the list: a list of one value 60,000 times got 59,999 entries.
func checkEnums(p *Problems, e *Enum, vs []string) {
	seen := make(map[string]int, len(vs))
	for i, v := range vs {
		first, again := seen[v]
		switch {
		case again && first < 0:
			continue // already reported
		case !e.Valid(v):
			p.Add(e.Field, "validation.enum", "%q (item %d) is not one of: %s", truncate(v, 40), i+1, strings.Join(e.Values, ", "))
			seen[v] = -1
			continue
		case again:
			p.Add(e.Field, "validation.duplicate_value", "%q is listed twice (items %d and %d)", v, first+1, i+1)
			seen[v] = -1
			continue
		}
		seen[v] = i
	}
}

// checkEnumAs is checkEnum for a field whose name differs from the enum's.
func checkEnumAs(p *Problems, field string, e *Enum, v string) {
	if v != "" && !e.Valid(v) {
		p.Add(field, "validation.enum", "%q is not one of: %s", truncate(v, 40), strings.Join(e.Values, ", "))
	}
}

// checkEnumsAs is checkEnums for a field whose name differs from the enum's.
func checkEnumsAs(p *Problems, field string, e *Enum, vs []string) {
	var sub Problems
	checkEnums(&sub, e, vs)
	for _, f := range sub {
		f.Field = field
		*p = append(*p, f)
	}
}

func validCountry(v string) bool {
	_, ok := CountryName(v)
	return ok
}

func checkCountry(p *Problems, field, v string) {
	if v == "" {
		return
	}
	if _, ok := CountryName(v); !ok {
		p.Add(field, "validation.country", "%q is not an ISO 3166-1 alpha-2 country code (two capital letters, e.g. CD)", v)
	}
}

func checkLanguage(p *Problems, field, v string) {
	if v == "" {
		return
	}
	if _, ok := LanguageName(v); !ok {
		p.Add(field, "validation.language", "%q is not an ISO 639-2 language code (three lower-case letters, e.g. fre, lin, swa)", v)
	}
}

func checkPhone(p *Problems, field, v string) {
	if v != "" && !ValidPhone(v) {
		p.Add(field, "validation.phone", "%q is not an E.164 phone number (e.g. +243812345678)", v)
	}
}

// checkDate reports a date given in a form that is not YYYY-MM-DD.
func checkDate(p *Problems, field string, d Date) bool {
	if d.bad != "" {
		if _, err := time.Parse(time.DateOnly, d.bad); err == nil {
			p.Add(field, "validation.date_too_old", "%s is before 1900", d.bad) // 0001-01-01 (ParseDate)
			return false
		}
		p.Add(field, "validation.date_format", "%q is not a date in the form YYYY-MM-DD", truncate(d.bad, 40))
		return false
	}
	return true
}

// truncate shortens s to n characters (not bytes, so no character is cut).
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func checkPastDate(p *Problems, field string, d Date, today Date) {
	if !checkDate(p, field, d) {
		return
	}
	if !d.IsZero() && d.After(today) {
		p.Add(field, "validation.date_in_future", "%s is in the future", d)
	}
	if !d.IsZero() && d.Year() < 1900 {
		p.Add(field, "validation.date_too_old", "%s is before 1900", d)
	}
}

// plannedYears bounds how far ahead a planned date may lie: a support
// plan ends within years, and a date decades away is a typing error (it
// would also never show as a follow-up due).
const plannedYears = 30

// checkPlannedDate checks a date that may lie in the future (a planned
// end) but not before 1900 nor more than plannedYears ahead.
func checkPlannedDate(p *Problems, field string, d Date, today Date) {
	if !checkDate(p, field, d) || d.IsZero() {
		return
	}
	if d.Year() < 1900 {
		p.Add(field, "validation.date_too_old", "%s is before 1900", d)
	}
	if d.Year() > today.Year()+plannedYears {
		p.Add(field, "validation.date_too_far", "%s is more than %d years ahead", d, plannedYears)
	}
}

func checkLatLon(p *Problems, latField string, lat *float64, lonField string, lon *float64) {
	if lat != nil && (*lat < -90 || *lat > 90) {
		p.Add(latField, "validation.latitude", "must be between -90 and 90")
	}
	if lon != nil && (*lon < -180 || *lon > 180) {
		p.Add(lonField, "validation.longitude", "must be between -180 and 180")
	}
}
