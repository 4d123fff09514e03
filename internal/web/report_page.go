// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"vigie/internal/domain"
	"vigie/internal/i18n"
	"vigie/internal/report"
)

type reportSection struct {
	Title  string
	Tables template.HTML
}

type reportChange struct {
	Table, Row, Col string
	Old, New        int64
}

type reportData struct {
	Year, To          int
	Agency            string // the scope's agency, "" national
	Agencies          []option
	AgencyFixed       bool // an agency role: its own agency only
	Query             string
	Sections          []reportSection
	View              *report.View
	Latest            *domain.ReportVersion
	Changes           []reportChange
	MoreChanges       int
	CanLock, CanDrill bool
	Locked            bool
	Problem           string // message ID of a refusal
	Formats           []string
}

// reportPeriod reads ?year= and ?to= (this year by default).
func reportPeriod(q url.Values, now time.Time) (report.Period, error) {
	p := report.Period{From: now.Year()}
	var probs domain.Problems
	if v := strings.TrimSpace(q.Get("year")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			probs.Add("year", "validation.integer", "not a year")
		}
		p.From = n
	}
	p.To = p.From
	if v := strings.TrimSpace(q.Get("to")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			probs.Add("to", "validation.integer", "not a year")
		}
		p.To = n
	}
	if err := probs.Err(); err != nil {
		return p, err
	}
	return p, p.Validate()
}

// reportQuery is the query string of a report's period and scope.
func reportQuery(p report.Period, agency string) url.Values {
	q := url.Values{"year": {strconv.Itoa(p.From)}}
	if p.To != p.From {
		q.Set("to", strconv.Itoa(p.To))
	}
	if agency != "" {
		q.Set("agency", agency)
	}
	return q
}

// reportPage is GET /report: the report of a period (the latest locked
// version when locked, with the figures changed since), its files, and
// for those who may, locking; each victims' figure links to its cases
// when the reader may list them.
func (s *site) reportPage(w http.ResponseWriter, r *http.Request) {
	vis := visitorFrom(r).p
	if !s.allowed(w, r, domain.ResReport, domain.ActRead) {
		return
	}
	q := r.URL.Query()
	p, err := reportPeriod(q, time.Now())
	agency := ""
	if err == nil {
		agency, err = report.Scope(vis, domain.ActRead, strings.TrimSpace(q.Get("agency")))
	}
	if domain.KindOf(err) == domain.KindForbidden {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	status, problem := http.StatusOK, ""
	if err != nil {
		status, problem = http.StatusUnprocessableEntity, "report.page.invalid"
		p = report.Period{From: time.Now().Year(), To: time.Now().Year()}
		agency, _ = report.Scope(vis, domain.ActRead, "")
	}
	s.renderReport(w, r, p, agency, status, problem)
}

// renderReport shows the report of a period and scope the visitor may
// read, with a problem (a message ID) when the request was refused.
func (s *site) renderReport(w http.ResponseWriter, r *http.Request, p report.Period, agency string, status int, problem string) {
	vis := visitorFrom(r).p
	q := r.URL.Query()
	svc, serr := s.reports()
	if serr != nil {
		s.fail(w, r, serr)
		return
	}
	v, verr := svc.View(r.Context(), p, agency)
	if verr != nil {
		s.fail(w, r, verr)
		return
	}
	l := i18n.For(langOf(r))
	d := reportData{Year: p.From, To: p.To, Agency: agency, View: v, Problem: problem, Locked: q.Get("locked") != "",
		AgencyFixed: vis.Allowed(domain.ResReport, domain.ActRead) != domain.ScopeAll,
		CanDrill:    report.CanDrill(vis, agency), Formats: []string{"xlsx", "csv", "html", "pdf"}}
	d.Query = reportQuery(p, agency).Encode()
	act := domain.ActCreate
	if v.Locked {
		act = domain.ActUpdate
		d.Latest = v.Versions[len(v.Versions)-1]
	}
	if _, err := report.Scope(vis, act, agency); err == nil {
		d.CanLock = true
	}
	if !d.AgencyFixed {
		list, err := s.Agencies.Agencies(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, a := range list {
			d.Agencies = append(d.Agencies, option{a.Code, a.Code + " — " + a.Name})
		}
	}
	link := reportLinker(vis, p, agency, d.CanDrill)
	for _, sec := range report.Sections {
		h, err := report.Tables(l, v.Report, sec, link)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Sections = append(d.Sections, reportSection{l.T("report.section." + sec), h})
	}
	d.Changes, d.MoreChanges = changeLines(l, v)
	s.render(w, r, status, "report", "report.page.title", d)
}

// changeLines names the figures changed since the lock (the first 200).
func changeLines(l *i18n.Localizer, v *report.View) ([]reportChange, int) {
	const most = 200
	var out []reportChange
	for i, c := range v.Changes {
		if i == most {
			return out, len(v.Changes) - most
		}
		parts := strings.SplitN(c.Key, "|", 3)
		if len(parts) != 3 {
			continue
		}
		t := v.Live.Table(parts[0])
		if t == nil {
			t = v.Report.Table(parts[0])
		}
		if t == nil {
			continue
		}
		out = append(out, reportChange{Table: t.Title(l), Row: keyLabel(l, t.RowKeys, t.Rows, parts[1]),
			Col: keyLabel(l, t.ColKeys, t.Cols, parts[2]), Old: c.Old, New: c.New})
	}
	return out, 0
}

func keyLabel(l *i18n.Localizer, keys []string, labels []report.Label, k string) string {
	if k == report.All {
		return l.T("report.total")
	}
	for i, x := range keys {
		if x == k {
			return labels[i].String(l)
		}
	}
	return k
}

// reportFile is GET /report/file: the report (or a locked version) as
// XLSX, CSV, HTML or PDF in the page's language.
func (s *site) reportFile(w http.ResponseWriter, r *http.Request) {
	vis := visitorFrom(r).p
	if !s.allowed(w, r, domain.ResReport, domain.ActRead) {
		return
	}
	q := r.URL.Query()
	p, err := reportPeriod(q, time.Now())
	agency := ""
	if err == nil {
		agency, err = report.Scope(vis, domain.ActRead, strings.TrimSpace(q.Get("agency")))
	}
	format := q.Get("format")
	ext, ok := report.Formats[format]
	version, verr := 0, error(nil)
	if v := q.Get("version"); v != "" {
		version, verr = strconv.Atoi(v)
	}
	if err != nil || !ok || verr != nil || version < 0 {
		if domain.KindOf(err) == domain.KindForbidden {
			s.errorPage(w, r, http.StatusForbidden)
			return
		}
		s.errorPage(w, r, http.StatusUnprocessableEntity)
		return
	}
	svc, err := s.reports()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var rep *report.Report
	if version > 0 {
		rep, _, err = svc.Version(r.Context(), p, agency, version)
	} else {
		var v *report.View
		if v, err = svc.View(r.Context(), p, agency); err == nil {
			rep = v.Report
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b strings.Builder
	lang := langOf(r)
	if err := report.Write(&b, format, i18n.For(lang), rep, time.Now().UTC().Format("2006-01-02")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ext.Type)
	w.Header().Set("Content-Disposition", `attachment; filename="`+report.FileName(rep, version, lang)+ext.Ext+`"`)
	_, _ = w.Write([]byte(b.String()))
}

// lockReport is POST /report/lock: lock the period, or issue a new
// version with a reason at the version shown.
func (s *site) lockReport(w http.ResponseWriter, r *http.Request) {
	vis := visitorFrom(r).p
	p, err := reportPeriod(r.PostForm, time.Now())
	after, aerr := strconv.Atoi(r.PostFormValue("after"))
	if err != nil || aerr != nil || after < 0 {
		s.errorPage(w, r, http.StatusUnprocessableEntity)
		return
	}
	act := domain.ActCreate
	if after > 0 {
		act = domain.ActUpdate
	}
	agency, err := report.Scope(vis, act, strings.TrimSpace(r.PostFormValue("agency")))
	if err != nil {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	svc, err := s.reports()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := svc.Lock(r.Context(), p, agency, strings.TrimSpace(r.PostFormValue("reason")), after); err != nil {
		// The page again, saying why: the figures shown are those the
		// next attempt will lock.
		switch domain.KindOf(err) {
		case domain.KindInvalid:
			s.renderReport(w, r, p, agency, http.StatusUnprocessableEntity, "report.page.reason_required")
		case domain.KindConflict:
			s.renderReport(w, r, p, agency, http.StatusConflict, "report.page.stale")
		default:
			s.fail(w, r, err)
		}
		return
	}
	q := reportQuery(p, agency)
	q.Set("locked", "1")
	http.Redirect(w, r, "/report?"+q.Encode(), http.StatusSeeOther)
}

// reportLinker links each figure to the records behind it, for a reader
// who may list them: a victims' figure to its cases; the people reached
// by awareness work to the activities of that province or type; the
// officials trained to the sessions of that ministry or province (the
// training figures are national, the awareness ones follow the scope).
func reportLinker(vis *domain.Principal, p report.Period, agency string, drill bool) report.Linker {
	period := url.Values{"from": {strconv.Itoa(p.From) + "-01-01"}, "to": {strconv.Itoa(p.To) + "-12-31"}}
	list := func(path, key, value string) string {
		q := url.Values{}
		for k, v := range period {
			q[k] = v
		}
		if value != report.All && value != "" {
			q.Set(key, value)
		}
		return path + "?" + q.Encode()
	}
	awareness := vis.Allowed(domain.ResAwareness, domain.ActList)
	// The activities page shows an agency role its agency's, a national
	// reader everyone's: it matches the report unless a national reader
	// looks at one agency's report.
	awarenessOK := awareness == domain.ScopeAgency || awareness == domain.ScopeAll && agency == ""
	trainingOK := vis.Allowed(domain.ResTraining, domain.ActList) != domain.ScopeNone
	return func(t *report.Table, row, col string) string {
		switch {
		case t.Drill && drill:
			q := reportQuery(p, agency)
			q.Set("table", t.ID)
			q.Set("row", row)
			q.Set("col", col)
			return "/report/cases?" + q.Encode()
		case t.ID == "awareness_province" && awarenessOK:
			return list("/awareness", "province", row)
		case (t.ID == "awareness_type" || t.ID == "awareness_activities") && awarenessOK:
			return list("/awareness", "type", row)
		case t.ID == "training_province_sex" && trainingOK:
			return list("/training", "province", row)
		case t.ID == "training_ministry_sex" && trainingOK:
			return list("/training", "ministry", row)
		}
		return ""
	}
}
