// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"vigie/internal/domain"
	"vigie/internal/strictjson"
)

// maxErrorValue is how much of an offending value a RowError repeats.
const maxErrorValue = 200

// row is one data row, its cells already placed by column.
type row struct {
	num   int      // spreadsheet row number (header = 1)
	vals  []string // by column index; "" when absent
	shown []string // XLSX: the cells as their number format shows them
	// XLSX: the columns whose cell is a number written with an exponent.
	rounded map[int]bool
	key     string // generated source key, used when the row has none
	first   int    // the earlier row with the same cells, 0 when none
}

// seen is the value of column ci as the person who filled the sheet sees
// it: for an XLSX cell, as its format shows it (a date, not its serial
// number 47484); else as written.
func (r *row) seen(ci int) string {
	if r.shown != nil && ci < len(r.shown) && r.shown[ci] != "" {
		return r.shown[ci]
	}
	return r.vals[ci]
}

// decoder turns rows into cases.
type decoder struct {
	opt      Options
	today    domain.Date
	names    []string // by column index: the header as written, "" if absent
	xlsx     bool
	date1904 bool
	keys     firstRows // the file's own source keys, by first row
}

// hasRegistration reports whether the file has a registration column
// (date, year or span of years), even empty for some rows: Vigie's
// exports have them, and an empty one is a registration unknown.
func (d *decoder) hasRegistration() bool {
	for _, ci := range colRegistration {
		if d.names[ci] != "" {
			return true
		}
	}
	return false
}

// rowProblems collects the problems of one row.
type rowProblems struct {
	d    *decoder
	r    *row
	errs []domain.RowError
	bad  map[int]bool // columns that already have a problem
}

// name is the column's header as the file writes it, or its canonical name
// when the file has no such column (or leaves its name blank).
func (d *decoder) name(ci int) string {
	if n := d.names[ci]; n != "" {
		return n
	}
	return columns[ci].Name
}

func (p *rowProblems) add(ci int, code, format string, args ...any) {
	p.addItem(ci, code, fmt.Sprintf(format, args...))
}

func (p *rowProblems) addItem(ci int, code, reason string) {
	if p.bad == nil {
		p.bad = map[int]bool{}
	}
	p.bad[ci] = true
	p.errs = append(p.errs, domain.RowError{
		Row:    p.r.num,
		Column: p.d.name(ci),
		Value:  errorValue(p.r.seen(ci)),
		Code:   code,
		Reason: reason,
	})
}

// errorValue shortens and cleans a value for a RowError. A value that is
// not UTF-8 or holds control characters other than tab and line breaks
// is written with Go escapes (\xe9, \x00), as the CTDC import writes
// it: the reject file stays UTF-8 text without NUL bytes, and shows which
// bytes were wrong (\xe9 tells Latin-1).
func errorValue(s string) string {
	if !utf8.ValidString(s) || strings.ContainsFunc(s, isRejectControl) {
		q := strconv.Quote(s)
		s = q[1 : len(q)-1]
	}
	if utf8.RuneCountInString(s) <= maxErrorValue {
		return s
	}
	r := []rune(s)
	return string(r[:maxErrorValue]) + "…"
}

func isRejectControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f
}

// decode turns one row into a valid case, or says why it cannot.
func (d *decoder) decode(r *row) (*domain.Case, []domain.RowError) {
	p := &rowProblems{d: d, r: r}
	f := &flat{c: &domain.Case{}}
	for ci, v := range r.vals {
		if v == "" {
			continue
		}
		shown := ""
		if r.shown != nil {
			shown = r.shown[ci]
		}
		d.decodeCell(p, ci, v, shown, f)
	}
	c := f.c
	o := d.assemble(p, f)

	if c.Agency == "" {
		c.Agency = d.opt.Agency
	}
	if c.Agency != "" && !domain.ValidAgencyCode(c.Agency) {
		p.add(colAgency, "validation.agency_code", "%q is not an agency code (2 to 10 capital letters or digits, e.g. KIN)", c.Agency)
	}
	switch {
	case c.SourceKey != "":
	case c.ID != "":
		c.SourceKey = idKey(d.opt.Source, c.ID)
	default:
		c.SourceKey = r.key
	}
	if !d.hasRegistration() {
		// The IOM template has no registration column: its cases are
		// registered in Vigie on the day of the import, as a case a
		// person registers on the pages is. Left undated, they were in
		// no year's list, report or figure, and of unknown age group.
		c.RegisteredToday(d.today)
	}
	c.Normalize(d.today)
	for _, fe := range domain.FieldErrors(c.Validate(d.today)) {
		ci, reason := o.locate(fe)
		if ci < 0 {
			p.errs = append(p.errs, domain.RowError{Row: r.num, Column: fe.Field, Code: fe.Code, Reason: fe.Message})
			continue
		}
		if p.bad[ci] && columns[ci].kind != kJSON {
			continue // already reported when the cell was read
		}
		p.addItem(ci, fe.Code, reason)
	}
	// The key is the row's even when the row is rejected: a later row
	// with it would be imported, then taken for this one once it is
	// fixed and imported again — and one of the two victims lost.
	if first, dup := d.keys.duplicate(c, r.key, r.num); dup {
		p.errs = append(p.errs, duplicateKeyError(c, r.num, first))
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return c, nil
}

// scientific is a number written with an exponent, as spreadsheets write
// long numbers.
var scientific = regexp.MustCompile(`^-?\d+(\.\d+)?[eE][+-]?\d+$`)

// roundedNumber tells whether v, the value of column ci, is a long number
// a spreadsheet rounded: in XLSX a number cell written with an exponent;
// in CSV, where a typed "1E5" and a rounded number look alike, the form
// Excel gives a rounded number (1.23457E+17: one digit, a point, E+).
func (r *row) roundedNumber(ci int, v string) bool {
	if r.shown != nil {
		return r.rounded[ci]
	}
	return excelRounded.MatchString(v)
}

// excelRounded is how Excel shows (and saves in CSV) a number too long
// for its column.
var excelRounded = regexp.MustCompile(`^-?\d[.,]\d+E\+\d+$`)

// longNumber reports whether v is a whole number of more than 15 digits:
// as a spreadsheet's number cell (a double), its digits past the 15th are
// gone (an 18-digit identity number is stored 123456789012345000).
func longNumber(v string) bool {
	d := strings.TrimPrefix(v, "-")
	if len(d) <= 15 {
		return false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	return true
}

// looksScientific is scientific.MatchString, after the checks that spare
// the regular expression nearly every cell of a file.
func looksScientific(v string) bool {
	return v != "" && (v[0] >= '0' && v[0] <= '9' || v[0] == '-') && strings.ContainsAny(v, "eE") && scientific.MatchString(v)
}

// decodeCell reads one cell into f.
func (d *decoder) decodeCell(p *rowProblems, ci int, raw, shown string, f *flat) {
	col := &columns[ci]
	if !utf8.ValidString(raw) {
		p.add(ci, "validation.invalid_utf8", "is not valid UTF-8 text; save the file as UTF-8 (CSV UTF-8 in Excel)")
		return
	}
	v := unquoteCell(raw)
	if col.kind != kText {
		v = trim(unquoteCell(trim(raw)))
	}
	if v == "" && col.kind != kText {
		return
	}
	// An XLSX TRUE/FALSE cell is the number 1 or 0 underneath: in a date
	// or number column it became 1900-01-01 or 1, without a word.
	if shown != "" && (v == "1" || v == "0") && (strings.EqualFold(shown, "TRUE") || strings.EqualFold(shown, "FALSE")) {
		switch col.field(f).(type) {
		case *domain.Date, **int, *int, *int64, **float64:
			p.add(ci, "validation.type", "%s is TRUE or FALSE, not a date or a number", shown)
			return
		}
	}
	switch ptr := col.field(f).(type) {
	case *string:
		d.decodeString(p, ci, v, ptr)
	case *[]string:
		d.decodeList(p, ci, v, ptr)
	case *domain.Date:
		date, reason := d.parseDate(v, shown)
		if reason != "" {
			p.add(ci, "validation.date", "%s", reason)
			return
		}
		*ptr = date
	case **bool:
		b, ok := parseBool(v)
		if !ok {
			p.add(ci, "validation.boolean", "%q is not TRUE or FALSE", v)
			return
		}
		*ptr = &b
	case **int, *int, *int64:
		n, ok := parseInt(v)
		if !ok {
			p.add(ci, "validation.number", "%q is not a whole number", v)
			return
		}
		switch ptr := ptr.(type) {
		case **int:
			x := int(n)
			*ptr = &x
		case *int:
			*ptr = int(n)
		case *int64:
			*ptr = n
		}
	case **float64:
		if decimalComma.MatchString(v) {
			// French Excel writes -4,3217: coordinates, the only decimal
			// columns, have no thousands separator to mistake it for.
			v = strings.Replace(v, ",", ".", 1)
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) || !excelNumber.MatchString(v) {
			reason := fmt.Sprintf("%q is not a decimal number", v)
			if strings.Contains(v, ",") {
				reason += " (write the decimal separator as a dot)"
			}
			p.add(ci, "validation.decimal", "%s", reason)
			return
		}
		*ptr = &x
	case *time.Time:
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			p.add(ci, "validation.timestamp", "%q is not a timestamp such as 2026-01-31T09:30:00Z", v)
			return
		}
		*ptr = t
	}
}

func (d *decoder) decodeString(p *rowProblems, ci int, v string, ptr *string) {
	col := &columns[ci]
	// A long number in a cell of a number format (an identity or postal
	// number) is saved as 1.234567890123457e+17: its last digits are
	// gone, and it was stored so, unsaid.
	if (col.kind == kText || col.kind == kToken) && p.r.roundedNumber(ci, trim(v)) {
		p.add(ci, "validation.scientific_notation", "%q is a number the spreadsheet kept to 15 digits (in scientific notation, or as a long number in a number cell), which lost its last digits: format the column as text and type the value again", trim(v))
		return
	}
	switch col.kind {
	case kEnum:
		s, ok := normalizeValue(col.enum, v)
		if !ok {
			p.add(ci, "validation.enum", "%q is not one of: %s", v, strings.Join(col.enum.Values, ", "))
			return
		}
		v = s
	case kCountry:
		if ambiguousCountry(v) {
			p.add(ci, "validation.country", ambiguousCongo, v)
			return
		}
		v = countryCode(v)
	case kLanguage:
		v = strings.ToLower(v)
	case kPhone:
		v = phoneSeparators.Replace(v)
	case kToken:
		if identifierColumns[ci] {
			if reason := tokenProblem(v); reason != "" {
				p.add(ci, "validation.identifier", "%s", reason)
				return
			}
		}
	case kJSON:
		// Kept as text; assemble decodes it.
	}
	*ptr = v
}

// identifierColumns are the columns that domain validation does not check.
var identifierColumns = map[int]bool{
	colID: true, colAgency: true, columnIndex("case_number"): true, columnIndex("situation_id"): true,
}

// tokenProblem checks identifiers that domain validation does not.
func tokenProblem(v string) string {
	if n := utf8.RuneCountInString(v); n > domain.MaxShortText {
		return fmt.Sprintf("is %d characters long; the limit is %d", n, domain.MaxShortText)
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return fmt.Sprintf("contains a control character (U+%04X)", r)
		}
	}
	return ""
}

func (d *decoder) decodeList(p *rowProblems, ci int, v string, ptr *[]string) {
	col := &columns[ci]
	var out []string
	for _, item := range splitList(v) {
		switch col.kind {
		case kEnums:
			s, ok := normalizeValue(col.enum, item)
			if !ok {
				p.add(ci, "validation.enum", "%q is not one of: %s", item, strings.Join(col.enum.Values, ", "))
				return
			}
			item = s
		case kCountries:
			if ambiguousCountry(item) {
				p.add(ci, "validation.country", ambiguousCongo, item)
				return
			}
			item = countryCode(item)
		}
		if !slices.Contains(out, item) {
			out = append(out, item)
		}
	}
	*ptr = out
}

func parseInt(v string) (int64, bool) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, true
	}
	// A spreadsheet may write a whole number as 3.0, French Excel as 3,0.
	if i := strings.IndexByte(v, ','); i >= 0 && !strings.ContainsAny(v, ".") && strings.Count(v, ",") == 1 {
		v = v[:i] + "." + v[i+1:]
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || !excelNumber.MatchString(v) || x != math.Trunc(x) || math.Abs(x) > 1<<53 {
		return 0, false
	}
	return int64(x), true
}

// parseDate reads YYYY-MM-DD, and in XLSX files also real date cells:
// numbers whose number format shows them as something else than the bare
// number, and ISO date-times (cells of type d).
func (d *decoder) parseDate(v, shown string) (domain.Date, string) {
	if isoDate.MatchString(v) {
		date, err := domain.ParseDate(v)
		if err != nil {
			return domain.Date{}, fmt.Sprintf("%q is not a calendar date", v)
		}
		return date, ""
	}
	if d.xlsx {
		if m := isoDateTime.FindStringSubmatch(v); m != nil {
			return d.parseDate(m[1], "")
		}
		if excelNumber.MatchString(v) {
			if shown == "" || shown == v || excelNumber.MatchString(shown) {
				return domain.Date{}, fmt.Sprintf("%s is a number, not a date: format the cell as a date or write YYYY-MM-DD", v)
			}
			serial, _ := strconv.ParseFloat(v, 64)
			if serial < 1 || serial >= 2958466 {
				return domain.Date{}, fmt.Sprintf("%s is not a date serial number", v)
			}
			t, err := excelize.ExcelDateToTime(math.Floor(serial), d.date1904)
			if err != nil {
				return domain.Date{}, fmt.Sprintf("%s is not a date serial number", v)
			}
			return domain.DateOf(t), ""
		}
	}
	if slashDate.MatchString(v) {
		if yearFirst.MatchString(v) {
			return domain.Date{}, fmt.Sprintf("%q is not in the form YYYY-MM-DD (with a dash and two-digit month and day)", v)
		}
		if iso, ok := onlyReading(v); ok {
			if iso == "" {
				return domain.Date{}, fmt.Sprintf("%q is not a calendar date", v)
			}
			return domain.Date{}, fmt.Sprintf("%q is not in the form YYYY-MM-DD: write %s", v, iso)
		}
		return domain.Date{}, fmt.Sprintf("%q is ambiguous (day and month order); write dates as YYYY-MM-DD", v)
	}
	return domain.Date{}, fmt.Sprintf("%q is not a date in the form YYYY-MM-DD", v)
}

// onlyReading gives the YYYY-MM-DD spelling of a slashed date with a
// four-digit year that can be read one way only (27/11/2001 or 11/27/2001:
// a number above 12 cannot be the month), so that the error tells the
// caseworker exactly what to type. The date itself is still refused: a file
// that writes 27/11/2001 also writes 05/11/2001, which no rule can read
// safely, and accepting half of its dates would hide that. ok with an empty
// spelling is a date that has one reading and is impossible (31/02/2001).
func onlyReading(v string) (string, bool) {
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == '/' || r == '.' || r == '-' })
	if len(parts) != 3 || len(parts[2]) != 4 {
		return "", false
	}
	a, _ := strconv.Atoi(parts[0])
	b, _ := strconv.Atoi(parts[1])
	year, _ := strconv.Atoi(parts[2])
	var day, month int
	switch {
	case a > 12 && b >= 1 && b <= 12:
		day, month = a, b
	case b > 12 && a >= 1 && a <= 12:
		day, month = b, a
	default:
		return "", false
	}
	iso := fmt.Sprintf("%04d-%02d-%02d", year, month, day)
	if _, err := domain.ParseDate(iso); err != nil {
		return "", true
	}
	return iso, true
}

// origins says where each part of an assembled case came from, so that a
// validation problem can be reported against the right column.
type origins struct {
	eventsFromColumns bool // events[0] came from the hte_ columns
	referralsFromJSON bool
	consentsFromJSON  bool
}

var listColumns = map[string]int{
	"events":        columnIndex("vig_Events"),
	"referrals":     columnIndex("vig_Referrals"),
	"consents":      columnIndex("vig_Consents"),
	"support_plans": columnIndex("vig_SupportPlans"),
	"comments":      columnIndex("vig_Comments"),
	"perpetrators":  columnIndex("vig_Perpetrators"),
}

var partField = regexp.MustCompile(`^([a-z_]+)\[(\d+)\]\.(.+)$`)

// locate maps a validation problem to a column index and a reason.
func (o origins) locate(fe domain.FieldError) (int, string) {
	field := strings.TrimPrefix(strings.TrimPrefix(fe.Field, "person."), "victim.")
	m := partField.FindStringSubmatch(field)
	if m == nil {
		if i, ok := columnByName[strings.ToLower(field)]; ok {
			return i, fe.Message
		}
		return -1, fe.Message
	}
	list, inner := m[1], m[3]
	item, _ := strconv.Atoi(m[2])
	jsonCol, ok := listColumns[list]
	if !ok {
		return -1, fe.Message
	}
	flatCol, isCol := columnByName[strings.ToLower(inner)]
	switch {
	case list == "events" && o.eventsFromColumns && item == 0 && isCol:
		return flatCol, fe.Message
	case list == "events" && o.eventsFromColumns:
		item--
	case list == "referrals" && !o.referralsFromJSON && isCol:
		return flatCol, fe.Message
	case list == "consents" && !o.consentsFromJSON:
		return columnIndex("con_Consent"), fe.Message
	}
	return jsonCol, fmt.Sprintf("item %d: %s: %s", item+1, inner, fe.Message)
}

// assemble builds the case's lists from the part columns of f.
func (d *decoder) assemble(p *rowProblems, f *flat) origins {
	var o origins
	c := f.c
	events, _ := decodeJSONList[domain.Event](p, columnIndex("vig_Events"), f.events)
	var meta domain.Meta
	metaOK := decodeJSONObject(p, columnIndex("vig_EventMeta"), f.eventMeta, &meta)
	if f.event != (domain.Event{}) {
		ev := f.event
		ev.Meta = meta
		c.Events = append([]*domain.Event{&ev}, events...)
		o.eventsFromColumns = true
	} else {
		if f.eventMeta != "" && metaOK {
			p.add(columnIndex("vig_EventMeta"), "validation.orphan", "describes a first event but the hte_ columns are empty")
		}
		c.Events = events
	}

	referrals, ok := decodeJSONList[domain.Referral](p, columnIndex("vig_Referrals"), f.referrals)
	switch {
	case !ok: // reported
	case len(referrals) > 0:
		o.referralsFromJSON = true
		c.Referrals = referrals
		d.checkReferrals(p, f, referrals)
	default:
		c.Referrals = referralsFromColumns(f.in, f.out)
	}

	consents, ok := decodeJSONList[domain.Consent](p, columnIndex("vig_Consents"), f.consents)
	switch {
	case !ok: // reported
	case len(consents) > 0:
		o.consentsFromJSON = true
		c.Consents = consents
		if l := latestConsent(consents); f.consent != nil && l.Consent != *f.consent {
			p.add(columnIndex("con_Consent"), "validation.inconsistent", "is %s but the latest consent in vig_Consents is %s; change both or clear one of them", encodeCell(&f.consent), strings.ToUpper(strconv.FormatBool(l.Consent)))
		}
	default:
		c.Consents = consentsFromColumn(f.consent)
	}

	c.SupportPlans, _ = decodeJSONList[domain.SupportPlan](p, columnIndex("vig_SupportPlans"), f.supportPlans)
	c.Comments, _ = decodeJSONList[domain.Comment](p, columnIndex("vig_Comments"), f.comments)
	c.Perpetrators, _ = decodeJSONList[domain.Perpetrator](p, columnIndex("vig_Perpetrators"), f.perpetrators)
	return o
}

// checkReferrals reports cas_ referral columns that disagree with the
// first referral of their direction in vig_Referrals.
func (d *decoder) checkReferrals(p *rowProblems, f *flat, list []*domain.Referral) {
	want := &flat{c: f.c}
	if r := firstReferral(list, domain.ReferralIncoming); r != nil {
		want.in = incomingFields(r)
	}
	if r := firstReferral(list, domain.ReferralOutgoing); r != nil {
		want.out = outgoingFields(r)
	}
	for _, dir := range []struct {
		got, want domain.Referral
		name      string
	}{{f.in, want.in, "incoming"}, {f.out, want.out, "outgoing"}} {
		if dir.got == (domain.Referral{}) {
			continue // the columns are empty: vig_Referrals alone speaks
		}
		for ci := range columns {
			got, exp := encodeCell(columns[ci].field(f)), encodeCell(columns[ci].field(want))
			if !referralColumn(ci, dir.name) || got == exp {
				continue
			}
			p.add(ci, "validation.inconsistent", "differs from the first %s referral in vig_Referrals (%q); change both or clear one of them", dir.name, exp)
			break
		}
	}
}

// referralColumn reports whether column ci belongs to the referral of the
// given direction.
func referralColumn(ci int, direction string) bool {
	n := columns[ci].Name
	switch direction {
	case domain.ReferralIncoming:
		return strings.HasPrefix(n, "cas_Referring") || strings.Contains(n, "IncomingReferral")
	default:
		return strings.HasPrefix(n, "cas_Referred") || strings.Contains(n, "OutgoingReferral")
	}
}

// decodeJSONList reads a vig_ list column strictly (see strictjson): an
// empty cell is no list; unknown fields, wrong types and null items are
// reported against the column, with the item they are in.
func decodeJSONList[T any](p *rowProblems, ci int, s string) ([]*T, bool) {
	if s == "" {
		return nil, true
	}
	var list []*T
	if t := strings.TrimLeft(s, " \t\r\n"); !strings.HasPrefix(t, "[") {
		p.add(ci, "validation.json", "is not a JSON list (it must start with [)")
		return nil, false
	}
	if err := strictjson.Decode([]byte(s), &list); err != nil {
		addJSONError(p, ci, err)
		return nil, false
	}
	ok := true
	for i, x := range list {
		if x == nil {
			p.add(ci, "validation.json", "item %d is null instead of an object", i+1)
			ok = false
		}
	}
	if !ok || len(list) == 0 {
		return nil, ok
	}
	return list, true
}

func decodeJSONObject(p *rowProblems, ci int, s string, v any) bool {
	if s == "" {
		return true
	}
	if t := strings.TrimLeft(s, " \t\r\n"); !strings.HasPrefix(t, "{") {
		p.add(ci, "validation.json", "is not a JSON object (it must start with {)")
		return false
	}
	if err := strictjson.Decode([]byte(s), v); err != nil {
		addJSONError(p, ci, err)
		return false
	}
	return true
}

var itemPath = regexp.MustCompile(`^\[(\d+)\]\.?`)

// addJSONError reports a strictjson error against a JSON column, naming
// the item and field ("item 2: hte_Colour: is not a field…").
func addJSONError(p *rowProblems, ci int, err error) {
	fields := domain.FieldErrors(err)
	if len(fields) == 0 {
		p.add(ci, "validation.json", "%s", domain.SafeMessage(err))
		return
	}
	for _, fe := range fields {
		where := fe.Field
		if m := itemPath.FindStringSubmatch(where); m != nil {
			n, _ := strconv.Atoi(m[1])
			where = fmt.Sprintf("item %d: %s", n+1, where[len(m[0]):])
		}
		p.addItem(ci, fe.Code, strings.TrimSuffix(where, ": ")+": "+fe.Message)
	}
}

// jsonReason explains a JSON syntax error.
func jsonReason(err error) string {
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("syntax error at byte %d: %s", syn.Offset, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "the JSON text ends too early"
	}
	return domain.SafeMessage(err)
}

// compactJSON is used by tests and the JSON reader's source keys.
func compactJSON(b []byte) []byte {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return b
	}
	return buf.Bytes()
}
