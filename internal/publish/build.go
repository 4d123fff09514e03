// SPDX-License-Identifier: AGPL-3.0-or-later

package publish

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"vigie/internal/domain"
)

// Rows is where the rows of a release come from (sqlstore.DB).
type Rows interface {
	ReleaseRows(ctx context.Context, from, to int, fn func(row []string) error) error
}

// CountedRows is a source that hands identical rows on once with how
// many victims have each (sqlstore.DB): a record-level release appends
// them without encoding each victim's values again.
type CountedRows interface {
	ReleaseRowCounts(ctx context.Context, from, to int, fn func(row []string, n int) error) error
}

// readCounted reads src's rows counted: through ReleaseRowCounts when src
// has it, else one row at a time, each with n = 1.
func readCounted(ctx context.Context, src Rows, from, to int, fn func(row []string, n int) error) error {
	if c, ok := src.(CountedRows); ok {
		return c.ReleaseRowCounts(ctx, from, to, fn)
	}
	return src.ReleaseRows(ctx, from, to, func(row []string) error { return fn(row, 1) })
}

// Options describe the release to make.
type Options struct {
	Kind     domain.ReleaseKind
	Title    string
	From, To int
	// Records: the k of k-anonymity (anonymize.DefaultK when 0), the
	// method (hybrid when empty) and the quasi-identifiers (CTDC names;
	// issue 6's five when empty).
	K      int
	Method string
	QIs    []string
	// Tables: how they are protected (disclosure.Config as JSON); empty
	// gives DefaultTables with cell suppression at the default threshold.
	Tables json.RawMessage
	// Stage, when set, is called as each step of a record-level release
	// ends ("read", "anonymise", "write" — the records written into the
	// ZIP, compressed —, "evaluate", "zip"), so that a
	// benchmark can split its time; it must not keep anything.
	Stage func(name string)
}

// stage reports the end of a step to opt.Stage, if any.
func (opt *Options) stage(name string) {
	if opt.Stage != nil {
		opt.Stage(name)
	}
}

// Build reads the period's rows and makes the release's file and
// manifests.
func Build(ctx context.Context, src Rows, opt Options) (*domain.NewRelease, error) {
	switch opt.Kind {
	case domain.ReleaseRecords:
		return buildRecords(ctx, src, opt)
	case domain.ReleaseTables:
		return buildTables(ctx, src, opt)
	}
	var p domain.Problems
	p.Add("kind", "validation.enum", "%q is not records or tables", opt.Kind)
	return nil, p.Err()
}

// zipTime is the time written in the file's entries: fixed, so that the
// same release gives the same bytes.
var zipTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// zipWriter writes a release's file entry by entry, so that a large
// entry (a million records) is compressed as it is written instead of
// being held whole beside its ZIP.
type zipWriter struct {
	buf bytes.Buffer
	zw  *zip.Writer
}

func newZip() *zipWriter {
	z := &zipWriter{}
	z.zw = zip.NewWriter(&z.buf)
	return z
}

// create starts the named entry; it is written until the next one.
func (z *zipWriter) create(name string) (io.Writer, error) {
	return z.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime})
}

func (z *zipWriter) add(name, content string) error {
	w, err := z.create(name)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, content)
	return err
}

// bytes ends the file and returns it.
func (z *zipWriter) bytes() ([]byte, error) {
	if err := z.zw.Close(); err != nil {
		return nil, err
	}
	return z.buf.Bytes(), nil
}

// zipFiles writes the named files, in order, into a ZIP.
func zipFiles(files [][2]string) ([]byte, error) {
	z := newZip()
	for _, f := range files {
		if err := z.add(f[0], f[1]); err != nil {
			return nil, err
		}
	}
	return z.bytes()
}

// fileName names the release's file after its kind and period.
func fileName(kind domain.ReleaseKind, from, to int) string {
	if from == to {
		return fmt.Sprintf("vigie-%s-%d.zip", kind, from)
	}
	return fmt.Sprintf("vigie-%s-%d-%d.zip", kind, from, to)
}

// readme is the plain-text notice in every file, French then English.
func readme(kind domain.ReleaseKind, from, to int, method string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Vigie — publication %s, années d'enregistrement %d à %d.\n", kind, from, to)
	fmt.Fprintf(&b, "Vigie — public release (%s), years of registration %d to %d.\n\n", kind, from, to)
	switch method {
	case "suppression":
		b.WriteString("Les cellules de moins de « threshold » personnes sont masquées (« suppressed »), ainsi que d'autres choisies pour qu'aucune ne puisse être recalculée à partir des totaux.\n")
		b.WriteString("Cells counting fewer than \"threshold\" people are hidden (\"suppressed\"), with others chosen so that none can be worked out from the totals.\n")
		b.WriteString("Les valeurs (nationalités, provinces…) de moins de « threshold » personnes sur toute la publication sont regroupées sous « (autres / other) ».\n")
		b.WriteString("Values (citizenships, provinces…) of fewer than \"threshold\" people in the whole release are pooled under \"(autres / other)\".\n")
	case "dp":
		b.WriteString("Chaque nombre porte un bruit aléatoire (confidentialité différentielle, Laplace discret) ; les totaux sont les sommes des cellules publiées.\n")
		b.WriteString("Every count carries random noise (differential privacy, discrete Laplace); totals are sums of the published cells.\n")
	default:
		b.WriteString("Chaque combinaison de quasi-identifiants est partagée par au moins k enregistrements (k-anonymat) ; « -99 » = valeur masquée ou inconnue.\n")
		b.WriteString("Every combination of quasi-identifiers is shared by at least k records (k-anonymity); \"-99\" = hidden or unknown.\n")
	}
	b.WriteString("\nmanifest.json décrit la méthode et ses paramètres. / manifest.json describes the method and its parameters.\n")
	return b.String()
}

func marshal(v any) (json.RawMessage, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "encoding a manifest")
	}
	return b, nil
}

// configProblems turns a config's errors ("epsilon: …", one a line, as
// disclosure.Config.Validate joins them) into field problems named
// prefix + the part before the colon, so that a form, a flag or a JSON
// field is named as the caller knows it ("epsilon", "tables.epsilon").
// A line without a field goes under fallback.
func configProblems(err error, prefix, fallback string) error {
	var p domain.Problems
	for _, line := range strings.Split(err.Error(), "\n") {
		field, msg, ok := strings.Cut(line, ": ")
		if !ok || strings.ContainsAny(field, " \"") {
			field, msg = fallback, line
		} else {
			field = prefix + field
		}
		p.Add(field, "validation.release_config", "%s", msg)
	}
	return p.Err()
}

// errNoVictims refuses an exact release of a period without victims.
func errNoVictims(from, to int) error {
	var p domain.Problems
	p.Add("period_from", "validation.release_empty", "no victim was registered in %d–%d: there is nothing to release", from, to)
	return p.Err()
}
