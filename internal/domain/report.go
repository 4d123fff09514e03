// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"context"
	"regexp"
	"time"
)

// ReportVersion is a locked report: every figure of a period and scope as
// it stood when it was locked (version 1) or when a later version was
// issued with a reason. Later changes to the cases do not change it.
type ReportVersion struct {
	ID        string    `json:"id"`
	Period    string    `json:"period"` // "2026" or "2024-2026"
	Scope     string    `json:"scope"`  // "" the whole country, else an agency code
	Version   int       `json:"version"`
	Figures   []byte    `json:"-"` // the report as JSON
	Reason    string    `json:"reason,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

var reportPeriodPattern = regexp.MustCompile(`^\d{4}(-\d{4})?$`)

// Validate checks a version before it is stored: a new version after the
// first needs a reason.
func (v *ReportVersion) Validate() error {
	var p Problems
	if !reportPeriodPattern.MatchString(v.Period) {
		p.Add("period", "validation.period", "%q is not a year or a span of years such as 2024-2026", truncate(v.Period, 40))
	}
	if v.Scope != "" && !ValidAgencyCode(v.Scope) {
		p.Add("agency", "validation.agency_code", "%q is not an agency code", truncate(v.Scope, 40))
	}
	if v.Version > 1 && v.Reason == "" {
		p.Add("reason", "validation.required", "is required for a new version of a locked report")
	}
	checkText(&p, "reason", v.Reason, MaxLongText)
	if len(v.Figures) == 0 {
		p.Add("figures", "validation.required", "is required")
	}
	return p.Err()
}

// ReportStore keeps the locked versions of reports. Writes carry the actor
// in the context and are audited.
type ReportStore interface {
	// LockReport stores v as version after+1 of its period and scope:
	// after is 0 to lock (a conflict if already locked), else the latest
	// version the issuer saw (a conflict if another was issued since).
	LockReport(ctx context.Context, v *ReportVersion, after int) error
	// ReportVersions lists the versions of a period and scope, oldest
	// first, with their figures.
	ReportVersions(ctx context.Context, period, scope string) ([]*ReportVersion, error)
}
