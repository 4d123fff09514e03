// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"vigie/internal/csvsep"
	"vigie/internal/domain"
	"vigie/internal/strictjson"
)

// JSONReader reads a JSON array of cases, as Writer writes it in format
// "json". It is strict: every element must be a JSON object with the
// fields of domain.Case and nothing else, and values must be the value
// names that Vigie stores (no labels). A malformed element or a case that
// fails validation is rejected with RowErrors whose Row is the element's
// index + 1 and whose Column is the field path (e.g. person.prs_Email or
// events[1].hte_Country); broken JSON syntax is a fatal error. Agency and
// source keys follow the rules of Reader; a generated key hashes the
// element's compact JSON text.
type JSONReader struct {
	dec  *json.Decoder
	lim  *elementLimit
	d    decoder
	n    int
	seen contents
	err  error // sticky: io.EOF or a fatal error
}

// NewJSONReader starts reading a JSON array of cases.
func NewJSONReader(r io.Reader, opt Options) (*JSONReader, error) {
	d, err := newDecoder(opt)
	if err != nil {
		return nil, err
	}
	// A byte order mark (Notepad's "UTF-8 with BOM") is dropped, as the
	// CSV reader and the API do: encoding/json would call the file not
	// JSON at its first byte.
	br := bufio.NewReader(r)
	if head, _ := br.Peek(len(utf8BOM)); bytes.Equal(head, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM))
	}
	// UTF-16 (what Windows PowerShell 5 writes for '>' and Out-File) was
	// "not JSON: invalid character 'ÿ' looking for beginning of value".
	head, _ := br.Peek(4)
	if bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff}) {
		return nil, domain.Errorf(domain.KindInvalid, "le fichier est en UTF-16, pas en UTF-8 : enregistrez-le en UTF-8 (PowerShell : Out-File -Encoding utf8) et importez-le à nouveau / the file is UTF-16 text, not UTF-8: save it as UTF-8 (PowerShell: Out-File -Encoding utf8) and import it again")
	}
	if what, fr := csvsep.NotTextIn(head); what != "" {
		return nil, domain.Errorf(domain.KindInvalid, "le fichier n'est pas du texte JSON (%[2]s) : enregistrez-le en UTF-8 et importez-le à nouveau / the file is %[1]s, not JSON text: save it as UTF-8 and import it again", what, fr)
	}
	lim := &elementLimit{r: br}
	dec := json.NewDecoder(lim)
	tok, err := dec.Token()
	switch {
	case err == io.EOF:
		return nil, domain.Errorf(domain.KindInvalid, "le fichier est vide : une importation JSON est un tableau de dossiers / the file is empty: a JSON import is an array of cases")
	case err != nil:
		return nil, domain.Wrap(domain.KindInvalid, err, "le fichier n'est pas du JSON / the file is not JSON: %s", jsonReason(err))
	case tok != json.Delim('['):
		return nil, domain.Errorf(domain.KindInvalid, "une importation JSON est un tableau de dossiers ; ce fichier commence autrement / a JSON import is an array of cases; this file starts with something else")
	}
	return &JSONReader{dec: dec, lim: lim, d: d, seen: newContents()}, nil
}

// MaxElementBytes bounds one element of a JSON import: a case with every
// part and long texts stays far below it, and encoding/json holds an
// element whole in memory while decoding it.
const MaxElementBytes = 16 << 20

// elementLimit fails once more than MaxElementBytes are read for one
// element. Reads are cut to 64 KiB, so what the decoder reads while
// decoding one element is that element and at most 64 KiB more.
type elementLimit struct {
	r io.Reader
	n int // bytes read since the current element began
}

var errElementTooLong = fmt.Errorf("longer than %d bytes", MaxElementBytes)

func (l *elementLimit) Read(p []byte) (int, error) {
	if l.n > MaxElementBytes {
		return 0, errElementTooLong
	}
	n, err := l.r.Read(p[:min(len(p), 64<<10)])
	l.n += n
	return n, err
}

// Next returns the next case, or the reasons why its element was rejected
// (then the Record is nil), or io.EOF after the last element.
func (jr *JSONReader) Next() (*Record, []domain.RowError, error) {
	if jr.err != nil {
		return nil, nil, jr.err
	}
	if !jr.dec.More() {
		jr.err = io.EOF
		if _, err := jr.dec.Token(); err != nil { // the closing bracket
			// Not wrapped: the cause may be io.EOF, which callers
			// would take for a normal end.
			jr.err = domain.Errorf(domain.KindInvalid, "le tableau JSON n'est pas fermé / the JSON array is not closed: %s", jsonReason(err))
		} else if _, err := jr.dec.Token(); err != io.EOF {
			jr.err = domain.Errorf(domain.KindInvalid, "il y a des données après le tableau JSON / there is data after the JSON array")
		}
		return nil, nil, jr.err
	}
	jr.n++
	jr.lim.n = 0
	var raw json.RawMessage
	if err := jr.dec.Decode(&raw); errors.Is(err, errElementTooLong) {
		jr.err = domain.Wrap(domain.KindInvalid, err, "l'élément %[1]d du tableau JSON dépasse %[2]d octets : le fichier est endommagé ou n'est pas un export de dossiers ; les éléments précédents ont été lus / element %[1]d of the JSON array is longer than %[2]d bytes: the file is damaged or not an export of cases; the elements before it were read", jr.n, MaxElementBytes)
		return nil, nil, jr.err
	} else if err != nil {
		jr.err = domain.Wrap(domain.KindInvalid, err, "l'élément %[1]d du tableau JSON est mal formé / element %[1]d of the JSON array is malformed: %[2]s", jr.n, jsonReason(err))
		return nil, nil, jr.err
	}
	c, errs := jr.decode(raw)
	if len(errs) > 0 {
		return nil, errs, nil
	}
	return &Record{Row: jr.n, Case: c}, nil, nil
}

func (jr *JSONReader) rowError(column, value, code, reason string) domain.RowError {
	return domain.RowError{Row: jr.n, Column: column, Value: errorValue(value), Code: code, Reason: reason}
}

func (jr *JSONReader) decode(raw json.RawMessage) (*domain.Case, []domain.RowError) {
	if t := bytes.TrimLeft(raw, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil, []domain.RowError{jr.rowError("", string(raw), "validation.json", "is not a JSON object")}
	}
	c := &domain.Case{}
	if err := strictjson.Decode(raw, c); err != nil {
		var te *strictjson.TypeErrors
		if errors.As(err, &te) {
			// Values of the wrong type: the rest of the element is
			// checked too, so that its reject lists every mistake.
			c.Normalize(jr.d.today)
			err = strictjson.WithRules(te, c.Validate(jr.d.today))
		}
		fields := domain.FieldErrors(err)
		if len(fields) == 0 {
			return nil, []domain.RowError{jr.rowError("", "", "validation.json", domain.SafeMessage(err))}
		}
		errs := make([]domain.RowError, len(fields))
		for i, fe := range fields {
			errs[i] = jr.rowError(fe.Field, domain.ValueAt(raw, fe.Field), fe.Code, fe.Message)
		}
		return nil, errs
	}
	var errs []domain.RowError
	for _, field := range nilParts(c) {
		errs = append(errs, jr.rowError(field, "null", "validation.json", "is null instead of an object"))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	for _, f := range []struct{ field, v string }{{"id", c.ID}, {"case_number", c.Number}, {"situation_id", c.SituationID}, {"agency", c.Agency}} {
		if reason := tokenProblem(f.v); reason != "" {
			errs = append(errs, jr.rowError(f.field, f.v, "validation.identifier", reason))
		}
	}
	if c.Agency == "" {
		c.Agency = jr.d.opt.Agency
	}
	if c.Agency != "" && !domain.ValidAgencyCode(c.Agency) {
		errs = append(errs, jr.rowError("agency", c.Agency, "validation.agency_code", fmt.Sprintf("%q is not an agency code (2 to 10 capital letters or digits, e.g. KIN)", c.Agency)))
	}
	// A key is read without surrounding spaces, as a CSV or XLSX cell is:
	// "sk " and "sk" were two cases in JSON and one in the export of them.
	c.SourceKey, c.ID = strings.TrimSpace(c.SourceKey), strings.TrimSpace(c.ID)
	generated, n, first := "", 0, 0
	switch {
	case c.SourceKey != "":
	case c.ID != "":
		c.SourceKey = idKey(jr.d.opt.Source, c.ID)
	default:
		sum := sha256.Sum256(compactJSON(raw))
		n, first = jr.seen.count(sum, jr.n)
		c.SourceKey = jr.d.opt.Source + ":" + hex.EncodeToString(sum[:8]) + ":" + strconv.Itoa(n)
		generated = c.SourceKey
	}
	c.Normalize(jr.d.today)
	for _, fe := range domain.FieldErrors(c.Validate(jr.d.today)) {
		errs = append(errs, jr.rowError(fe.Field, domain.ValueAt(raw, fe.Field), fe.Code, fe.Message))
	}
	// As in a CSV row: the key is the element's even when it is rejected.
	if earlier, dup := jr.d.keys.duplicate(c, generated, jr.n); dup {
		errs = append(errs, duplicateKeyError(c, jr.n, earlier))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if n > 1 {
		jr.seen.repeat(jr.n, first)
	}
	return c, nil
}

// Repeats lists the elements imported as cases of their own that are
// those of an earlier element (at most maxRepeats, numbered as rows are),
// and how many more there were (see Reader.Repeats).
func (jr *JSONReader) Repeats() ([]Repeat, int) { return jr.seen.repeats.items, jr.seen.repeats.more }

// nilParts finds null items in a case's lists, which validation cannot
// look into, and returns their paths (events[2]).
func nilParts(c *domain.Case) []string {
	var out []string
	check := func(list string, n int, isNil func(int) bool) {
		for i := range n {
			if isNil(i) {
				out = append(out, fmt.Sprintf("%s[%d]", list, i))
			}
		}
	}
	check("events", len(c.Events), func(i int) bool { return c.Events[i] == nil })
	check("support_plans", len(c.SupportPlans), func(i int) bool { return c.SupportPlans[i] == nil })
	check("consents", len(c.Consents), func(i int) bool { return c.Consents[i] == nil })
	check("comments", len(c.Comments), func(i int) bool { return c.Comments[i] == nil })
	check("referrals", len(c.Referrals), func(i int) bool { return c.Referrals[i] == nil })
	check("perpetrators", len(c.Perpetrators), func(i int) bool { return c.Perpetrators[i] == nil })
	return out
}
