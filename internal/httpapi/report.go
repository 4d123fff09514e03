// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"net/http"
	"reflect"
	"time"

	"vigie/internal/domain"
	"vigie/internal/i18n"
	"vigie/internal/report"
)

// The annual report (/api/v1/report): its figures (locked or live, with
// the changes since the lock), its files, its locked versions, and the
// de-identified cases behind a figure.
func init() {
	addArea([]route{
		{"GET", "/api/v1/report", signedIn, (*api).getReport},
		{"GET", "/api/v1/report/file", signedIn, (*api).reportFile},
		{"GET", "/api/v1/report/versions", signedIn, (*api).reportVersions},
		{"POST", "/api/v1/report/versions", signedIn, (*api).lockReport},
		{"GET", "/api/v1/report/cases", signedIn, (*api).reportCases},
	}, map[string]operation{
		"GET /api/v1/report":          {"The annual report of a period (?year=, ?to= for several years) for the whole country or one agency: the latest locked version if the period is locked (with the figures changed since), else the live figures. Exact figures, not a public release", "", map[int]string{200: "ReportView", 403: "Problem", 422: "Problem"}, reportParams},
		"GET /api/v1/report/file":     {"The annual report as a file: ?format=xlsx, csv, html or pdf, ?lang=fr or en, ?version= for a locked version", "", map[int]string{200: "", 403: "Problem", 404: "Problem", 422: "Problem"}, reportFileParams},
		"GET /api/v1/report/versions": {"The locked versions of a period's report, oldest first", "", map[int]string{200: "ReportVersionList", 403: "Problem", 422: "Problem"}, reportParams},
		"POST /api/v1/report/versions": {"Lock a period's report (after = 0) or issue a new version with a reason (after = the latest version you saw)", "ReportLock",
			map[int]string{201: "ReportVersion", 403: "Problem", 409: "Problem", 422: "Problem"}, nil},
		"GET /api/v1/report/cases": {"The de-identified cases behind one figure of a victims' table (table, row and col keys, * for a total), by page", "", map[int]string{200: "StatsCasePage", 403: "Problem", 422: "Problem"}, reportCasesParams},
	})
	schemaTypes["ReportView"] = reflect.TypeFor[report.View]()
	schemaTypes["ReportVersion"] = reflect.TypeFor[domain.ReportVersion]()
	schemaTypes["ReportVersionList"] = reflect.TypeFor[reportVersionList]()
	schemaTypes["ReportLock"] = reflect.TypeFor[reportLock]()
	schemaTypes["StatsCasePage"] = reflect.TypeFor[domain.StatsCasePage]()
}

var (
	reportParams      = []string{"year", "to", "agency"}
	reportFileParams  = []string{"year", "to", "agency", "format", "lang", "version"}
	reportCasesParams = []string{"year", "to", "agency", "table", "row", "col", "cursor", "limit"}
)

type reportVersionList struct {
	Items []*domain.ReportVersion `json:"items"`
}

// reportLock is the body that locks a report or issues a new version.
type reportLock struct {
	Year   int    `json:"year"`
	To     int    `json:"to,omitempty"`
	Agency string `json:"agency,omitempty"`
	Reason string `json:"reason,omitempty"`
	After  int    `json:"after"`
}

func (a *api) reports() (*report.Service, error) {
	if s, ok := a.Agencies.(report.Store); ok {
		return report.NewService(s), nil
	}
	return nil, domain.Errorf(domain.KindInternal, "no store for the report")
}

// reportQuery reads the period and the scope, checked against the
// principal's reach.
func reportQuery(r *http.Request, known []string, act domain.Action) (*queryParams, report.Period, string, error) {
	qp := readQuery(r.URL.Query(), known)
	p := report.Period{From: qp.integer("year"), To: qp.integer("to")}
	if qp.str("year") == "" {
		qp.p.Add("year", "validation.required", "is required (the report's year)")
	}
	if p.To == 0 {
		p.To = p.From
	}
	if err := qp.p.Err(); err != nil {
		return qp, p, "", err
	}
	if err := p.Validate(); err != nil {
		return qp, p, "", err
	}
	agency, err := report.Scope(principal(r), act, qp.str("agency"))
	return qp, p, agency, err
}

func (a *api) getReport(w http.ResponseWriter, r *http.Request) error {
	_, p, agency, err := reportQuery(r, reportParams, domain.ActRead)
	if err != nil {
		return err
	}
	s, err := a.reports()
	if err != nil {
		return err
	}
	v, err := s.View(r.Context(), p, agency)
	if err != nil {
		return err
	}
	if v.Versions == nil {
		v.Versions = []*domain.ReportVersion{}
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (a *api) reportFile(w http.ResponseWriter, r *http.Request) error {
	qp, p, agency, err := reportQuery(r, reportFileParams, domain.ActRead)
	if err != nil {
		return err
	}
	format, lang := qp.str("format"), i18n.FR
	if l, ok := i18n.Parse(qp.str("lang")); ok {
		lang = l
	} else if qp.str("lang") != "" {
		qp.p.Add("lang", "validation.enum", "is fr or en")
	}
	ext, ok := report.Formats[format]
	if !ok {
		qp.p.Add("format", "validation.enum", "is xlsx, csv, html or pdf")
	}
	version := qp.integer("version")
	if err := qp.p.Err(); err != nil {
		return err
	}
	s, err := a.reports()
	if err != nil {
		return err
	}
	var rep *report.Report
	if version > 0 {
		rep, _, err = s.Version(r.Context(), p, agency, version)
	} else {
		var v *report.View
		v, err = s.View(r.Context(), p, agency)
		if v != nil {
			rep = v.Report
		}
	}
	if err != nil {
		return err
	}
	name := report.FileName(rep, version, lang) + ext.Ext
	w.Header().Set("Content-Type", ext.Type)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	return report.Write(w, format, i18n.For(lang), rep, time.Now().UTC().Format("2006-01-02"))
}

func (a *api) reportVersions(w http.ResponseWriter, r *http.Request) error {
	_, p, agency, err := reportQuery(r, reportParams, domain.ActRead)
	if err != nil {
		return err
	}
	s, err := a.reports()
	if err != nil {
		return err
	}
	list, err := s.Store.ReportVersions(r.Context(), p.String(), agency)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*domain.ReportVersion{}
	}
	writeJSON(w, http.StatusOK, reportVersionList{list})
	return nil
}

func (a *api) lockReport(w http.ResponseWriter, r *http.Request) error {
	var body reportLock
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	act := domain.ActCreate
	if body.After > 0 {
		act = domain.ActUpdate
	}
	agency, err := report.Scope(principal(r), act, body.Agency)
	if err != nil {
		return err
	}
	p := report.Period{From: body.Year, To: body.To}
	if p.To == 0 {
		p.To = p.From
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if body.After < 0 {
		return fieldError("after", "validation.range", "is 0 (lock) or the latest version")
	}
	s, err := a.reports()
	if err != nil {
		return err
	}
	v, err := s.Lock(r.Context(), p, agency, body.Reason, body.After)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, v)
	return nil
}

func (a *api) reportCases(w http.ResponseWriter, r *http.Request) error {
	qp, p, agency, err := reportQuery(r, reportCasesParams, domain.ActRead)
	if err != nil {
		return err
	}
	if !report.CanDrill(principal(r), agency) {
		return domain.Errorf(domain.KindForbidden, "votre rôle ne permet pas de lister ces dossiers / your role may not list these cases")
	}
	limit := qp.integer("limit")
	if qp.str("limit") != "" && (limit < 1 || limit > domain.MaxPageSize) {
		qp.p.Add("limit", "validation.range", "must be between 1 and %d", domain.MaxPageSize)
	}
	row, col := qp.str("row"), qp.str("col")
	if !qp.q.Has("row") {
		row = report.All
	}
	if !qp.q.Has("col") {
		col = report.All
	}
	if err := qp.p.Err(); err != nil {
		return err
	}
	f, err := report.CellFilter(p, agency, qp.str("table"), row, col)
	if err != nil {
		return err
	}
	st, ok := a.Agencies.(domain.StatsService)
	if !ok {
		return domain.Errorf(domain.KindInternal, "no store for the statistics")
	}
	page, err := st.StatsCases(r.Context(), f, qp.str("cursor"), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}
