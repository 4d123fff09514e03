// SPDX-License-Identifier: AGPL-3.0-or-later

package report

import (
	"bytes"
	"html/template"
	"io"
	"strconv"
	"strings"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// Linker gives the address of the records behind a figure ("" for none:
// the reader may not list them, or the table has no list behind it).
type Linker func(t *Table, row, col string) string

// htmlTable is one table ready for the template.
type htmlTable struct {
	ID, Title, Heading, Note string
	Cols                     []string
	Rows                     []htmlRow
	Total                    *htmlRow
	HasTotalCol              bool
}

type htmlRow struct {
	Label string
	Cells []htmlCell
}

type htmlCell struct {
	Text, Href, Label string
}

var tablesTmpl = template.Must(template.New("tables").Parse(`{{range .}}<section class="report-table" id="t-{{.ID}}">
<table>
<caption>{{.Title}}</caption>
<thead><tr><th scope="col">{{.Heading}}</th>{{range .Cols}}<th scope="col">{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr><th scope="row">{{.Label}}</th>{{range .Cells}}<td>{{if .Href}}<a href="{{.Href}}" aria-label="{{.Label}}">{{.Text}}</a>{{else}}{{.Text}}{{end}}</td>{{end}}</tr>
{{end}}{{with .Total}}<tr class="total"><th scope="row">{{.Label}}</th>{{range .Cells}}<td>{{if .Href}}<a href="{{.Href}}" aria-label="{{.Label}}">{{.Text}}</a>{{else}}{{.Text}}{{end}}</td>{{end}}</tr>{{end}}</tbody>
</table>
{{with .Note}}<p class="hint">{{.}}</p>{{end}}
</section>
{{end}}`))

// Tables renders the report's tables (not the detail ones) as HTML tables
// with a caption, headings for screen readers, totals, and each figure
// linked to the cases behind it when link gives an address.
func Tables(l *i18n.Localizer, r *Report, section string, link Linker) (template.HTML, error) {
	var list []htmlTable
	total := l.T("report.total")
	for _, t := range r.Tables {
		if t.Detail || section != "" && t.Section != section {
			continue
		}
		h := htmlTable{ID: t.ID, Title: t.Title(l), Heading: l.T(t.RowDim) + " \\ " + l.T(t.ColDim), HasTotalCol: len(t.Cols) > 1}
		for _, c := range t.Cols {
			h.Cols = append(h.Cols, c.String(l))
		}
		if h.HasTotalCol {
			h.Cols = append(h.Cols, total)
		}
		cell := func(n int64, row, col, rowLabel, colLabel string) htmlCell {
			c := htmlCell{Text: l.Number(n)}
			if link != nil {
				if c.Href = link(t, row, col); c.Href != "" {
					c.Label = l.T("report.drill_label", map[string]any{"N": l.Number(n), "Row": rowLabel, "Col": colLabel})
				}
			}
			return c
		}
		for i, rk := range t.RowKeys {
			label := t.Rows[i].String(l)
			row := htmlRow{Label: label}
			for j, ck := range t.ColKeys {
				row.Cells = append(row.Cells, cell(t.Cells[i][j], rk, ck, label, h.Cols[j]))
			}
			if h.HasTotalCol {
				row.Cells = append(row.Cells, cell(t.RowTotals[i], rk, All, label, total))
			}
			h.Rows = append(h.Rows, row)
		}
		if t.ColTotals != nil {
			row := htmlRow{Label: total}
			for j, ck := range t.ColKeys {
				row.Cells = append(row.Cells, cell(t.ColTotals[j], All, ck, total, h.Cols[j]))
			}
			if h.HasTotalCol {
				row.Cells = append(row.Cells, cell(t.Total, All, All, total, total))
			}
			h.Total = &row
		}
		var notes []string
		if t.Overlap {
			notes = append(notes, l.T("report.overlap_note"))
		}
		if t.Note != "" {
			notes = append(notes, l.T(t.Note))
		}
		h.Note = strings.Join(notes, " ")
		list = append(list, h)
	}
	var b bytes.Buffer
	if err := tablesTmpl.Execute(&b, list); err != nil {
		return "", domain.Wrap(domain.KindInternal, err, "rendering the report")
	}
	return template.HTML(b.String()), nil // #nosec: html/template output
}

var docTmpl = template.Must(template.New("doc").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body{font:11pt/1.4 system-ui,sans-serif;margin:1.5cm;color:#111}
table{border-collapse:collapse;margin:0 0 .5em;width:100%}
caption{font-weight:bold;text-align:left;padding:.3em 0}
th,td{border:1px solid #999;padding:.2em .5em}td{text-align:right}
thead th{background:#eee}tr.total{font-weight:bold}
section.report-table{break-inside:avoid;margin-bottom:1.2em}
.hint{font-size:9pt;color:#333}
@page{size:A4 landscape;margin:1.2cm}
</style></head>
<body>
<h1>{{.Title}}</h1>
<p>{{.Scope}} · {{.Generated}}</p>
<p class="hint">{{.Note}}</p>
{{range .Sections}}<h2>{{.Title}}</h2>
{{.Tables}}{{end}}
</body></html>
`))

// Sections are the report's sections in order.
var Sections = []string{"victims", "justice", "training", "awareness"}

// WriteHTML writes the report as a printable, self-contained page (no
// links: a file leaves the server).
func WriteHTML(w io.Writer, l *i18n.Localizer, r *Report, generated string) error {
	type sec struct {
		Title  string
		Tables template.HTML
	}
	data := struct {
		Lang, Title, Scope, Generated, Note string
		Sections                            []sec
	}{Lang: string(l.Lang()), Title: l.T("report.title") + " " + r.Period.String(), Scope: r.Scope(l),
		Generated: generated, Note: l.T("report.exact_note")}
	for _, s := range Sections {
		h, err := Tables(l, r, s, nil)
		if err != nil {
			return err
		}
		data.Sections = append(data.Sections, sec{l.T("report.section." + s), h})
	}
	if err := docTmpl.Execute(w, data); err != nil {
		return domain.Wrap(domain.KindInternal, err, "writing the report")
	}
	return nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
