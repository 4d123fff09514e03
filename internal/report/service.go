// SPDX-License-Identifier: AGPL-3.0-or-later

package report

import (
	"context"
	"io"
	"strconv"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// Service builds reports and keeps their locked versions.
type Service struct {
	Src   Sources
	Store domain.ReportStore
}

// View is what a reader sees of a period: the report (the latest locked
// version when the period is locked, else the live figures), the live
// figures, the versions and the figures changed since the latest one.
type View struct {
	Report   *Report                 `json:"report"`
	Live     *Report                 `json:"-"`
	Locked   bool                    `json:"locked"`
	Versions []*domain.ReportVersion `json:"versions"`
	Changes  []Change                `json:"changes"`
}

// Latest is the number of the latest locked version (0 when unlocked).
func (v *View) Latest() int {
	if len(v.Versions) == 0 {
		return 0
	}
	return v.Versions[len(v.Versions)-1].Version
}

// View builds the live report and compares it with the latest locked
// version, if any.
func (s *Service) View(ctx context.Context, p Period, agency string) (*View, error) {
	live, err := Build(ctx, s.Src, p, agency)
	if err != nil {
		return nil, err
	}
	vs, err := s.Store.ReportVersions(ctx, p.String(), agency)
	if err != nil {
		return nil, err
	}
	v := &View{Report: live, Live: live, Versions: vs, Changes: []Change{}}
	if len(vs) > 0 {
		locked, err := Decode(vs[len(vs)-1].Figures)
		if err != nil {
			return nil, err
		}
		v.Report, v.Locked = locked, true
		if c := Diff(locked, live); c != nil {
			v.Changes = c
		}
	}
	return v, nil
}

// Version returns one locked version's report.
func (s *Service) Version(ctx context.Context, p Period, agency string, n int) (*Report, *domain.ReportVersion, error) {
	vs, err := s.Store.ReportVersions(ctx, p.String(), agency)
	if err != nil {
		return nil, nil, err
	}
	for _, v := range vs {
		if v.Version == n {
			r, err := Decode(v.Figures)
			return r, v, err
		}
	}
	return nil, nil, domain.Errorf(domain.KindNotFound, "the report %s has no version %d", p, n)
}

// Lock snapshots the live figures as the next version: after is 0 to lock
// the period, else the latest version the issuer saw (then a reason is
// required).
func (s *Service) Lock(ctx context.Context, p Period, agency, reason string, after int) (*domain.ReportVersion, error) {
	live, err := Build(ctx, s.Src, p, agency)
	if err != nil {
		return nil, err
	}
	b, err := live.Encode()
	if err != nil {
		return nil, err
	}
	v := &domain.ReportVersion{Period: p.String(), Scope: agency, Figures: b, Reason: reason}
	if err := s.Store.LockReport(ctx, v, after); err != nil {
		return nil, err
	}
	return v, nil
}

// Store is everything the report reads and writes: the one store
// (sqlstore.DB) implements it.
type Store interface {
	domain.CubeService
	domain.ReportStore
	JusticeFigures(ctx context.Context, f domain.FiguresFilter) (*domain.JusticeFigures, error)
	TrainingSummary(ctx context.Context, from, to domain.Date) (*domain.TrainingSummary, error)
	AwarenessSummary(ctx context.Context, f domain.AwarenessFilter) (*domain.AwarenessSummary, error)
}

// NewService is the report service over the store.
func NewService(s Store) *Service {
	return &Service{Src: Sources{Cube: s, Justice: s.JusticeFigures, Training: s.TrainingSummary, Awareness: s.AwarenessSummary}, Store: s}
}

// Scope checks that the principal may act on the report of agency ("" the
// whole country) and returns the agency the report covers: a role that
// reaches its own agency only gets its own agency's report, and asking
// for another's is forbidden.
func Scope(p *domain.Principal, act domain.Action, agency string) (string, error) {
	switch p.Allowed(domain.ResReport, act) {
	case domain.ScopeAll:
		return agency, nil
	case domain.ScopeAgency:
		if agency != "" && agency != p.Agency {
			return "", domain.Errorf(domain.KindForbidden, "votre rôle ne permet de voir que le rapport de votre agence / your role reaches your agency's report only (%s)", p.Agency)
		}
		return p.Agency, nil
	}
	return "", domain.Errorf(domain.KindForbidden, "votre rôle ne permet pas cette action / your role may not %s the report", act)
}

// CanDrill reports whether the principal may list the cases behind the
// figures of a report of agency ("" the country): listing cases needs
// the case list permission over the whole scope.
func CanDrill(p *domain.Principal, agency string) bool {
	s := p.Allowed(domain.ResCase, domain.ActList)
	return s == domain.ScopeAll || s == domain.ScopeAgency && agency != "" && agency == p.Agency
}

// Format is a file format of the report.
type Format struct{ Ext, Type string }

// Formats are the report's file formats by name.
var Formats = map[string]Format{
	"xlsx": {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	"csv":  {".csv", "text/csv; charset=utf-8"},
	"html": {".html", "text/html; charset=utf-8"},
	"pdf":  {".pdf", "application/pdf"},
}

// Write writes the report in a format ("xlsx", "csv", "html" or "pdf").
func Write(w io.Writer, format string, l *i18n.Localizer, r *Report, generated string) error {
	switch format {
	case "xlsx":
		return WriteXLSX(w, l, r)
	case "csv":
		return WriteCSV(w, l, r)
	case "html":
		return WriteHTML(w, l, r, generated)
	case "pdf":
		return WritePDF(w, l, r, generated)
	}
	return domain.Errorf(domain.KindInvalid, "unknown format %q: use xlsx, csv, html or pdf", format)
}

// FileName is a file name for the report, without extension:
// "rapport-2026-national-fr", "report-2026-KIN-v2-en".
func FileName(r *Report, version int, lang i18n.Lang) string {
	name := "rapport-"
	if lang == i18n.EN {
		name = "report-"
	}
	name += r.Period.String() + "-"
	if r.Agency == "" {
		name += "national"
	} else {
		name += r.Agency
	}
	if version > 0 {
		name += "-v" + strconv.Itoa(version)
	}
	return name + "-" + string(lang)
}
