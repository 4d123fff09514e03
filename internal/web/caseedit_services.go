// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// serviceEntry is a support plan on the case's timeline, said plainly as
// the service it is (shelter, health, legal aid…): its type, whether it
// is still running, when it started and when it ends or ended. It sits
// on the timeline at its start.
func serviceEntry(l *i18n.Localizer, p *domain.SupportPlan) entry {
	b := &lines{l: l}
	if p.Type != "" {
		b.out = append(b.out, line{l.T("caseedit.service.type"), l.Enum(domain.SupportPlanType.Field, p.Type)})
	}
	status := "caseedit.service.running"
	if !p.ActualEndDate.IsZero() {
		status = "caseedit.service.ended"
	}
	b.out = append(b.out, line{l.T("caseedit.service.status"), l.T(status)})
	if !p.CreatedAt.IsZero() {
		b.out = append(b.out, line{l.T("caseedit.service.start"), l.Date(p.CreatedAt.UTC())})
	}
	b.date("spl_PlannedEndDate", p.PlannedEndDate)
	b.date("spl_ActualEndDate", p.ActualEndDate)
	b.text("spl_Objectives", p.Objectives)
	return entry{Kind: "caseedit.service.entry", When: p.CreatedAt, Date: l.Date(p.CreatedAt.UTC()), Lines: b.out}
}
