// SPDX-License-Identifier: AGPL-3.0-or-later

// Package training reads participant lists of training sessions (CSV and
// XLSX, headers in French or English) and writes certificates as PDF.
package training

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"vigie/internal/csvsep"
	"vigie/internal/domain"
)

// Limits of a participant list: a session trains tens of people, a big
// list a few hundred.
const (
	MaxFileBytes = 4 << 20
	MaxRows      = 5000
	maxUnzipped  = 64 << 20
	maxColumns   = 40
)

// columns maps each field to the headers that name it, normalised (lower
// case, no accents, letters and digits only).
var columns = map[string][]string{
	"first_name":        {"firstname", "prenom", "prenoms", "givenname"},
	"last_name":         {"lastname", "nom", "surname", "familyname", "nomdefamille", "postnom"},
	"sex":               {"sex", "sexe", "gender", "genre"},
	"ministry":          {"ministry", "ministere", "agency", "organisme", "institution", "agencyorministry", "organismeouministere", "service"},
	"function":          {"function", "fonction", "position", "poste"},
	"province":          {"province"},
	"phone":             {"phone", "telephone", "tel", "mobile"},
	"email":             {"email", "mail", "courriel", "adresseemail"},
	"role":              {"role"},
	"attended":          {"attended", "present", "presence", "presente"},
	"pre_score":         {"prescore", "pretest", "scorepretest", "pretestscore", "notepretest"},
	"post_score":        {"postscore", "posttest", "scoreposttest", "posttestscore", "noteposttest"},
	"certified":         {"certified", "certifie", "certifiee", "certificat"},
	"certified_trainer": {"certifiedtrainer", "certifiedastrainer", "certifieformateur", "certifiecommeformateur", "formateurcertifie"},
	"trainee_id":        {"traineeid", "id", "identifiant", "personid"},
}

var headerField = func() map[string]string {
	m := map[string]string{}
	for f, hs := range columns {
		for _, h := range hs {
			m[h] = f
		}
	}
	return m
}()

var accents = strings.NewReplacer("é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "â", "a", "ï", "i", "î", "i", "ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ç", "c", "œ", "oe")

// normHeader turns "Pré-test (score)" into "pretestscore".
func normHeader(h string) string {
	h = accents.Replace(strings.ToLower(strings.TrimSpace(h)))
	var b strings.Builder
	for _, r := range h {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Row is one participant read from a file, with its row number.
type Row struct {
	Line int
	*domain.NewTraineeAttendance
}

// Parse reads a participant list. name (the file's name) and the first
// bytes tell XLSX from CSV. A file that cannot be read at all is an
// error; rows that break a rule are returned as RowErrors (row numbers
// count the header as row 1), and the caller must then import nothing.
func Parse(r io.Reader, name string) ([]Row, []domain.RowError, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, nil, domain.Wrap(domain.KindInvalid, err, "cannot read the file")
	}
	if len(b) > MaxFileBytes {
		return nil, nil, domain.Errorf(domain.KindTooLarge, "the file is over %d MiB", MaxFileBytes>>20)
	}
	var records []record
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) || strings.HasSuffix(strings.ToLower(name), ".xlsx") {
		records, err = readXLSX(b)
	} else {
		records, err = readCSV(b)
	}
	if err != nil {
		return nil, nil, err
	}
	return parseRecords(records)
}

// record is a row of the file and its number (counting from 1).
type record struct {
	line  int
	cells []string
}

func readCSV(b []byte) ([]record, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	b, err := csvText(b)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.Comma = csvsep.Guess(b) // from the first line
	cr.FieldsPerRecord = -1
	var out []record
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return nil, domain.Wrap(domain.KindInvalid, err, "the file is not valid CSV (row %d): check its quotes", line)
		}
		if len(out) > MaxRows {
			return nil, domain.Errorf(domain.KindTooLarge, "the file has more than %d rows", MaxRows)
		}
		line, _ := cr.FieldPos(0)
		out = append(out, record{line, rec})
	}
}

func readXLSX(b []byte) ([]record, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped / 4})
	if err != nil {
		return nil, domain.Wrap(domain.KindInvalid, err, "cannot read the file as an XLSX workbook (damaged, encrypted, or not XLSX)")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, domain.Errorf(domain.KindInvalid, "the workbook has no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, domain.Wrap(domain.KindInvalid, err, "cannot read the first sheet")
	}
	defer rows.Close()
	var out []record
	for rows.Next() {
		if len(out) > MaxRows {
			return nil, domain.Errorf(domain.KindTooLarge, "the sheet has more than %d rows", MaxRows)
		}
		cells, err := rows.Columns()
		if err != nil {
			return nil, domain.Wrap(domain.KindInvalid, err, "cannot read row %d of the sheet", len(out)+1)
		}
		if len(cells) > maxColumns {
			cells = cells[:maxColumns]
		}
		out = append(out, record{len(out) + 1, cells})
	}
	if err := rows.Error(); err != nil {
		return nil, domain.Wrap(domain.KindInvalid, err, "cannot read the sheet")
	}
	return out, nil
}

// csvText returns the file as UTF-8. French Excel's « CSV (séparateur :
// point-virgule) » is written in Windows-1252, not UTF-8: refusing it
// would send every such user back to re-save the file, so a file that
// is not valid UTF-8 is read as Windows-1252 (a UTF-8 file with accents
// is always valid UTF-8, so the two cannot be mistaken for each other
// but in a damaged file). A file with NUL bytes, or with bytes that
// Windows-1252 leaves undefined, is neither: binary, or another
// encoding, refused.
func csvText(b []byte) ([]byte, error) {
	notText := &domain.Error{Kind: domain.KindInvalid, Message: "invalid data", Fields: []domain.FieldError{{Field: "file", Code: "validation.invalid_utf8",
		Message: "the file is not text in UTF-8 or Windows-1252; save it as « CSV UTF-8 » or XLSX"}}}
	if bytes.IndexByte(b, 0) >= 0 {
		return nil, notText
	}
	if utf8.Valid(b) {
		return b, nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return nil, notText
	}
	for _, r := range string(out) {
		if r >= 0x80 && r <= 0x9f { // a byte Windows-1252 leaves undefined
			return nil, notText
		}
	}
	return out, nil
}

// header maps the file's columns to fields, or says what is wrong with
// the header row.
func header(rec []string) ([]string, []domain.RowError) {
	var errs []domain.RowError
	fields := make([]string, len(rec))
	seen := map[string]bool{}
	for i, h := range rec {
		if strings.TrimSpace(h) == "" {
			continue
		}
		f, ok := headerField[normHeader(h)]
		switch {
		case !ok:
			errs = append(errs, domain.RowError{Row: 1, Column: clip(h), Value: clip(h), Code: "import.unknown_column", Reason: "unknown column; see the list of accepted headers"})
		case seen[f]:
			errs = append(errs, domain.RowError{Row: 1, Column: clip(h), Value: clip(h), Code: "import.duplicate_column", Reason: "this column appears twice"})
		default:
			seen[f], fields[i] = true, f
		}
	}
	if !seen["trainee_id"] {
		for _, f := range []string{"first_name", "last_name", "sex", "ministry"} {
			if !seen[f] {
				errs = append(errs, domain.RowError{Row: 1, Column: f, Code: "import.missing_column", Reason: "the column " + f + " is required"})
			}
		}
	}
	return fields, errs
}

func parseRecords(records []record) ([]Row, []domain.RowError, error) {
	if len(records) == 0 {
		return nil, nil, domain.Errorf(domain.KindInvalid, "the file is empty")
	}
	fields, errs := header(records[0].cells)
	for i := range errs {
		errs[i].Row = records[0].line
	}
	if len(errs) > 0 {
		return nil, errs, nil
	}
	names := records[0].cells
	var out []Row
	for _, r := range records[1:] {
		line, rec := r.line, r.cells
		if blank(rec) {
			continue
		}
		v := map[string]string{}
		col := map[string]string{}
		for j, cell := range rec {
			if j < len(fields) && fields[j] != "" {
				v[fields[j]], col[fields[j]] = strings.TrimSpace(cell), names[j]
			} else if strings.TrimSpace(cell) != "" {
				errs = append(errs, domain.RowError{Row: line, Column: strconv.Itoa(j + 1), Value: clip(cell), Code: "import.unnamed_column", Reason: "a value in a column without header"})
			}
		}
		n, rowErrs := parseRow(v)
		for _, fe := range rowErrs {
			c := col[fe.Field]
			if c == "" {
				c = fe.Field
			}
			errs = append(errs, domain.RowError{Row: line, Column: clip(c), Value: clip(v[fe.Field]), Code: fe.Code, Reason: fe.Message})
		}
		if len(rowErrs) == 0 {
			out = append(out, Row{Line: line, NewTraineeAttendance: n})
		}
	}
	if len(out) == 0 && len(errs) == 0 {
		return nil, nil, domain.Errorf(domain.KindInvalid, "the file lists no participant")
	}
	return out, errs, nil
}

// parseRow turns one row's values (by field) into a participant.
func parseRow(v map[string]string) (*domain.NewTraineeAttendance, []domain.FieldError) {
	var p domain.Problems
	n := &domain.NewTraineeAttendance{TraineeID: v["trainee_id"]}
	n.FirstName, n.LastName, n.Ministry, n.Function = v["first_name"], v["last_name"], v["ministry"], v["function"]
	n.Phone, n.Email = v["phone"], v["email"]
	n.Sex = pick(&p, "sex", domain.TrainingSex, v["sex"])
	n.Province = pick(&p, "province", domain.Province, v["province"])
	a := &n.Attendance
	a.Role = pick(&p, "role", domain.TrainingRole, v["role"])
	if a.Role == "" {
		a.Role = "Participant"
	}
	a.Attended = boolean(&p, "attended", v["attended"], true)
	a.Certified = boolean(&p, "certified", v["certified"], false)
	a.CertifiedTrainer = boolean(&p, "certified_trainer", v["certified_trainer"], false)
	a.PreScore = scoreOf(&p, "pre_score", v["pre_score"])
	a.PostScore = scoreOf(&p, "post_score", v["post_score"])
	if len(p) > 0 {
		return nil, p
	}
	if n.TraineeID == "" {
		if err := n.Trainee.Validate(); err != nil {
			p = append(p, domain.FieldErrors(err)...)
		}
	}
	if err := a.Validate(); err != nil {
		p = append(p, domain.FieldErrors(err)...)
	}
	return n, p
}

func pick(p *domain.Problems, field string, e *domain.Enum, v string) string {
	if v == "" {
		return ""
	}
	s, ok := e.Normalize(v)
	if !ok {
		p.Add(field, "validation.enum", "%q is not one of: %s", clip(v), strings.Join(e.Values, ", "))
	}
	return s
}

func boolean(p *domain.Problems, field, v string, dflt bool) bool {
	switch strings.ToLower(v) {
	case "":
		return dflt
	case "oui", "yes", "true", "vrai", "1", "x", "o", "y":
		return true
	case "non", "no", "false", "faux", "0", "n":
		return false
	}
	p.Add(field, "validation.boolean", "%q is not yes or no", clip(v))
	return false
}

func scoreOf(p *domain.Problems, field, v string) *int {
	if v == "" {
		return nil
	}
	s := strings.TrimSpace(strings.TrimSuffix(v, "%"))
	s = strings.TrimSuffix(strings.TrimSuffix(s, ",0"), ".0")
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > domain.MaxScore {
		p.Add(field, "validation.training_score", "%q is not a score between 0 and 100", clip(v))
		return nil
	}
	return &n
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// clip shortens a value quoted in an error.
func clip(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) <= 60 {
		return s
	}
	r := []rune(s)
	return string(r[:60]) + "…"
}

// StoreRejects turns the store's field errors of an import (fields named
// "rows.I.field", I indexing rows) into rejected rows.
func StoreRejects(rows []Row, fes []domain.FieldError) []domain.RowError {
	out := make([]domain.RowError, 0, len(fes))
	for _, fe := range fes {
		rest, _ := strings.CutPrefix(fe.Field, "rows.")
		idx, field, _ := strings.Cut(rest, ".")
		i, err := strconv.Atoi(idx)
		line := 0
		if err == nil && i >= 0 && i < len(rows) {
			line = rows[i].Line
		}
		if field == "" {
			field = "trainee_id"
		}
		out = append(out, domain.RowError{Row: line, Column: field, Code: fe.Code, Reason: fe.Message})
	}
	return out
}
