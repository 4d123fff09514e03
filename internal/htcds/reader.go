// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"vigie/internal/textdist"

	"github.com/xuri/excelize/v2"

	"vigie/internal/csvsep"
	"vigie/internal/domain"
)

// Options configures an import.
type Options struct {
	// Agency is the code of the agency that registers the imported cases,
	// for rows whose agency column is absent or empty.
	Agency string
	// Source names the file or batch in generated source keys; default
	// "htcds".
	Source string
	// Today is the date against which dates in the future are refused;
	// zero means the current date in UTC.
	Today domain.Date
}

// Record is one imported case and the spreadsheet row it came from (for
// the JSON reader: the 1-based index of the element in the array).
type Record struct {
	Row  int
	Case *domain.Case
}

// MaxSourceLen bounds Options.Source so that generated source keys stay
// within domain.MaxShortText.
const MaxSourceLen = 160

// maxUnzipped bounds the uncompressed size of an XLSX workbook, against
// zip bombs; the caller bounds the size of the file itself.
const maxUnzipped = 1 << 30

// Positions of a file column that maps to no flat column.
const (
	skipRowNumber = -1 // blank first column of the IOM templates: row numbers
	skipUnnamed   = -2 // any other column with a blank name: must stay empty
)

// Reader reads cases from a CSV or XLSX file in the flat HTCDS form, one
// row at a time.
//
// The header is row 1. Column names are the field identifiers of Columns
// in any order and any letter case; the English labels are accepted too,
// and so are the IOM templates' quirks: the misspelt
// vic_TraffickinStatusDecisionMakingOrg, the blank-named column labelled
// "Reason for Outgoing Referral" (found by its label in row 2 or by its
// place between cas_ReferredPrimaryCaseWorker and
// cas_OutgoingReferralDate) and the blank first column of row numbers. A
// label row right below the header, as in the templates and in XLSX
// exports, is recognised and skipped; where it names another column
// than row 1 (the templates' mailing address, see resolveHeader), the
// label wins. Empty rows are skipped.
//
// A CSV file is UTF-8, with or without a byte-order mark, separated by
// commas or (as Excel writes it in French) semicolons, with CR LF or LF
// line ends. An XLSX file is read from its sheet "Cases", else the first
// sheet whose row 1 is an HTCDS header (see pickSheet), so that sheets of
// notes or lookups placed before the cases do not hide them.
//
// Each case gets a source key so that importing the same file twice
// creates nothing new: its vig_SourceKey when given; else "id:" and its id
// when given; else Options.Source, ":", the first 16 hex digits of the
// SHA-256 of the row's cells joined by U+001F, ":" and the occurrence of
// identical rows so far (1 for the first), which is stable across imports
// of the same file.
type Reader struct {
	dec     decoder
	src     source
	cols    []int // by file position: a column index or a skip value
	width   int   // the header's width
	pending *rawRow
	seen    contents
	err     error // sticky: io.EOF or a fatal error
	blank   int   // rows with no value in any cell, skipped (Blank)
	hidden  bounded[int]
}

// Blank is how many rows with no value in any cell (separators or spaces
// only) were skipped so far: the import says so, so that no row of the
// file goes uncounted.
func (rd *Reader) Blank() int {
	if e, ok := rd.src.(interface{ emptyLines() int }); ok {
		return rd.blank + e.emptyLines()
	}
	return rd.blank
}

type rawRow struct {
	num   int
	cells []string
	shown []string // XLSX: cells as their number format shows them
	// XLSX: why some empty cells are empty — inside merged cells whose
	// value is another cell's, or a formula never computed — by position.
	blanks map[int]string
	// CSV: why the row could not be read (then it has no cells).
	reject *domain.RowError
	// XLSX: the positions of the cells that hold a number written with
	// an exponent (a long number the spreadsheet rounded), not text.
	rounded map[int]bool
	// XLSX: the row is hidden in the sheet.
	hidden bool
}

type source interface {
	next() (*rawRow, error) // io.EOF at the end
	close() error
}

// NewReader reads the header of a CSV ("csv") or XLSX ("xlsx") file and
// returns a reader of its rows. A header that does not fit is a
// domain.KindInvalid error whose fields name each wrong column. An XLSX
// file is read into memory first (a zip needs random access); its sheet is
// then streamed. Call Close when stopping before io.EOF.
func NewReader(r io.Reader, format string, opt Options) (*Reader, error) {
	dec, err := newDecoder(opt)
	if err != nil {
		return nil, err
	}
	var src source
	switch strings.ToLower(strings.TrimPrefix(format, ".")) {
	case "csv":
		src, err = newCSVSource(r)
	case "xlsx":
		var xs *xlsxSource
		xs, err = newXLSXSource(r)
		if xs != nil {
			src, dec.xlsx, dec.date1904 = xs, true, xs.date1904
		}
	default:
		return nil, domain.Errorf(domain.KindInvalid, "unknown import format %q: use csv or xlsx", format)
	}
	if err != nil {
		return nil, err
	}
	rd := &Reader{dec: dec, src: src, seen: newContents()}
	if err := rd.readHeader(); err != nil {
		_ = src.close()
		if xs, ok := src.(*xlsxSource); ok && xs.sheets > 1 {
			var de *domain.Error
			if errors.As(err, &de) {
				de.Message = fmt.Sprintf("sheet %q (the workbook's %d sheets were searched for an HTCDS header row): %s", xs.sheet, xs.sheets, de.Message)
			}
		}
		return nil, err
	}
	return rd, nil
}

func newDecoder(opt Options) (decoder, error) {
	if opt.Agency != "" && !domain.ValidAgencyCode(opt.Agency) {
		return decoder{}, domain.Errorf(domain.KindInvalid, "%q is not an agency code (2 to 10 capital letters or digits)", opt.Agency)
	}
	if opt.Source == "" {
		opt.Source = "htcds"
	}
	if !utf8.ValidString(opt.Source) || utf8.RuneCountInString(opt.Source) > MaxSourceLen || tokenProblem(opt.Source) != "" {
		return decoder{}, domain.Errorf(domain.KindInvalid, "the import source name must be UTF-8 text of at most %d characters without control characters", MaxSourceLen)
	}
	today := opt.Today
	if today.IsZero() {
		today = domain.DateOf(time.Now().UTC())
	}
	return decoder{opt: opt, today: today, names: make([]string, len(columns)), keys: firstRows{}}, nil
}

// readHeader reads row 1, and row 2 when it is a label row.
func (rd *Reader) readHeader() error {
	header, err := rd.src.next()
	if err == io.EOF {
		return domain.Errorf(domain.KindInvalid, "le fichier est vide : il n'a pas de ligne d'en-tête / the file is empty: it has no header row")
	}
	if err != nil {
		return err
	}
	if header.reject != nil {
		return domain.Errorf(domain.KindInvalid, "la ligne d'en-tête est illisible / the header row %s", header.reject.Reason)
	}
	header.cells = append([]string(nil), header.cells...)
	second, err := rd.src.next()
	switch {
	case err == io.EOF:
		second = nil
	case err != nil:
		return err
	case second.reject != nil:
	default:
		second.cells = append([]string(nil), second.cells...)
	}
	var labels []string
	if second != nil && isLabelRow(header.cells, second.cells) {
		labels = second.cells
	} else {
		rd.pending = second
	}
	return rd.resolveHeader(header.cells, labels)
}

// isLabelRow reports whether row holds column labels: at least half of
// its filled cells are known labels, and one is the label of its own
// column. Every cell had to be one: a single label translated ("Prénom")
// turned the row into a case, rejected, and the columns were then read by
// row 1 alone — in IOM's templates columns N–R name other fields than
// their labels, so a street went into the city, unsaid. A column whose
// label is unknown is read by its row-1 name.
func isLabelRow(header, row []string) bool {
	own, known, filled := 0, 0, 0
	for i, cell := range row {
		if cell = trim(cell); cell == "" {
			continue
		}
		filled++
		ci, ok := columnByLabelOf(fold(cell))
		if !ok {
			continue
		}
		known++
		if i < len(header) {
			if hi, ok := lookupColumn(trim(header[i])); ok && hi == ci {
				own++
			}
		}
	}
	return own > 0 && 2*known >= filled
}

// maxHeaderProblems bounds the problems a header error lists.
const maxHeaderProblems = 50

// resolveHeader maps every file column to a flat column.
func (rd *Reader) resolveHeader(header, labels []string) error {
	var p domain.Problems
	rd.cols = make([]int, len(header))
	rd.width = len(header)
	where := make([]int, len(columns)) // file position + 1 of each column
	resolve := func(i int) (int, bool) {
		if i < 0 || i >= len(header) {
			return 0, false
		}
		return lookupColumn(trim(header[i]))
	}
	for i, h := range header {
		h = trim(h)
		rd.cols[i] = skipUnnamed
		ci, ok := resolve(i)
		switch {
		case h != "" && !ok:
			// A header of thousands of unknown columns is not HTCDS at
			// all: name the first few.
			if len(p) < maxHeaderProblems {
				msg := fmt.Sprintf("unknown column %q", h)
				if s := suggest(h); s != "" {
					msg += fmt.Sprintf(" (did you mean %s?)", s)
				}
				p.Add(h, "import.unknown_column", "%s", msg)
			}
			continue
		case h == "":
			if ci, ok = blankColumn(i, labels, resolve); !ok {
				if i == 0 {
					rd.cols[i] = skipRowNumber
				}
				continue
			}
		default:
			if li, ok := labelColumnIn(i, labels, h); ok && li != ci {
				// The label wins: it is what the person filling the
				// sheet sees. IOM's v2.0 templates name columns N–R
				// prs_MailingCity, …Country, …State, …Street,
				// …PostalCode above the labels Mailing Street, City,
				// State/Province, Zip/Postal Code, Country: read by
				// row 1, a street went into the city and a country
				// into the postal code.
				ci, h = li, columns[li].Name
			}
		}
		if w := where[ci]; w != 0 {
			if len(p) < maxHeaderProblems {
				p.Add(rd.displayHeader(h, ci), "import.duplicate_column", "column %s (%s) repeats column %s (%s)", columnLetter(i), rd.displayHeader(h, ci), columnLetter(w-1), columns[ci].Name)
			}
			continue
		}
		where[ci] = i + 1
		rd.cols[i] = ci
		rd.dec.names[ci] = h
	}
	if where[colTrafficking] == 0 {
		p.Add(columns[colTrafficking].Name, "import.missing_column", "the column vic_TraffickingStatus is missing; every case needs a trafficking status")
	}
	if where[colAgency] == 0 && rd.dec.opt.Agency == "" {
		p.Add("agency", "import.missing_column", "the file has no agency column and no agency was given for the import")
	}
	if len(p) == 0 {
		return nil
	}
	msg := "la ligne d'en-tête ne correspond pas au format HTCDS / the header row does not match HTCDS: " + p[0].Message
	if looksLikeCTDC(header) {
		msg = "c'est un fichier CTDC : importez-le avec vigie import ctdc / this is a CTDC file: import it with vigie import ctdc; " + msg
	}
	if len(p) > 1 {
		msg += fmt.Sprintf(" (and %d more problems)", len(p)-1)
	}
	return &domain.Error{Kind: domain.KindInvalid, Message: msg, Fields: p}
}

// looksLikeCTDC reports a header with the columns that only the CTDC
// datasets have (their year, source and age columns): such a file given to
// the HTCDS import got one "unknown column" per column and no word of the
// import that reads it.
func looksLikeCTDC(header []string) bool {
	n := 0
	for _, h := range header {
		switch trim(h) {
		case "yearOfRegistration", "yearRegister", "Datasource", "ageBroad", "majorityStatus", "IP_Exploiter", "UN_COO_Region":
			n++
		}
	}
	return n >= 2
}

// labelColumn is the column the label row names at position i, when it
// names one, and only one column has that label.
func labelColumn(i int, labels []string) (int, bool) {
	if i >= len(labels) {
		return 0, false
	}
	label := fold(trim(labels[i]))
	if label == "" || labelCountOf(label) != 1 {
		return 0, false
	}
	ci, ok := columnByLabelOf(label)
	return ci, ok
}

// labelColumnIn is labelColumn for a label row below a header that names
// the column h: a page label shared by several columns ("Ville", "Pays")
// names the one whose name has the most in common with h (prs_Mailing…
// below prs_Mailing…, not hte_…), when one has more than the others.
func labelColumnIn(i int, labels []string, h string) (int, bool) {
	if ci, ok := labelColumn(i, labels); ok || i >= len(labels) {
		return ci, ok
	}
	best, bestN, ties := 0, 0, 0
	for _, ci := range pageLabelColumns(fold(trim(labels[i]))) {
		n := commonPrefix(columns[ci].Name, h)
		switch {
		case n > bestN:
			best, bestN, ties = ci, n, 0
		case n == bestN:
			ties++
		}
	}
	// More than the table's prefix ("prs_") in common, and alone.
	return best, ties == 0 && bestN > strings.IndexByte(h, '_')+1
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// blankColumn finds the column of a blank header cell at position i: by
// its label in the label row, or, for the IOM templates' unnamed "Reason
// for Outgoing Referral", by its neighbours.
func blankColumn(i int, labels []string, resolve func(int) (int, bool)) (int, bool) {
	label := ""
	if i < len(labels) {
		label = trim(labels[i])
	}
	if label != "" {
		ci, ok := columnByLabelOf(fold(label))
		return ci, ok
	}
	if prev, ok := resolve(i - 1); ok && prev == colReferredCW {
		return colReasonOut, true
	}
	if next, ok := resolve(i + 1); ok && next == colOutgoingDate {
		return colReasonOut, true
	}
	return 0, false
}

func (rd *Reader) displayHeader(h string, ci int) string {
	if h != "" {
		return h
	}
	return columns[ci].Name
}

// columnLetter names a file column as a spreadsheet does (A, B, …, AA).
func columnLetter(i int) string {
	s, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return strconv.Itoa(i + 1)
	}
	return s
}

// suggest returns the column name closest to an unknown header, if close
// enough to be a likely typo.
func suggest(h string) string {
	best, bestD := "", 1<<30
	lh := strings.ToLower(h)
	for _, c := range columns {
		if d := textdist.Levenshtein(lh, strings.ToLower(c.Name)); d < bestD {
			best, bestD = c.Name, d
		}
	}
	if bestD <= max(2, len(h)/4) {
		return best
	}
	return ""
}

// Next returns the next case, or the reasons why its row was rejected
// (then the Record is nil), or io.EOF after the last row. Any other error
// is fatal (the file cannot be read further) and is returned again by
// later calls.
func (rd *Reader) Next() (*Record, []domain.RowError, error) {
	if rd.err != nil {
		return nil, nil, rd.err
	}
	for {
		raw := rd.pending
		rd.pending = nil
		if raw == nil {
			var err error
			if raw, err = rd.src.next(); err != nil {
				// Nothing more can be read; a failure to remove
				// temporary files does not concern the import.
				rd.err = err
				_ = rd.src.close()
				return nil, nil, err
			}
		}
		if raw.reject != nil {
			return nil, []domain.RowError{*raw.reject}, nil
		}
		r, errs, empty := rd.place(raw)
		if empty {
			rd.blank++
			continue
		}
		c, rowErrs := rd.dec.decode(r)
		errs = append(errs, rowErrs...)
		if len(errs) > 0 {
			return nil, errs, nil
		}
		if r.first > 0 && c.SourceKey == r.key {
			rd.seen.repeat(r.num, r.first)
		}
		if raw.hidden {
			rd.hidden.add(r.num)
		}
		return &Record{Row: r.num, Case: c}, nil, nil
	}
}

// Hidden lists the rows of an XLSX sheet that are hidden in it and were
// read as cases (at most maxRepeats), and how many more there were. A row
// is hidden to tidy a sheet as often as to leave it out: it is imported,
// and said.
func (rd *Reader) Hidden() ([]int, int) { return rd.hidden.items, rd.hidden.more }

// Repeats lists the rows imported as cases of their own whose cells are
// those of an earlier row (at most maxRepeats), and how many more there
// were. A row with a key of its own is not listed: a key given twice is
// refused (import.duplicate_key).
func (rd *Reader) Repeats() ([]Repeat, int) { return rd.seen.repeats.items, rd.seen.repeats.more }

// Close releases the file. It is safe to call more than once.
func (rd *Reader) Close() error {
	if rd.err == nil {
		rd.err = io.EOF
	}
	return rd.src.close()
}

// place puts the cells of a raw row in their columns and computes the
// row's generated source key.
func (rd *Reader) place(raw *rawRow) (*row, []domain.RowError, bool) {
	r := &row{num: raw.num, vals: make([]string, len(columns))}
	if raw.shown != nil {
		r.shown = make([]string, len(columns))
	}
	var errs []domain.RowError
	empty, beyond := true, false
	last := 0 // how many cells count for the source key
	for i, cell := range raw.cells {
		if i < len(rd.cols) && rd.cols[i] == skipRowNumber {
			continue
		}
		filled := trim(cell) != ""
		if filled {
			empty, last = false, i+1
		}
		switch {
		case i >= len(rd.cols):
			if filled && !beyond {
				beyond = true
				errs = append(errs, domain.RowError{Row: raw.num, Column: "column " + columnLetter(i), Value: errorValue(cell), Code: "import.beyond_header", Reason: fmt.Sprintf("is beyond the last column of the header (%s)", columnLetter(rd.width-1))})
			}
		case rd.cols[i] == skipUnnamed:
			if filled {
				errs = append(errs, domain.RowError{Row: raw.num, Column: "column " + columnLetter(i), Value: errorValue(cell), Code: "import.unnamed_column", Reason: "is in a column without a name; name the column or clear the cell"})
			}
		default:
			r.vals[rd.cols[i]] = cell
			if i < len(raw.shown) {
				r.shown[rd.cols[i]] = raw.shown[i]
			}
			if raw.rounded[i] {
				if r.rounded == nil {
					r.rounded = map[int]bool{}
				}
				r.rounded[rd.cols[i]] = true
			}
		}
	}
	if empty {
		return nil, nil, true
	}
	if need := rd.needed(); !rd.dec.xlsx && len(raw.cells) < need {
		// A CSV row cut short (a separator lost, a line broken in two)
		// was read as far as it went: its last columns came in empty —
		// a year, an agency, a source key lost without a word. (An
		// XLSX row leaves its empty last cells out: not checked.)
		column := "column " + columnLetter(len(raw.cells))
		if ci := rd.cols[len(raw.cells)]; ci >= 0 {
			column = rd.displayHeader(rd.dec.names[ci], ci) // the first column the row leaves out
		}
		errs = append(errs, domain.RowError{Row: raw.num, Column: column, Code: "import.field_count",
			Reason: fmt.Sprintf("the row stops after %d of the header's %d columns (it ends at %s): its last values would be lost; check its separators and quotes", len(raw.cells), need, columnLetter(len(raw.cells)-1))})
	}
	for _, i := range slices.Sorted(maps.Keys(raw.blanks)) {
		if i >= len(rd.cols) || rd.cols[i] < 0 {
			continue // not a column that is imported
		}
		code := "import.merged_cell"
		if strings.HasPrefix(raw.blanks[i], "holds a formula") {
			code = "import.formula_without_value"
		}
		errs = append(errs, domain.RowError{Row: raw.num, Column: rd.displayHeader(rd.dec.names[rd.cols[i]], rd.cols[i]), Code: code, Reason: raw.blanks[i]})
	}
	r.key, r.first = rd.sourceKey(raw.cells[:last], raw.num)
	return r, errs, false
}

// needed is how many cells a CSV row must have: up to the header's last
// imported column (a header may end with unnamed columns, Excel's
// trailing separators, which rows may leave out).
func (rd *Reader) needed() int {
	for i := len(rd.cols) - 1; i >= 0; i-- {
		if rd.cols[i] >= 0 {
			return i + 1
		}
	}
	return 0
}

// sourceKey is the generated source key of a row's cells (see Reader),
// and the row that had the same cells first when it is not this one.
func (rd *Reader) sourceKey(cells []string, num int) (string, int) {
	h := sha256.New()
	sep := false
	for i, c := range cells {
		if i < len(rd.cols) && rd.cols[i] == skipRowNumber {
			continue
		}
		if sep {
			h.Write([]byte{0x1f})
		}
		h.Write([]byte(c))
		sep = true
	}
	var sum [32]byte
	h.Sum(sum[:0])
	n, first := rd.seen.count(sum, num)
	if n == 1 {
		first = 0
	}
	return rd.dec.opt.Source + ":" + hex.EncodeToString(sum[:8]) + ":" + strconv.Itoa(n), first
}

// csvSource reads CSV records. Row numbers are those a spreadsheet shows:
// one per record, counting the blank lines that encoding/csv skips, with
// a cell's line breaks staying inside its row.
type csvSource struct {
	r       *csv.Reader
	lim     *csvsep.Limit // bounds lines, and rows that span lines
	bom     int64         // bytes of the byte order mark before r's first
	n       int           // row number of the last record
	endLine int           // line on which the last record ended
	empty   int           // empty lines skipped by encoding/csv (emptyLines)
	// A record read ahead after a broken quote, to tell whether the csv
	// reader could go on.
	peeked  bool
	peekRec []string
	peekErr error
}

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// MaxLineBytes bounds a line of a CSV file: a row of the widest case (96
// columns, long texts of up to 20,000 characters in a few) stays far
// below it, and encoding/csv would hold a longer line whole in memory.
const MaxLineBytes = 4 << 20

func newCSVSource(r io.Reader) (*csvSource, error) {
	lim := csvsep.LimitLines(csvsep.CRLines(r), MaxLineBytes)
	br := bufio.NewReaderSize(lim, 64<<10)
	head, _ := br.Peek(3)
	var bom int64
	switch {
	case bytes.HasPrefix(head, utf8BOM):
		_, _ = br.Discard(3)
		bom = 3
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}), bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		return nil, domain.Errorf(domain.KindInvalid, "le fichier est en UTF-16 : enregistrez-le en CSV UTF-8 / the file is UTF-16 text; save it as CSV UTF-8")
	}
	first, _ := br.Peek(64 << 10)
	if what, fr := csvsep.NotTextIn(first); what != "" {
		return nil, domain.Errorf(domain.KindInvalid, "le fichier n'est pas du texte CSV (%[2]s) : importez un classeur HTCDS tel quel, en .xlsx (--format xlsx), ou enregistrez-le en CSV UTF-8 / the file is %[1]s, not CSV text: import an HTCDS workbook as it is, as .xlsx (--format xlsx), or save it as CSV UTF-8", what, fr)
	}
	cr := csv.NewReader(br)
	cr.Comma = csvsep.Guess(first)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &csvSource{r: cr, lim: lim, bom: bom}, nil
}

// read reads a record and tells the line limit where it ended.
func (s *csvSource) read() ([]string, error) {
	return s.lim.ReadRow(s.r, s.bom)
}

func (s *csvSource) next() (*rawRow, error) {
	var rec []string
	var err error
	if s.peeked {
		rec, err, s.peeked = s.peekRec, s.peekErr, false
	} else {
		rec, err = s.read()
	}
	if err == io.EOF {
		return nil, io.EOF
	}
	if err == nil {
		// French Excel saves CSV in Windows-1252: a cell that is not
		// UTF-8 is read so (it was rejected as not UTF-8).
		for i, c := range rec {
			rec[i], _ = csvsep.FromWindows1252(c)
		}
		line, _ := s.r.FieldPos(0)
		s.skipTo(line)
		last, _ := s.r.FieldPos(len(rec) - 1)
		s.endLine = last + strings.Count(rec[len(rec)-1], "\n")
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return s.parseError(pe)
		}
		if errors.As(err, new(*csvsep.LongLineError)) {
			return nil, domain.Wrap(domain.KindInvalid, err, "%[2]s : le fichier est endommagé ou n'est pas un fichier CSV de dossiers ; les lignes précédentes ont été lues / %[1]v: the file is damaged or not a CSV file of cases; the rows before it were read", err, csvsep.LongLineFrench(err))
		}
		return nil, domain.Wrap(domain.KindInvalid, err, "impossible de lire le fichier CSV / cannot read the CSV file")
	}
	return &rawRow{num: s.n, cells: rec}, nil
}

// parseError rejects a row that is not valid CSV, as the CTDC import
// does, unless the csv reader cannot go on past it: a quoted field left
// open swallows the rest of the file, which is fatal rather than one
// reject for many rows.
func (s *csvSource) parseError(pe *csv.ParseError) (*rawRow, error) {
	s.skipTo(pe.StartLine)
	num := s.n
	if errors.Is(pe.Err, csv.ErrQuote) && pe.Line > pe.StartLine {
		rec, err := s.read()
		if err == io.EOF {
			return nil, domain.Errorf(domain.KindInvalid, "ligne %[1]d : des guillemets ouverts ligne %[2]d ne sont pas fermés avant la fin du fichier (ligne %[3]d), les lignes suivantes ne peuvent pas être lues ; corrigez les guillemets et importez à nouveau / row %[1]d: a quoted field opened on line %[2]d is not closed before the end of the file (line %[3]d), so the rows after it cannot be read; fix the quotes and import again", num, pe.StartLine, pe.Line)
		}
		s.peeked, s.peekRec, s.peekErr = true, slices.Clone(rec), err
	}
	s.n, s.endLine = num, pe.Line
	return &rawRow{num: num, reject: &domain.RowError{Row: num, Code: "import.csv", Reason: csvsep.ParseErrorReason(pe)}}, nil
}

func (s *csvSource) close() error { return nil }

// skipTo numbers a record that starts on file line first: the empty lines
// before it, which encoding/csv skips, are blank rows of the file — they
// were in no count (imported + rejected + blank fell short of the rows).
func (s *csvSource) skipTo(first int) {
	if gap := first - s.endLine - 1; gap > 0 && s.n > 0 {
		s.empty += gap
	}
	s.n += max(1, first-s.endLine)
}

// emptyLines is how many empty lines the source skipped.
func (s *csvSource) emptyLines() int { return s.empty }

// xlsxSource streams the rows of one sheet twice in step: once with raw
// cell values (so that phone numbers and dates keep full precision) and
// once as the cells' number formats show them (to tell date cells from
// numbers).
type xlsxSource struct {
	f          *excelize.File
	raw, shown *excelize.Rows
	n          int
	date1904   bool
	closed     bool
	sheet      string // the sheet read
	sheets     int    // how many the workbook has
	// merged: for each row, the positions of cells inside merged cells
	// other than the first (which holds the value), with the reason;
	// formulas: whether the sheet may hold formulas, whose cells must
	// then be looked at when empty.
	merged   map[int]map[int]string
	formulas bool
}

// worksheetsHold reports whether the XML of some worksheet held in memory
// contains mark. excelize keeps a worksheet over its UnzipXMLSizeLimit in
// a temporary file instead, which is not searched: such sheets are
// machine-written exports, not the hand-made workbooks that merge cells
// or leave formulas uncomputed.
func worksheetsHold(f *excelize.File, marks ...string) bool {
	found := false
	f.Pkg.Range(func(k, v any) bool {
		name, _ := k.(string)
		b, _ := v.([]byte)
		if !strings.HasPrefix(name, "xl/worksheets/") || !strings.HasSuffix(name, ".xml") {
			return true
		}
		for _, m := range marks {
			if bytes.Contains(b, []byte(m)) {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

// findBlanks prepares the sheet's merged cells and formula check. A
// merged range holds its value in its first cell; the others read empty,
// though whoever merged them meant the value for them too, so a row
// relying on them is rejected rather than imported with the cells empty.
func (s *xlsxSource) findBlanks() error {
	s.formulas = worksheetsHold(s.f, "<f>", "<f ")
	if !worksheetsHold(s.f, "<mergeCell ") {
		return nil
	}
	ranges, err := s.f.GetMergeCells(s.sheet, true)
	if err != nil {
		return err
	}
	s.merged = map[int]map[int]string{}
	for _, m := range ranges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil {
			continue
		}
		reason := fmt.Sprintf("is inside the merged cells %s:%s, whose value belongs to %s only; unmerge the cells and fill in each row", m.GetStartAxis(), m.GetEndAxis(), m.GetStartAxis())
		for r := r1; r <= r2 && r-r1 < 1<<20; r++ {
			for c := c1; c <= c2 && c-c1 < 1<<14; c++ {
				if r == r1 && c == c1 {
					continue
				}
				if s.merged[r] == nil {
					s.merged[r] = map[int]string{}
				}
				s.merged[r][c-1] = reason
			}
		}
	}
	return nil
}

// pickSheet chooses the sheet of cases: the one named "Cases" (as Vigie
// exports it), else the first whose row 1 names vic_TraffickingStatus,
// else the first whose row 1 names any HTCDS column, else the first sheet.
// A workbook may carry other sheets before the cases (notes, lookups, a
// copy of the instructions); a header found on no sheet is reported
// against the first.
func pickSheet(f *excelize.File, sheets []string) string {
	for _, name := range sheets {
		if strings.EqualFold(name, "Cases") {
			return name
		}
	}
	named := ""
	for _, name := range sheets {
		rows, err := f.Rows(name)
		if err != nil {
			continue
		}
		var header []string
		if rows.Next() {
			header, _ = rows.Columns()
		}
		_ = rows.Close()
		for _, cell := range header {
			ci, ok := lookupColumn(trim(cell))
			if !ok {
				continue
			}
			if ci == colTrafficking {
				return name
			}
			if named == "" {
				named = name
			}
		}
	}
	if named != "" {
		return named
	}
	return sheets[0]
}

// otherCaseSheet returns a sheet other than chosen that holds cases too:
// its row 1 names vic_TraffickingStatus, as pickSheet's choice does, and
// a row below it holds something other than column labels. Only one sheet
// is read, and the cases of another were left out without a word: a
// workbook of one sheet per year imported its first year alone. Sheets
// of notes or lookups, even headed with HTCDS names, do not count.
func otherCaseSheet(f *excelize.File, sheets []string, chosen string) string {
	for _, name := range sheets {
		if name != chosen && holdsCases(f, name) {
			return name
		}
	}
	return ""
}

func holdsCases(f *excelize.File, sheet string) bool {
	rows, err := f.Rows(sheet)
	if err != nil {
		return false
	}
	defer rows.Close()
	var header []string
	if rows.Next() {
		header, _ = rows.Columns()
	}
	if !slices.ContainsFunc(header, func(c string) bool { ci, ok := lookupColumn(trim(c)); return ok && ci == colTrafficking }) {
		return false
	}
	for n := 0; n < 100 && rows.Next(); n++ {
		row, _ := rows.Columns()
		if slices.ContainsFunc(row, func(c string) bool { return trim(c) != "" }) && !isLabelRow(header, row) {
			return true
		}
	}
	return false
}

func newXLSXSource(r io.Reader) (*xlsxSource, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: maxUnzipped})
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		return nil, domain.Wrap(domain.KindInvalid, err, "impossible de lire le fichier comme un classeur XLSX (endommagé, chiffré, pas en XLSX, ou plus de %[1]d Mio une fois décompressé) / cannot read the file as an XLSX workbook (it may be damaged, encrypted, not XLSX, or over %[1]d MiB once uncompressed)", maxUnzipped>>20)
	}
	s := &xlsxSource{f: f}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		_ = s.close()
		return nil, domain.Errorf(domain.KindInvalid, "le classeur n'a aucune feuille / the workbook has no sheet")
	}
	sheet := pickSheet(f, sheets)
	s.sheet, s.sheets = sheet, len(sheets)
	if other := otherCaseSheet(f, sheets, sheet); other != "" {
		_ = s.close()
		// A hidden sheet is not seen in Excel: say so, and where to show it.
		for _, name := range []string{sheet, other} {
			if visible, err := f.GetSheetVisible(name); err == nil && !visible {
				return nil, domain.Errorf(domain.KindInvalid, "le classeur contient des dossiers sur plus d'une feuille, dont la feuille masquée %[1]q (clic droit sur un onglet, Afficher) : gardez les dossiers sur une seule feuille / the workbook holds cases on more than one sheet, one of them the hidden sheet %[1]q (right-click a sheet tab, Unhide): keep the cases on one sheet", name)
			}
		}
		return nil, domain.Errorf(domain.KindInvalid, "le classeur contient des dossiers sur plus d'une feuille (la feuille %[1]q est lue, la feuille %[2]q serait laissée de côté) : mettez tous les dossiers sur une feuille, ou enregistrez chaque feuille comme un classeur et importez-les un par un / the workbook holds cases on more than one sheet (sheet %[1]q is read, sheet %[2]q would be left out): put every case on one sheet, or save each sheet as a workbook of its own and import each", sheet, other)
	}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		s.date1904 = *props.Date1904
	}
	if s.raw, err = f.Rows(sheet); err == nil {
		s.shown, err = f.Rows(sheet)
	}
	if err == nil {
		err = s.findBlanks()
	}
	if err != nil {
		_ = s.close()
		return nil, domain.Wrap(domain.KindInvalid, err, "cannot read the sheet %q", sheet)
	}
	return s, nil
}

func (s *xlsxSource) next() (*rawRow, error) {
	if !s.raw.Next() {
		if err := s.raw.Error(); err != nil {
			return nil, domain.Wrap(domain.KindInvalid, err, "cannot read row %d of the sheet", s.n+1)
		}
		return nil, io.EOF
	}
	s.shown.Next()
	s.n++
	cells, err := s.raw.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, domain.Wrap(domain.KindInvalid, err, "cannot read row %d of the sheet", s.n)
	}
	shown, err := s.shown.Columns()
	if err != nil {
		return nil, domain.Wrap(domain.KindInvalid, err, "cannot read row %d of the sheet", s.n)
	}
	raw := &rawRow{num: s.n, cells: cells, shown: shown, hidden: s.raw.GetRowOpts().Hidden}
	for c, cell := range cells {
		// A number cell only: a text cell "1E5" (typed, or exported by
		// Vigie) lost nothing.
		if looksScientific(cell) || longNumber(cell) {
			name, _ := excelize.CoordinatesToCellName(c+1, s.n)
			if t, err := s.f.GetCellType(s.sheet, name); err == nil && (t == excelize.CellTypeNumber || t == excelize.CellTypeUnset) {
				if raw.rounded == nil {
					raw.rounded = map[int]bool{}
				}
				raw.rounded[c] = true
			}
		}
	}
	for c, reason := range s.merged[s.n] {
		if c >= len(cells) || cells[c] == "" {
			if raw.blanks == nil {
				raw.blanks = map[int]string{}
			}
			raw.blanks[c] = reason
		}
	}
	if s.formulas {
		for c, cell := range cells {
			if cell != "" {
				continue
			}
			axis, err := excelize.CoordinatesToCellName(c+1, s.n)
			if err != nil {
				continue
			}
			if formula, err := s.f.GetCellFormula(s.sheet, axis); err == nil && formula != "" {
				if raw.blanks == nil {
					raw.blanks = map[int]string{}
				}
				raw.blanks[c] = fmt.Sprintf("holds a formula (=%s) whose result was never computed, as happens when a program other than a spreadsheet writes the file; open it in a spreadsheet and save it, or type the value", cutFormula(formula))
			}
		}
	}
	return raw, nil
}

// cutFormula shortens a formula quoted in a reject.
func cutFormula(f string) string {
	if r := []rune(f); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return f
}

func (s *xlsxSource) close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	var errs []error
	for _, r := range []*excelize.Rows{s.raw, s.shown} {
		if r != nil {
			errs = append(errs, r.Close())
		}
	}
	errs = append(errs, s.f.Close())
	return errors.Join(errs...)
}
