// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strconv"

	"vigie/internal/domain"
)

// section is one page of the case's own fields beyond the main edit
// form: each covers one field group of the permission table, so that a
// role is offered exactly the groups it may change.
type section struct {
	name   string // URL segment, and caseedit.section.<name> title
	res    domain.Resource
	fields editor[domain.Case]
}

func person(f func(*domain.Person) *string) func(*domain.Case) *string {
	return func(c *domain.Case) *string { return f(&c.Person) }
}

var sections = []section{
	{name: "identity", res: domain.ResIdentity, fields: editor[domain.Case]{
		fText("prs_Salutation", domain.MaxShortText, person(func(p *domain.Person) *string { return &p.Salutation })),
		fText("prs_Title", domain.MaxShortText, person(func(p *domain.Person) *string { return &p.Title })),
		fCountries("prs_Citizenship", func(c *domain.Case) *[]string { return &c.Person.Citizenship }),
		fText("prs_IdentityNumber", domain.MaxShortText, person(func(p *domain.Person) *string { return &p.IdentityNumber })),
		fYesNo("prs_Deceased", func(c *domain.Case) **bool { return &c.Person.Deceased }),
	}},
	{name: "contact", res: domain.ResContact, fields: editor[domain.Case]{
		fText("prs_Email", domain.MaxShortText, person(func(p *domain.Person) *string { return &p.Email })),
		fText("prs_HomePhone", domain.MaxShortText, person(func(p *domain.Person) *string { return &p.HomePhone })),
		fText("prs_MailingStreet", domain.MaxShortText, person(func(p *domain.Person) *string { return &p.MailingStreet })),
		fText("prs_MailingState", domain.MaxShortText, person(func(p *domain.Person) *string { return &p.MailingState })),
		fText("prs_MailingPostalCode", domain.MaxShortText, person(func(p *domain.Person) *string { return &p.MailingPostalCode })),
		fCode("prs_MailingCountry", "caseedit.help.country", true, person(func(p *domain.Person) *string { return &p.MailingCountry })),
		fChoice(domain.MaritalStatus, person(func(p *domain.Person) *string { return &p.MaritalStatus })),
		fNumber("prs_NumberOfChildren", func(c *domain.Case) **int { return &c.Person.NumberOfChildren }),
		fCode("prs_PrimaryLanguage", "caseedit.help.language", false, person(func(p *domain.Person) *string { return &p.PrimaryLanguage })),
		fCode("prs_SecondaryLanguage", "caseedit.help.language", false, person(func(p *domain.Person) *string { return &p.SecondaryLanguage })),
		fChoice(domain.Education, person(func(p *domain.Person) *string { return &p.HighestLevelOfEducation })),
	}},
	{name: "victim", res: domain.ResVictim, fields: victimFields()},
}

func victimFields() editor[domain.Case] {
	v := func(f func(*domain.Victim) *string) func(*domain.Case) *string {
		return func(c *domain.Case) *string { return f(&c.Victim) }
	}
	list := func(f func(*domain.Victim) *[]string) func(*domain.Case) *[]string {
		return func(c *domain.Case) *[]string { return f(&c.Victim) }
	}
	return editor[domain.Case]{
		fChoice(domain.DecisionMakingOrg, v(func(x *domain.Victim) *string { return &x.TraffickingStatusDecisionOrg })),
		fDate("vig_TraffickingStatusDate", func(c *domain.Case) *domain.Date { return &c.Victim.TraffickingStatusDate }),
		fChecks(domain.TypeOfExploitation, list(func(x *domain.Victim) *[]string { return &x.TypeOfExploitation })),
		fChecks(domain.TypeOfSexExploitation, list(func(x *domain.Victim) *[]string { return &x.TypeOfSexExploitation })),
		fChoice(domain.ForcedLabourIndustry, v(func(x *domain.Victim) *string { return &x.ForcedLabourIndustry })),
		fText("vic_LocationOfExploitation", domain.MaxShortText, v(func(x *domain.Victim) *string { return &x.LocationOfExploitation })),
		fChecks(domain.ExploitationWebsitesAndApps, list(func(x *domain.Victim) *[]string { return &x.ExploitationWebsitesAndApps })),
		fChecks(domain.MethodOfRecruitment, list(func(x *domain.Victim) *[]string { return &x.MethodOfRecruitment })),
		fChecks(domain.RecruitmentWebsitesAndApps, list(func(x *domain.Victim) *[]string { return &x.RecruitmentWebsitesAndApps })),
		fText("vic_LocationOfRecruitment", domain.MaxShortText, v(func(x *domain.Victim) *string { return &x.LocationOfRecruitment })),
		fChecks(domain.MethodsOfControl, list(func(x *domain.Victim) *[]string { return &x.MethodsOfControl })),
		fChoice(domain.RelationshipToTrafficker, v(func(x *domain.Victim) *string { return &x.RelationshipToTrafficker })),
		fNumber("vic_AgeWhenTrafficked", func(c *domain.Case) **int { return &c.Victim.AgeWhenTrafficked }),
	}
}

func sectionNamed(name string) (section, bool) {
	for _, s := range sections {
		if s.name == name {
			return s, true
		}
	}
	return section{}, false
}

// reachSection checks that the visitor may change the case and the
// section's field group (a refusal is audited, as the API's are).
func (s *site) reachSection(r *http.Request) (domain.CaseAccess, string, section, error) {
	sec, ok := sectionNamed(r.PathValue("section"))
	if !ok {
		return domain.CaseAccess{}, "", sec, domain.Errorf(domain.KindNotFound, "no such page")
	}
	p := visitorFrom(r).p
	acc, number, err := s.checker().Case(r.Context(), p, r.PathValue("ref"), domain.ResCase, domain.ActUpdate)
	if err != nil {
		return acc, number, sec, err
	}
	if !p.Can(sec.res, domain.ActUpdate, acc) {
		s.checker().Denied(r.Context(), number, sec.res, domain.ActUpdate, "forbidden", acc.AgencyID)
		return acc, number, sec, domain.Errorf(domain.KindForbidden, "your role may not change %s", sec.res)
	}
	return acc, number, sec, nil
}

func sectionPage(sec section, c *domain.Case) *editPage {
	return &editPage{Title: "caseedit.section." + sec.name, Action: "/cases/" + c.Number + "/edit/" + sec.name,
		Submit: "case.save", Number: c.Number, Version: c.Version, Base: sec.fields.values(c)}
}

// editSectionPage is GET /cases/{ref}/edit/{section} (a read, audited).
func (s *site) editSectionPage(w http.ResponseWriter, r *http.Request) {
	acc, number, sec, err := s.reachSection(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.Cases.Case(r.Context(), acc.CaseID)
	if err == nil {
		err = s.auditCaseRead(r, acc, number, []domain.Resource{domain.ResCase, sec.res})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := sectionPage(sec, c)
	d.Inputs = sec.fields.inputs(r, d.Base, nil, nil)
	s.showEdit(w, r, http.StatusOK, d)
}

// editSection is POST /cases/{ref}/edit/{section}, with editCase's rule:
// a case changed meanwhile comes back (409) naming the fields the other
// person changed, this user's typing kept, nothing merged silently.
func (s *site) editSection(w http.ResponseWriter, r *http.Request) {
	acc, number, sec, err := s.reachSection(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	typed, base := sec.fields.posted(r)
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	c, err := s.Cases.Case(r.Context(), acc.CaseID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if version != c.Version {
		s.sectionConflict(w, r, acc, number, sec, c, typed, base)
		return
	}
	err = sec.fields.apply(c, typed)
	if err == nil {
		err = s.Cases.UpdateCase(r.Context(), c)
	}
	if domain.KindOf(err) == domain.KindConflict {
		if c, err = s.Cases.Case(r.Context(), acc.CaseID); err != nil {
			s.fail(w, r, err)
			return
		}
		s.sectionConflict(w, r, acc, number, sec, c, typed, base)
		return
	}
	d := sectionPage(sec, c)
	d.Version, d.Base, d.Inputs = version, base, sec.fields.inputs(r, typed, nil, nil)
	s.finish(w, r, d, err, sec.fields.names())
}

func (s *site) sectionConflict(w http.ResponseWriter, r *http.Request, acc domain.CaseAccess, number string, sec section, c *domain.Case, typed, base map[string]string) {
	if err := s.auditCaseRead(r, acc, number, []domain.Resource{domain.ResCase, sec.res}); err != nil {
		s.fail(w, r, err)
		return
	}
	d := sectionPage(sec, c)
	shown, theirs := merged(base, typed, d.Base)
	d.Inputs, d.Problem, d.Theirs = sec.fields.inputs(r, shown, d.Base, theirs), "casework.edit.conflict", fieldLabels(r, theirs)
	if len(theirs) == 0 {
		// Another page of the case was saved: none of these fields
		// changed, but the rule stays "look, then save again".
		d.Problem = "caseedit.conflict_elsewhere"
	}
	s.showEdit(w, r, http.StatusConflict, d)
}
