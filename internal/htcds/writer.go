// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"vigie/internal/domain"
)

// SheetName is the sheet of an XLSX export.
const SheetName = "Cases"

// Writer exports cases as CSV, XLSX or JSON.
//
// CSV has one header row of column names and LF line ends. XLSX has one
// sheet "Cases" with the column names in row 1 (hidden, as in the IOM
// templates), the English labels in row 2 and the cases from row 3;
// numbers and checkboxes are typed cells, dates are YYYY-MM-DD text. JSON
// is an array of domain.Case exactly as encoding/json writes it, one case
// per line. Nothing is complete until Close returns nil.
type Writer struct {
	format string
	n      int // cases written
	closed bool

	out  *bufio.Writer // json
	csv  *csv.Writer
	w    io.Writer // xlsx: the destination
	file *excelize.File
	sw   *excelize.StreamWriter
	// text is the style of XLSX cells that begin as a formula would
	// (+243…, =…, -…): Excel's Text format, under which an edit of the
	// cell keeps it text. A quote written into the cell, as in CSV, was
	// a visible apostrophe before every phone number.
	text int
}

// Excel's limits: characters in a cell (UTF-16 units) and rows in a sheet.
const (
	maxCellChars = excelize.TotalCellChars
	maxSheetRows = excelize.TotalRows
)

// NewWriter starts an export in format "csv", "xlsx" or "json".
func NewWriter(w io.Writer, format string) (*Writer, error) {
	wr := &Writer{format: strings.ToLower(strings.TrimPrefix(format, "."))}
	switch wr.format {
	case "csv":
		wr.csv = csv.NewWriter(w)
		names := make([]string, len(columns))
		for i, c := range columns {
			names[i] = c.Name
		}
		if err := wr.csv.Write(names); err != nil {
			return nil, domain.Wrap(domain.KindInternal, err, "cannot write the export")
		}
	case "xlsx":
		if err := wr.startXLSX(w); err != nil {
			return nil, err
		}
	case "json":
		wr.out = bufio.NewWriter(w)
		if _, err := wr.out.WriteString("["); err != nil {
			return nil, domain.Wrap(domain.KindInternal, err, "cannot write the export")
		}
	default:
		return nil, domain.Errorf(domain.KindInvalid, "unknown export format %q: use csv, xlsx or json", format)
	}
	return wr, nil
}

func (wr *Writer) startXLSX(w io.Writer) error {
	f := excelize.NewFile()
	fail := func(err error) error {
		_ = f.Close()
		return domain.Wrap(domain.KindInternal, err, "cannot start the XLSX export")
	}
	if err := f.SetSheetName(f.GetSheetName(0), SheetName); err != nil {
		return fail(err)
	}
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		return fail(err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fail(err)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return fail(err)
	}
	if err := sw.SetColWidth(1, len(columns), 18); err != nil {
		return fail(err)
	}
	names := make([]any, len(columns))
	labels := make([]any, len(columns))
	for i, c := range columns {
		names[i], labels[i] = c.Name, c.Label
	}
	if err := sw.SetRow("A1", names, excelize.RowOpts{Hidden: true}); err != nil {
		return fail(err)
	}
	if err := sw.SetRow("A2", labels, excelize.RowOpts{StyleID: bold}); err != nil {
		return fail(err)
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@"
	if err != nil {
		return fail(err)
	}
	wr.w, wr.file, wr.sw, wr.text = w, f, sw, text
	return nil
}

// Write exports one case. An error for one case (a cell too long for
// XLSX, say) leaves the writer usable for the next.
func (wr *Writer) Write(c *domain.Case) error {
	if wr.closed {
		return domain.Errorf(domain.KindInternal, "htcds: Write after Close")
	}
	if c == nil {
		return domain.Errorf(domain.KindInternal, "htcds: Write of a nil case")
	}
	if wr.format == "json" {
		return wr.writeJSON(c)
	}
	f, err := flatten(c)
	if err != nil {
		return err
	}
	switch wr.format {
	case "csv":
		cells := make([]string, len(columns))
		for i := range columns {
			cells[i] = quoteCell(encodeCell(columns[i].field(f)))
		}
		if err := wr.csv.Write(cells); err != nil {
			return domain.Wrap(domain.KindInternal, err, "cannot write the export")
		}
	case "xlsx":
		if wr.n+3 > maxSheetRows {
			return domain.Errorf(domain.KindTooLarge, "an XLSX sheet holds at most %d cases; export as CSV or JSON", maxSheetRows-2)
		}
		cells := make([]any, len(columns))
		for i := range columns {
			v := typedCell(columns[i].field(f))
			if s, ok := v.(string); ok {
				if reason := xlsxProblem(s); reason != "" {
					return domain.Errorf(domain.KindInvalid, "case %s, column %s: %s", caseRef(c, wr.n), columns[i].Name, reason)
				}
				if needsQuote(s) {
					// A leading quote of the value's own, before a
					// character the import unquotes, is doubled: the
					// import removes one quote there (and only there).
					if s != unquoteCell(s) {
						s = "'" + s
					}
					v = excelize.Cell{StyleID: wr.text, Value: s}
				}
			}
			cells[i] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, wr.n+3)
		if err := wr.sw.SetRow(cell, cells); err != nil {
			return domain.Wrap(domain.KindInternal, err, "cannot write the export")
		}
	}
	wr.n++
	return nil
}

func (wr *Writer) writeJSON(c *domain.Case) error {
	b, err := json.Marshal(c)
	if err != nil {
		return domain.Wrap(domain.KindInvalid, err, "case %s cannot be encoded as JSON", caseRef(c, wr.n))
	}
	sep := ",\n"
	if wr.n == 0 {
		sep = "\n"
	}
	if _, err := wr.out.WriteString(sep); err != nil {
		return domain.Wrap(domain.KindInternal, err, "cannot write the export")
	}
	if _, err := wr.out.Write(b); err != nil {
		return domain.Wrap(domain.KindInternal, err, "cannot write the export")
	}
	wr.n++
	return nil
}

// caseRef names a case in an error without personal data.
func caseRef(c *domain.Case, n int) string {
	switch {
	case c.Number != "":
		return c.Number
	case c.ID != "":
		return c.ID
	}
	return "#" + strconv.Itoa(n+1)
}

// xlsxProblem says why a text cannot go into an XLSX cell unchanged:
// Excel truncates cells over 32,767 characters and XML cannot carry
// invalid UTF-8 or most control characters.
func xlsxProblem(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8 text"
	}
	units := 0
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xfffe || r == 0xffff {
			return "contains a control character that XLSX cannot hold; export as CSV or JSON"
		}
		units++
		if r > 0xffff {
			units++
		}
	}
	if units > maxCellChars {
		return "is longer than the 32,767 characters an XLSX cell holds; export as CSV or JSON"
	}
	return ""
}

// Close completes the export. It is safe to call more than once.
func (wr *Writer) Close() error {
	if wr.closed {
		return nil
	}
	wr.closed = true
	switch wr.format {
	case "csv":
		wr.csv.Flush()
		if err := wr.csv.Error(); err != nil {
			return domain.Wrap(domain.KindInternal, err, "cannot write the export")
		}
	case "xlsx":
		defer wr.file.Close()
		if err := wr.sw.Flush(); err != nil {
			return domain.Wrap(domain.KindInternal, err, "cannot write the export")
		}
		if err := wr.file.Write(wr.w); err != nil {
			return domain.Wrap(domain.KindInternal, err, "cannot write the export")
		}
	case "json":
		end := "\n]\n"
		if wr.n == 0 {
			end = "]\n"
		}
		if _, err := wr.out.WriteString(end); err != nil {
			return domain.Wrap(domain.KindInternal, err, "cannot write the export")
		}
		if err := wr.out.Flush(); err != nil {
			return domain.Wrap(domain.KindInternal, err, "cannot write the export")
		}
	}
	return nil
}
