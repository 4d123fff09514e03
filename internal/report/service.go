// SPDX-License-Identifier: AGPL-3.0-or-later

package report

import (
	"context"

	"vigie/internal/domain"
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
