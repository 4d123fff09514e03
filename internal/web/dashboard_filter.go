// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"vigie/internal/domain"
)

// month is a calendar month; the zero month is "not given".
type month struct{ y, m int }

func (m month) zero() bool          { return m.y == 0 }
func (m month) String() string      { return fmt.Sprintf("%04d-%02d", m.y, m.m) }
func (m month) next() month         { return month{m.y + (m.m / 12), m.m%12 + 1} }
func (m month) before(o month) bool { return m.y < o.y || (m.y == o.y && m.m < o.m) }
func (m month) first() domain.Date  { return domain.NewDate(m.y, time.Month(m.m), 1) }
func (m month) last() domain.Date {
	return domain.DateOf(time.Date(m.y, time.Month(m.m)+1, 0, 0, 0, 0, 0, time.UTC))
}
func monthsBetween(a, b month) int         { return (b.y-a.y)*12 + b.m - a.m + 1 }
func parseMonthKey(s string) (month, bool) { return parseMonth(s, 1) }

// parseMonth reads "2026-03", or "2026" alone, which stands for January
// (defaultMonth 1) or December (12) of that year: a year typed in "from"
// starts it, in "to" ends it.
func parseMonth(s string, defaultMonth int) (month, bool) {
	ys, ms, hasMonth := strings.Cut(strings.TrimSpace(s), "-")
	if len(ys) != 4 || (hasMonth && len(ms) != 2) {
		return month{}, false
	}
	y, err := strconv.Atoi(ys)
	if err != nil || y < domain.MinRegistrationYear || y > 9999 {
		return month{}, false
	}
	m := defaultMonth
	if hasMonth {
		if m, err = strconv.Atoi(ms); err != nil || m < 1 || m > 12 {
			return month{}, false
		}
	}
	return month{y, m}, true
}

// dashFilter is the dashboard's filter form, as typed, and what it means.
type dashFilter struct {
	From, To, Agency, Province string
	from, to                   month
	// Invalid names the first field whose value was refused ("" when
	// all are valid); the page then shows everything, and says so.
	Invalid string
}

// parseDashFilter reads the query. An agency-scoped reader (a
// supervisor) is held to their agency whatever the query says.
func parseDashFilter(q url.Values, p *domain.Principal, scope domain.Scope) dashFilter {
	f := dashFilter{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")),
		Agency: strings.TrimSpace(q.Get("agency")), Province: strings.TrimSpace(q.Get("province"))}
	if scope != domain.ScopeAll {
		f.Agency = p.Agency
	}
	f.Invalid = f.check()
	if f.Invalid != "" {
		agency := ""
		if scope != domain.ScopeAll {
			agency = p.Agency
		}
		return dashFilter{From: f.From, To: f.To, Agency: agency, Province: f.Province, Invalid: f.Invalid}
	}
	return f
}

// check parses the fields and returns the first refused ("" if none).
func (f *dashFilter) check() string {
	var ok bool
	if f.From != "" {
		if f.from, ok = parseMonth(f.From, 1); !ok {
			return "from"
		}
	}
	if f.To != "" {
		if f.to, ok = parseMonth(f.To, 12); !ok {
			return "to"
		}
	}
	if !f.from.zero() && !f.to.zero() && f.to.before(f.from) {
		return "to"
	}
	// A period that starts or ends within a year is asked month by
	// month: both ends are needed then, at most MaxStatsValues months.
	if f.partial() {
		switch {
		case f.from.zero():
			return "from"
		case f.to.zero():
			return "to"
		case monthsBetween(f.from, f.to) > domain.MaxStatsValues:
			return "from"
		}
	}
	if f.Agency != "" && !domain.ValidAgencyCode(f.Agency) {
		return "agency"
	}
	if f.Province != "" && !domain.ValidProvince(f.Province) {
		return "province"
	}
	return ""
}

// partial reports whether the period starts or ends within a year.
func (f *dashFilter) partial() bool {
	return !f.from.zero() && f.from.m != 1 || !f.to.zero() && f.to.m != 12
}

// stats is the filter of the shared stats query: identified victims of
// the period's years, narrowed to its months when it starts or ends
// within a year (a case whose month is unknown then falls out, as it
// cannot be placed in the period).
func (f dashFilter) stats() domain.StatsFilter {
	sf := domain.StatsFilter{Victims: true, Agency: f.Agency, YearFrom: f.from.y, YearTo: f.to.y}
	if f.Invalid == "" {
		sf.Province = f.Province
	}
	if !f.partial() {
		return sf
	}
	var ms []string
	for m := f.from; !f.to.before(m); m = m.next() {
		ms = append(ms, m.String())
	}
	sf.In = map[domain.StatsDim][]string{domain.StatsMonth: ms}
	return sf
}

// dates is the period as days, for the figures counted by date
// (training, awareness, justice); zero ends are open.
func (f dashFilter) dates() (from, to domain.Date) {
	if !f.from.zero() {
		from = f.from.first()
	}
	if !f.to.zero() {
		to = f.to.last()
	}
	return from, to
}
