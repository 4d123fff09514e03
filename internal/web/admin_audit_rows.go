// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// auditRow is an audit entry in the page's language.
type auditRow struct {
	Seq                          int64
	At                           string
	Actor, ActorAgency           string
	Action, Resource, CaseNumber string
	Outcome, Addr                string
	Denied                       bool
	// Shown lists the field groups a read showed; Detail the rest of
	// the entry's detail (names and counts only, as the log holds).
	Shown  []string
	Detail []string
}

// messageIDs is the set of the catalogs' IDs, to label a value when a
// label exists and show the value itself otherwise (an action or
// resource added later is still readable).
var messageIDs = func() map[string]bool {
	m := map[string]bool{}
	for _, id := range i18n.IDs() {
		m[id] = true
	}
	return m
}()

func label(l *i18n.Localizer, prefix, v string) string {
	if v == "" || !messageIDs[prefix+v] {
		return v
	}
	return l.T(prefix + v)
}

func newAuditRow(l *i18n.Localizer, e *domain.AuditEntry) auditRow {
	row := auditRow{Seq: e.Seq, At: l.DateTime(e.At, nil), Actor: e.Actor, ActorAgency: e.ActorAgency,
		Action: label(l, "audit.action.", e.Action), Resource: label(l, "resource.", e.Resource), CaseNumber: e.CaseNumber,
		Outcome: label(l, "audit.outcome.", e.Outcome), Addr: e.Addr, Denied: e.Outcome != "ok"}
	keys := make([]string, 0, len(e.Detail))
	for k := range e.Detail {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := e.Detail[k]
		if k == "shown" {
			if list, ok := v.([]any); ok {
				for _, x := range list {
					row.Shown = append(row.Shown, label(l, "resource.", fmt.Sprint(x)))
				}
				continue
			}
		}
		row.Detail = append(row.Detail, detailLine(l, e.Action, k, v))
	}
	return row
}

// detailValue writes a detail's value compactly: lists joined by commas.
func detailValue(v any) string {
	if list, ok := v.([]any); ok {
		out := make([]string, len(list))
		for i, x := range list {
			out[i] = fmt.Sprint(x)
		}
		return strings.Join(out, ", ")
	}
	return fmt.Sprint(v)
}

// grantRow is a break-the-glass grant on one of the agency's cases.
type grantRow struct {
	User, Case, Reason string
	At, Until          string
}

// grants lists the break-the-glass grants on the agency's cases since
// a time (of one case when caseID is set), naming who opened them.
func (s *site) grants(r *http.Request, agencyID, caseID string, since time.Time) ([]grantRow, error) {
	list, err := s.Grants.BreakGlassGrants(r.Context(), agencyID, since)
	if err != nil {
		return nil, err
	}
	l := i18n.For(langOf(r))
	var out []grantRow
	for _, g := range list {
		if caseID != "" && g.CaseID != caseID {
			continue
		}
		row := grantRow{User: g.UserID, Reason: g.Reason, At: l.DateTime(g.CreatedAt, nil), Until: l.DateTime(g.ExpiresAt, nil)}
		if u, ag, err := s.Users.UserByID(r.Context(), g.UserID); err == nil {
			row.User = u.Email + " (" + ag.Code + ")"
		}
		// CaseAccess gives the number without opening the case.
		if _, number, err := s.Access.CaseAccess(r.Context(), g.CaseID, g.UserID); err == nil {
			row.Case = number
		}
		out = append(out, row)
	}
	return out, nil
}
