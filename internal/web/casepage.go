// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strconv"
	"strings"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// line is one labelled value of the case page, already in the page's
// language: the label is a catalog message, an enum value its label.
type line struct {
	Label, Text string
}

type caseData struct {
	Case *domain.Case
	// Identity is false when the role may not see the victim's identity:
	// the page says the data is hidden rather than showing empty fields.
	Identity bool
	Person   []line
	Victim   []line
	Timeline []entry
	// Work is the workflow block (casework_case.go).
	Work *caseWork
	// Edit is the block of the edit pages (caseedit_case.go).
	Edit *caseEdit
	// AuditTrail links to the case's audit trail (canAuditCase).
	AuditTrail bool
	// Suspects are the suspects linked to the case (suspect_links.go).
	Suspects *caseSuspects
	// JusticeSummary links to the status of the case's criminal
	// proceedings (justice_steps.go), for the roles that read it.
	JusticeSummary bool
}

// casePage is GET /cases/{ref}, read-only: checked and audited exactly as
// the API's GET /api/v1/cases/{ref}.
func (s *site) casePage(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	acc, number, err := s.reachCase(r, ref)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.Cases.Case(r.Context(), acc.CaseID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	kept := visitorFrom(r).p.Redact(c, acc)
	if err := s.auditCaseRead(r, acc, number, kept); err != nil {
		s.fail(w, r, err)
		return
	}
	l := i18n.For(langOf(r))
	capacity, err := s.referralCapacity(r, l, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := caseData{Case: c, Person: personLines(l, &c.Person), Victim: victimLines(l, &c.Victim), Timeline: timeline(l, c, capacity)}
	for _, k := range kept {
		d.Identity = d.Identity || k == domain.ResIdentity
	}
	d.AuditTrail = canAuditCase(visitorFrom(r).p, acc)
	d.JusticeSummary = visitorFrom(r).p.Can(domain.ResJusticeSummary, domain.ActRead, acc)
	d.Edit = s.caseEditBlock(r, l, c, acc)
	if d.Work, err = s.caseWork(r, l, c, acc, &d.Timeline); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Suspects, err = s.caseSuspectsBlock(r, c, acc); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "case", "case.title", d)
}

// lines collects the non-empty values of a section.
type lines struct {
	l   *i18n.Localizer
	out []line
}

func (b *lines) text(field, v string) {
	if v = strings.TrimSpace(v); v != "" {
		b.out = append(b.out, line{b.l.T("field." + field), v})
	}
}

func (b *lines) enum(e *domain.Enum, v string) {
	if v != "" {
		b.text(e.Field, b.l.Enum(e.Field, v))
	}
}

func (b *lines) enums(e *domain.Enum, vs []string) {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, b.l.Enum(e.Field, v))
	}
	b.text(e.Field, strings.Join(out, ", "))
}

func (b *lines) date(field string, d domain.Date) {
	if !d.IsZero() && !d.Malformed() {
		b.text(field, b.l.Date(d.Time()))
	}
}

func personLines(l *i18n.Localizer, p *domain.Person) []line {
	b := &lines{l: l}
	b.text("prs_FirstName", p.FirstName)
	b.text("prs_MiddleName", p.MiddleName)
	b.text("prs_SecondName", p.SecondName)
	b.date("prs_Birthdate", p.Birthdate)
	b.enum(domain.Gender, p.Gender)
	b.text("prs_Citizenship", strings.Join(p.Citizenship, ", "))
	b.text("prs_IdentityNumber", p.IdentityNumber)
	b.text("prs_MobilePhone", p.MobilePhone)
	b.text("prs_Email", p.Email)
	b.text("prs_MailingCity", p.MailingCity)
	morePerson(b, p) // caseedit_lines.go
	return b.out
}

func victimLines(l *i18n.Localizer, v *domain.Victim) []line {
	b := &lines{l: l}
	b.enum(domain.TraffickingStatus, v.TraffickingStatus)
	b.enum(domain.DecisionMakingOrg, v.TraffickingStatusDecisionOrg)
	b.date("vig_TraffickingStatusDate", v.TraffickingStatusDate)
	b.enums(domain.TypeOfExploitation, v.TypeOfExploitation)
	b.enums(domain.MethodOfRecruitment, v.MethodOfRecruitment)
	b.enums(domain.MethodsOfControl, v.MethodsOfControl)
	b.text("vic_LocationOfRecruitment", v.LocationOfRecruitment)
	b.text("vic_LocationOfExploitation", v.LocationOfExploitation)
	if v.AgeWhenTrafficked != nil {
		b.text("vic_AgeWhenTrafficked", strconv.Itoa(*v.AgeWhenTrafficked))
	}
	b.enum(domain.AgeBand, v.AgeBand)
	moreVictim(b, v) // caseedit_lines.go
	return b.out
}
