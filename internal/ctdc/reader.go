// SPDX-License-Identifier: AGPL-3.0-or-later

package ctdc

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"vigie/internal/csvsep"
	"vigie/internal/domain"
)

// Options say how imported cases are labelled.
type Options struct {
	Agency string // agency code set on every case (e.g. "CTDC")
	Source string // source name used in source keys (e.g. file base name)
}

// MaxSourceLen bounds Options.Source so that source keys stay within
// domain.MaxShortText.
const MaxSourceLen = 160

// Record is one imported row: its line number (the header is line 1) and
// the valid case built from it.
type Record struct {
	Row  int
	Case *domain.Case
}

// Reader reads a CTDC CSV file row by row, streaming: its memory does not
// grow with the file, except for a map entry (about 20 bytes) per distinct
// row content, to number identical rows in source keys. It is not safe for concurrent
// use.
type Reader struct {
	cr    *csv.Reader
	lim   *csvsep.Limit // bounds lines and rows
	bom   int64         // bytes of the byte order mark before cr's first
	spec  *formatSpec
	pos   []int // pos[canonical column] = index of the column in the file
	opt   Options
	today domain.Date

	header []string // the header's names, trimmed
	width  int      // the header's cells, with unnamed ones at its end

	// line is the row number of the last record as a spreadsheet shows
	// it (one per record, a cell's line breaks inside its row, the empty
	// lines encoding/csv skips counted), as the HTCDS import numbers
	// rows; endLine is the file line on which that record ended.
	line    int
	endLine int
	rows    int   // data rows read (returned or rejected)
	blank   int   // rows of separators only, skipped (Blank)
	err     error // sticky: io.EOF or a fatal error

	// A record read ahead after a broken quote, to tell whether the csv
	// reader could go on.
	peeked  bool
	peekRec []string
	peekErr error

	state   rowState
	seen    map[uint64]uint32 // occurrences of each row content
	tidied  []string          // the current row's cells, tidied
	hashBuf []byte
	keyBuf  []byte
}

// NewReader reads and checks the header. A wrong header is a
// *domain.Error of KindInvalid that names the missing, unknown and
// duplicated columns and gives the expected header.
func NewReader(r io.Reader, opt Options) (*Reader, error) {
	if err := checkOptions(opt); err != nil {
		return nil, err
	}
	lim := csvsep.LimitLines(csvsep.CRLines(r), MaxLineBytes)
	br := bufio.NewReaderSize(lim, 64<<10)
	var bom int64
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\uFEFF")) {
		br.Discard(3)
		bom = 3
	}
	if b, err := br.Peek(2); err == nil && (bytes.Equal(b, []byte{0xFF, 0xFE}) || bytes.Equal(b, []byte{0xFE, 0xFF})) {
		return nil, domain.Errorf(domain.KindInvalid, "le fichier est en UTF-16 : enregistrez-le en CSV UTF-8 (dans Excel : CSV UTF-8, délimité par des virgules) et importez-le à nouveau / the file is UTF-16 text: save it as CSV UTF-8 (in Excel: CSV UTF-8, comma delimited) and import again")
	}
	cr := csv.NewReader(br)
	// A spreadsheet may save the file with semicolons or tabs; the
	// header of both CTDC formats has dozens of columns, so one line tells.
	head, _ := br.Peek(br.Size())
	if what, fr := csvsep.NotTextIn(head); what != "" {
		return nil, domain.Errorf(domain.KindInvalid, "le fichier n'est pas du texte CSV (%[2]s) : enregistrez le jeu de données en CSV UTF-8 et importez ce fichier / the file is %[1]s, not CSV text: save the dataset as CSV UTF-8 and import that file", what, fr)
	}
	cr.Comma = csvsep.Guess(head)
	cr.FieldsPerRecord = -1 // the field count is checked per row, as a reject
	cr.ReuseRecord = true
	hdr, err := lim.ReadRow(cr, bom)
	var pe *csv.ParseError
	switch {
	case err == io.EOF:
		return nil, domain.Errorf(domain.KindInvalid, "le fichier est vide : un fichier CTDC commence par une ligne d'en-tête / the file is empty: a CTDC file starts with a header line")
	case errors.As(err, &pe):
		return nil, domain.Errorf(domain.KindInvalid, "l'en-tête (ligne 1) n'est pas du CSV valide / the header (line 1) is not valid CSV: %v", pe.Err)
	case errors.As(err, new(*csvsep.LongLineError)):
		return nil, longLine(err)
	case err != nil:
		return nil, domain.Wrap(domain.KindInternal, err, "cannot read the header of the CTDC file")
	}
	// Unnamed columns at the end of the header (a trailing comma, as a
	// spreadsheet writes after a column it has formatted) are not
	// columns: the file was refused as a whole ('column 59 "" is not a
	// CTDC column'). Their cells must be empty (see Next).
	width := len(hdr)
	hdrLast := hdr[width-1]
	for len(hdr) > 1 && strings.TrimSpace(hdr[len(hdr)-1]) == "" {
		hdr = hdr[:len(hdr)-1]
	}
	spec, pos, err := checkHeader(hdr)
	if err != nil {
		return nil, err
	}
	rd := &Reader{
		cr:     cr,
		lim:    lim,
		bom:    bom,
		header: trimmedCopy(hdr),
		width:  width,
		spec:   spec,
		pos:    pos,
		opt:    opt,
		today:  domain.DateOf(time.Now().UTC()),
		line:   1,
		seen:   make(map[uint64]uint32),
	}
	last, _ := cr.FieldPos(width - 1)
	rd.endLine = last + strings.Count(hdrLast, "\n")
	rd.state.spec = spec
	rd.state.pos = pos
	rd.state.today = rd.today
	return rd, nil
}

func checkOptions(opt Options) error {
	var p domain.Problems
	if !domain.ValidAgencyCode(opt.Agency) {
		p.Add("agency", "validation.agency_code", "%q must be 2 to 10 capital letters or digits (e.g. CTDC)", opt.Agency)
	}
	switch {
	case opt.Source == "":
		p.Add("source", "validation.required", "is required (e.g. the file's base name): it prefixes the source keys")
	case !utf8.ValidString(opt.Source) || strings.ContainsFunc(opt.Source, isControl):
		p.Add("source", "validation.text", "must be UTF-8 text without control characters")
	case utf8.RuneCountInString(opt.Source) > MaxSourceLen:
		p.Add("source", "validation.too_long", "is longer than %d characters", MaxSourceLen)
	}
	if len(p) == 0 {
		return nil
	}
	return &domain.Error{Kind: domain.KindInvalid, Message: "invalid CTDC import options", Fields: p}
}

// Format is the layout detected from the header.
func (r *Reader) Format() Format { return r.spec.format }

// Rows is the number of data rows read so far, returned or rejected.
func (r *Reader) Rows() int { return r.rows }

// Next returns the next valid record, or (nil, rejects, nil) for a
// rejected row (rejects lists every problem of that row), or io.EOF at
// the end. Any other error is fatal and names the row; it is returned
// again by later calls.
func (r *Reader) Next() (*Record, []domain.RowError, error) {
	if r.err != nil {
		return nil, nil, r.err
	}
	rec, err := r.read()
	for err == nil && blankRow(rec) {
		r.blank++
		rec, err = r.read()
	}
	if err != nil {
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			r.err = io.EOF
		case errors.As(err, &pe):
			return r.parseError(pe)
		case errors.As(err, new(*csvsep.LongLineError)):
			r.err = longLine(err)
		default:
			r.err = domain.Wrap(domain.KindInternal, err, "cannot read the CTDC file after line %d", r.endLine)
		}
		return nil, nil, r.err
	}
	r.rows++
	if len(rec) > len(r.pos) && len(rec) <= r.width && blankRow(rec[len(r.pos):]) {
		rec = rec[:len(r.pos)] // the header's unnamed columns, empty
	}
	if len(rec) != len(r.pos) {
		return nil, []domain.RowError{r.fieldCount(rec)}, nil
	}
	if isHeader(rec, r.header) {
		// Files joined together (cat a.csv b.csv) repeat the header: one
		// reject that says so, rather than one per column ('"gender" is
		// not one of: Female, …' 58 times).
		return nil, []domain.RowError{{Row: r.line, Code: "ctdc.header_repeated", Reason: "repeats the header line (files joined together?): it is not a case"}}, nil
	}

	s := &r.state
	s.row, s.rec, s.raw, s.probs = r.line, r.tidy(rec), rec, s.probs[:0]
	var out *Record
	var c *domain.Case
	if r.spec == globalSpec {
		a := new(globalRow)
		out, c, s.spare = &a.rec, &a.c, a.strs[:]
		s.mapGlobal(a)
	} else {
		a := new(vpRow)
		out, c, s.spare = &a.rec, &a.c, a.strs[:]
		s.mapVP(a)
	}
	s.spare = nil
	c.Agency, c.Status = r.opt.Agency, statusActive
	if len(s.probs) > 0 {
		return nil, s.rejects(), nil
	}
	c.SourceKey = r.sourceKey(s.rec)
	if err := c.Validate(r.today); err != nil {
		for _, f := range domain.FieldErrors(err) {
			s.addFieldError(f)
		}
		if len(s.probs) == 0 { // not a validation error: keep the row out anyway
			s.probs = append(s.probs, domain.RowError{Row: s.row, Code: "ctdc.invalid", Reason: err.Error()})
		}
		return nil, s.rejects(), nil
	}
	out.Row, out.Case = r.line, c
	return out, nil, nil
}

// fieldCount rejects a row with too few or too many fields, naming the
// first column left without a value, or the first field beyond the header
// ("column 59") and its value.
func (r *Reader) fieldCount(rec []string) domain.RowError {
	e := domain.RowError{
		Row:    r.line,
		Code:   "ctdc.field_count",
		Reason: fmt.Sprintf("has %d fields; the header has %d", len(rec), len(r.pos)),
	}
	if len(rec) > len(r.pos) {
		i := len(r.pos)
		if len(rec) <= r.width { // the first filled cell of the unnamed columns
			for i < len(rec)-1 && blankRow(rec[i:i+1]) {
				i++
			}
			e.Reason = fmt.Sprintf("has a value in column %d, which has no name in the header", i+1)
		}
		e.Column = "column " + strconv.Itoa(i+1)
		e.Value = clip(rec[i])
		return e
	}
	if c := slices.Index(r.pos, len(rec)); c >= 0 {
		e.Column = r.spec.columns[c]
		e.Reason += ": " + e.Column + " and the columns after it have no value"
	}
	return e
}

// Blank is how many rows of separators only were skipped so far: the
// import says so, so that no row of the file goes uncounted.
func (r *Reader) Blank() int { return r.blank }

// blankRow reports whether every cell of rec is blank: a row of
// separators only (,,,,), which a spreadsheet writes for rows it has
// formatted but that hold nothing. In the Global Dataset, where a row
// needs its year and data source, it is skipped, as an empty line is and
// as the HTCDS import skips it; it was rejected with 'yearOfRegistration
// is required' and the other columns, a row nobody wrote. So in the
// victim–perpetrator dataset, where every column may be empty: such rows
// (none in the real file) were imported as victims of whom nothing is
// known — the trailing rows a spreadsheet leaves became phantom victims.
func blankRow(rec []string) bool {
	for _, v := range rec {
		if strings.TrimFunc(v, isBlank) != "" {
			return false
		}
	}
	return true
}

func (r *Reader) read() ([]string, error) {
	rec, err := r.peekRec, r.peekErr
	if r.peeked {
		r.peeked = false
	} else {
		rec, err = r.lim.ReadRow(r.cr, r.bom)
	}
	if err == nil {
		r.count(rec)
		// Excel saves CSV in Windows-1252 unless told UTF-8: a cell that
		// is not UTF-8 is read so, as the HTCDS import reads it (a
		// no-break space after a value, 0xA0, rejected the value).
		for i, c := range rec {
			rec[i], _ = csvsep.FromWindows1252(c)
		}
	}
	return rec, err
}

// count numbers the record just read (the csv reader's last): empty lines
// before it, which encoding/csv skips, are blank rows — they were in no
// count, so that imported + rejected + blank fell short of the rows.
func (r *Reader) count(rec []string) {
	first, _ := r.cr.FieldPos(0)
	r.line = r.nextRow(first)
	last, _ := r.cr.FieldPos(len(rec) - 1)
	r.endLine = last + strings.Count(rec[len(rec)-1], "\n")
}

// nextRow is the row number of a record that starts on file line first,
// counting the empty lines between the last record and it as blank rows.
func (r *Reader) nextRow(first int) int {
	if gap := first - r.endLine - 1; gap > 0 {
		r.blank += gap
	}
	return r.line + max(1, first-r.endLine)
}

// trimmedCopy returns the cells without surrounding spaces, in a new
// slice (the csv reader reuses its records).
func trimmedCopy(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.TrimSpace(c)
	}
	return out
}

// isHeader reports whether the row repeats the header (trimmed), without
// copying the row: it runs on every row.
func isHeader(rec, header []string) bool {
	if len(rec) != len(header) {
		return false
	}
	for i, c := range rec {
		if strings.TrimSpace(c) != header[i] {
			return false
		}
	}
	return true
}

// parseError rejects a row that is not valid CSV, unless the csv reader
// cannot go on past it: a quoted field left open swallows the rest of the
// file, which is fatal rather than one silent reject for many rows.
func (r *Reader) parseError(pe *csv.ParseError) (*Record, []domain.RowError, error) {
	r.rows++
	r.line = r.nextRow(pe.StartLine)
	r.endLine = pe.Line
	if errors.Is(pe.Err, csv.ErrQuote) && pe.Line > pe.StartLine {
		rec, err := r.lim.ReadRow(r.cr, r.bom)
		if err == io.EOF {
			r.err = domain.Errorf(domain.KindInvalid, "ligne %[1]d : des guillemets ouverts ligne %[2]d ne sont pas fermés avant la fin du fichier (ligne %[3]d), les lignes suivantes ne peuvent pas être lues ; corrigez les guillemets et importez à nouveau / row %[1]d: a quoted field opened on line %[2]d is not closed before the end of the file (line %[3]d), so the rows after it cannot be read; fix the quotes and import again", r.line, pe.StartLine, pe.Line)
			return nil, nil, r.err
		}
		r.peeked, r.peekRec, r.peekErr = true, rec, err
	}
	return nil, []domain.RowError{{Row: r.line, Code: "ctdc.csv", Reason: csvsep.ParseErrorReason(pe)}}, nil
}

// tidy returns the row's cells as they are read: without surrounding
// spaces (and no-break spaces, byte-order marks, zero-width spaces), and a
// whole number written as a decimal (2015.0, 1.0, -99.0, as pandas writes a
// numeric column with gaps; 1,0 as French Excel does) as the integer. No CTDC value is a decimal or
// starts or ends with a space, so each of these spellings can only mean the
// codebook's value; country codes are read in capitals (ph is PH). The
// HTCDS import reads its cells the same way. The
// source key is made from the tidied cells, so a file re-saved with either
// spelling keeps its keys.
func (r *Reader) tidy(rec []string) []string {
	r.tidied = append(r.tidied[:0], rec...)
	for i, v := range r.tidied {
		r.tidied[i] = tidyCell(v)
	}
	for _, c := range r.spec.countries {
		// A code, not a name: "Narnia" is refused as written.
		if v := r.tidied[r.pos[c]]; len(v) <= 2 {
			r.tidied[r.pos[c]] = strings.ToUpper(v)
		}
	}
	return r.tidied
}

func tidyCell(v string) string {
	v = strings.TrimFunc(v, isBlank)
	if i := strings.IndexAny(v, ".,"); i > 0 && i < len(v)-1 &&
		strings.Trim(v[i+1:], "0") == "" && isInteger(v[:i]) {
		return v[:i]
	}
	return v
}

func isBlank(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b' }

// isInteger reports whether v is digits with an optional leading minus.
func isInteger(v string) bool {
	v = strings.TrimPrefix(v, "-")
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}

// MaxLineBytes bounds a line of a CTDC file. A row of either dataset is a
// few hundred bytes; a longer line is a damaged file (or not a CTDC file),
// and the CSV reader would hold it whole in memory.
const MaxLineBytes = 1 << 20

func longLine(err error) error {
	return domain.Wrap(domain.KindInvalid, err, "%[2]s : une ligne CTDC fait quelques centaines d'octets, le fichier est donc endommagé ou n'est pas un fichier CTDC ; les lignes précédentes ont été lues / %[1]v: a CTDC row is a few hundred bytes, so the file is damaged or not a CTDC file; the rows before it were read", err, csvsep.LongLineFrench(err))
}

// sourceKey is Source:hash16:occurrence; see the package comment.
func (r *Reader) sourceKey(rec []string) string {
	b := r.hashBuf[:0]
	for i, p := range r.pos {
		if i > 0 {
			b = append(b, 0x1f)
		}
		b = append(b, rec[p]...)
	}
	r.hashBuf = b
	sum := sha256.Sum256(b)
	h := binary.BigEndian.Uint64(sum[:8])
	n := r.seen[h] + 1
	r.seen[h] = n
	k := append(r.keyBuf[:0], r.opt.Source...)
	k = append(k, ':')
	k = hex.AppendEncode(k, sum[:8])
	k = append(k, ':')
	k = strconv.AppendUint(k, uint64(n), 10)
	r.keyBuf = k
	return string(k)
}

// rowState maps one row and collects its problems.
type rowState struct {
	spec  *formatSpec
	pos   []int
	today domain.Date
	row   int
	rec   []string // the row's cells, tidied
	raw   []string // the row's cells as written, shown in rejects
	probs []domain.RowError
	spare []string // free part of the current row's backing array
}

func (s *rowState) get(col int) string { return s.rec[s.pos[col]] }

// bad records a problem of column col.
func (s *rowState) bad(col int, code, format string, args ...any) {
	s.probs = append(s.probs, domain.RowError{
		Row:    s.row,
		Column: s.spec.columns[col],
		Value:  clip(s.raw[s.pos[col]]),
		Code:   code,
		Reason: fmt.Sprintf(format, args...),
	})
}

// rejects returns a copy of the row's problems in the order of the
// columns in the file (problems of no column last).
func (s *rowState) rejects() []domain.RowError {
	out := slices.Clone(s.probs)
	at := func(e domain.RowError) int {
		if c, ok := s.spec.index[e.Column]; ok {
			return s.pos[c]
		}
		return len(s.pos)
	}
	slices.SortStableFunc(out, func(a, b domain.RowError) int { return at(a) - at(b) })
	return out
}

// addFieldError turns a validation problem into a reject, naming the CTDC
// column that fed the field when there is one.
func (s *rowState) addFieldError(f domain.FieldError) {
	e := domain.RowError{Row: s.row, Column: f.Field, Code: f.Code, Reason: f.Message}
	if col, ok := s.spec.fields[f.Field]; ok {
		e.Column = s.spec.columns[col]
		e.Value = clip(s.raw[s.pos[col]])
	}
	s.probs = append(s.probs, e)
}

// enum reads a single-valued enum column ("" when missing).
func (s *rowState) enum(col int, t *enumTable) string {
	v := s.get(col)
	if s.spec.missing(v) {
		return ""
	}
	if i := t.index(v); i >= 0 {
		return t.enum.Values[i]
	}
	s.bad(col, "ctdc.value", "%s is not one of: %s%s", quote(v), t.expect, s.missingHint())
	return ""
}

// enumList reads a ";"-separated enum column into a bit set.
func (s *rowState) enumList(col int, t *enumTable) uint64 {
	cell := s.get(col)
	if s.spec.missing(cell) {
		return 0
	}
	var mask uint64
	for rest := cell; rest != ""; {
		var tok string
		tok, rest, _ = strings.Cut(rest, ";")
		tok = strings.TrimSpace(tok)
		if tok == "" {
			continue
		}
		i := t.index(tok)
		if i < 0 {
			if tok == cell {
				s.bad(col, "ctdc.value", "%s is not one of: %s%s", quote(tok), t.expect, s.missingHint())
			} else {
				s.bad(col, "ctdc.value", "%s (in %s) is not one of: %s; several values are separated by \";\"", quote(tok), quote(cell), t.expect)
			}
			return 0
		}
		mask |= 1 << i
	}
	return mask
}

func (s *rowState) missingHint() string {
	if s.spec == globalSpec {
		return ", or -99 when missing"
	}
	return ", or empty when missing"
}

// flag reads a boolean column: 1, 0, or -1 when missing or invalid.
func (s *rowState) flag(col int) int {
	switch v := s.get(col); v {
	case "1":
		return 1
	case "0":
		return 0
	case "":
		return -1
	case "-99":
		if s.spec == globalSpec {
			return -1
		}
		s.bad(col, "ctdc.boolean", "%s is not a valid indicator: expected 1, 0 or empty (this dataset leaves missing values empty)", quote(v))
	default:
		if s.spec == globalSpec {
			s.bad(col, "ctdc.boolean", "%s is not a boolean: expected 0, 1 or -99 (missing)", quote(v))
		} else {
			s.bad(col, "ctdc.boolean", "%s is not a valid indicator: expected 1, 0 or empty", quote(v))
		}
	}
	return -1
}

// rawFlag reads a boolean cell without reporting: 1, 0, else -1.
func rawFlag(v string) int {
	switch v {
	case "1":
		return 1
	case "0":
		return 0
	}
	return -1
}

// flagList returns the values of the columns that are 1.
func (s *rowState) flagList(flags []flagValue) []string {
	n := 0
	for _, f := range flags {
		if s.flag(f.col) == 1 {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := s.strings(n)
	for _, f := range flags {
		if s.get(f.col) == "1" {
			out = append(out, f.value)
		}
	}
	return out
}

// country reads an ISO 3166-1 alpha-2 code ("" when missing).
func (s *rowState) country(col int) string {
	v := s.get(col)
	if s.spec.missing(v) {
		return ""
	}
	if c, ok := countryCodes[v]; ok {
		return c
	}
	s.bad(col, "ctdc.country", "%s is not an ISO 3166-1 alpha-2 country code (two capital letters such as CD; ZZ = unknown)%s", quote(v), s.missingHint())
	return ""
}

// year reads a registration year: four digits, 1990..this year.
func (s *rowState) year(col int, v string) int {
	y, ok := parseYear(v)
	if !ok {
		s.bad(col, "ctdc.year", "%s is not a year (four digits, e.g. 2016)", quote(v))
		return 0
	}
	if y < domain.MinRegistrationYear || y > s.today.Year() {
		s.bad(col, "ctdc.year", "%d is not between %d and %d", y, domain.MinRegistrationYear, s.today.Year())
		return 0
	}
	return y
}

// yearOrPeriod reads "2019" into RegistrationYear or "2014-2018" into
// RegistrationPeriod.
func (s *rowState) yearOrPeriod(c *domain.Case, col int, v string) {
	if len(v) != 9 || v[4] != '-' {
		if len(v) == 4 {
			c.RegistrationYear = s.year(col, v)
		} else {
			s.bad(col, "ctdc.year", "%s is not a year (e.g. 2019) or a span of years (e.g. 2014-2018)", quote(v))
		}
		return
	}
	from, ok1 := parseYear(v[:4])
	to, ok2 := parseYear(v[5:])
	lo, hi := domain.MinRegistrationYear, s.today.Year()
	switch {
	case !ok1 || !ok2:
		s.bad(col, "ctdc.year", "%s is not a year (e.g. 2019) or a span of years (e.g. 2014-2018)", quote(v))
	case from > to:
		s.bad(col, "ctdc.year", "%s ends before it starts", quote(v))
	case from < lo || to > hi:
		s.bad(col, "ctdc.year", "%s is not within %d-%d", quote(v), lo, hi)
	default:
		c.RegistrationPeriod = v[:4] + "-" + v[5:]
	}
}

func parseYear(s string) (int, bool) {
	if len(s) != 4 {
		return 0, false
	}
	n := 0
	for i := 0; i < 4; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// Values in rejects are shown as they are when they are short, valid
// UTF-8 text without control characters; otherwise they are cut to
// maxValueRunes characters and invalid bytes and control characters are
// written as Go escapes (\x00), so that a reject file stays readable.
const maxValueRunes = 100

func clip(v string) string {
	if len(v) <= maxValueRunes && utf8.ValidString(v) && !strings.ContainsFunc(v, isControl) {
		return v
	}
	cut, n := len(v), 0
	for i := range v {
		if n == maxValueRunes {
			cut = i
			break
		}
		n++
	}
	q := strconv.Quote(v[:cut])
	q = q[1 : len(q)-1]
	if cut < len(v) {
		q += "… (" + strconv.Itoa(len(v)) + " bytes)"
	}
	return q
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// quote writes a value in a reason.
func quote(v string) string { return `"` + clip(v) + `"` }
