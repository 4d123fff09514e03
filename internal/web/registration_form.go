// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"fmt"
	"strconv"
	"strings"

	"vigie/internal/domain"
)

// The wizard's form fields are named after the HTCDS identifiers they
// fill (prs_FirstName, vic_MethodsOfControl…), so that the domain's
// validation errors, once their "person." or "victim." prefix is dropped,
// name the form field they belong to. A perpetrator's fields carry the
// slot they were typed in: "per2.prs_FirstName".

type regKind string

const (
	regText   regKind = "text"
	regLong   regKind = "long"
	regDate   regKind = "date"
	regSelect regKind = "select"
	regChecks regKind = "checks"
	regRadio  regKind = "radio"
	regNumber regKind = "number"
	regYesNo  regKind = "yesno"
)

type regFieldDef struct {
	Name string
	Kind regKind
	Enum *domain.Enum
	// Help is an optional message ID shown under the field.
	Help string
	Max  int
}

func regTextField(name string, max int) regFieldDef {
	return regFieldDef{Name: name, Kind: regText, Max: max}
}
func regChoice(k regKind, e *domain.Enum) regFieldDef {
	return regFieldDef{Name: e.Field, Kind: k, Enum: e}
}

// Wizard steps, in order.
const (
	stepScreening    = "screening"
	stepVictim       = "victim"
	stepSituation    = "situation"
	stepPerpetrators = "perpetrators"
	stepConsent      = "consent"
	stepReview       = "review"
)

var regSteps = []string{stepScreening, stepVictim, stepSituation, stepPerpetrators, stepConsent, stepReview}

// regStepFields are the fields of each fixed step. The perpetrators step
// repeats regPerpetratorFields once per slot.
var regStepFields = map[string][]regFieldDef{
	stepScreening: {
		regChoice(regRadio, domain.MajorityStatus),
		regWithHelp(regChoice(regChecks, domain.MethodOfRecruitment), "registration.help.act"),
		regWithHelp(regChoice(regChecks, domain.MethodsOfControl), "registration.help.means"),
		regWithHelp(regChoice(regChecks, domain.TypeOfExploitation), "registration.help.purpose"),
		regChoice(regRadio, domain.TraffickingStatus),
		regChoice(regSelect, domain.DecisionMakingOrg),
		{Name: "vig_TraffickingStatusDate", Kind: regDate},
		regWithHelp(regChoice(regSelect, domain.Province), "report.help.province"),
	},
	stepVictim: {
		regTextField("prs_FirstName", domain.MaxShortText),
		regTextField("prs_MiddleName", domain.MaxShortText),
		regTextField("prs_SecondName", domain.MaxShortText),
		{Name: "prs_Birthdate", Kind: regDate},
		regChoice(regSelect, domain.Gender),
		regWithHelp(regTextField("prs_Citizenship", 60), "registration.help.countries"),
		regTextField("prs_IdentityNumber", domain.MaxShortText),
		regWithHelp(regTextField("prs_PrimaryLanguage", 3), "registration.help.language"),
		regWithHelp(regTextField("prs_MobilePhone", 20), "registration.help.phone"),
		regTextField("prs_MailingCity", domain.MaxShortText),
	},
	stepSituation: {
		regChoice(regSelect, domain.ForcedLabourIndustry),
		regChoice(regChecks, domain.TypeOfSexExploitation),
		regTextField("vic_LocationOfRecruitment", domain.MaxShortText),
		regTextField("vic_LocationOfExploitation", domain.MaxShortText),
		regChoice(regSelect, domain.RelationshipToTrafficker),
		{Name: "vic_AgeWhenTrafficked", Kind: regNumber, Max: 3},
		regWithHelp(regTextField("hte_Country", 2), "registration.help.country"),
		regTextField("hte_City", domain.MaxShortText),
		{Name: "hte_Date", Kind: regDate},
		{Name: "hte_Description", Kind: regLong},
	},
	stepConsent: {
		{Name: "con_Consent", Kind: regYesNo, Help: "registration.help.consent"},
		{Name: "vig_ConsentDate", Kind: regDate},
		regTextField("vig_RecordedBy", domain.MaxShortText),
	},
}

var regPerpetratorFields = []regFieldDef{
	regTextField("prs_FirstName", domain.MaxShortText),
	regTextField("prs_SecondName", domain.MaxShortText),
	regChoice(regSelect, domain.Gender),
	regChoice(regChecks, domain.RoleInProcess),
	{Name: "per_RoleDetails", Kind: regLong},
}

func regWithHelp(f regFieldDef, help string) regFieldDef { f.Help = help; return f }

// regMaxPerpetrators bounds the slots of the perpetrators step; more can be
// added on the case page once it exists.
const regMaxPerpetrators = 5

// regPerpetratorSlots is how many perpetrator slots the draft shows (1 to
// regMaxPerpetrators).
func regPerpetratorSlots(v map[string][]string) int {
	n, err := strconv.Atoi(regFirst(v, "per_count"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, regMaxPerpetrators)
}

func regPerName(slot int, name string) string { return fmt.Sprintf("per%d.%s", slot, name) }

// regFieldsOf returns the fields of a step as the draft shows them.
func regFieldsOf(step string, v map[string][]string) []regFieldDef {
	if step != stepPerpetrators {
		return regStepFields[step]
	}
	var out []regFieldDef
	for i := 1; i <= regPerpetratorSlots(v); i++ {
		for _, f := range regPerpetratorFields {
			f.Name = regPerName(i, f.Name)
			out = append(out, f)
		}
	}
	return out
}

// regStepOf is the step a form field is typed in; fields of no step (the
// case's own) are shown on the review.
func regStepOf(name string) string {
	if strings.HasPrefix(name, "per") && strings.Contains(name, ".") {
		return stepPerpetrators
	}
	for _, s := range regSteps {
		for _, f := range regStepFields[s] {
			if f.Name == name {
				return s
			}
		}
	}
	return stepReview
}

// regPostedValues copies the step's fields from the posted form into the
// draft's values: a field left empty (an unticked box) is cleared.
func regPostedValues(step string, form map[string][]string, into map[string][]string) {
	for _, f := range regFieldsOf(step, into) {
		vs := form[f.Name]
		if len(vs) == 0 || len(vs) == 1 && vs[0] == "" {
			delete(into, f.Name)
			continue
		}
		if f.Kind != regChecks {
			vs = vs[:1]
		}
		into[f.Name] = append([]string(nil), vs...)
	}
}

func regFirst(v map[string][]string, name string) string {
	if vs := v[name]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// regParsed turns the typed values into domain values, recording the values
// that cannot be read (a date in the wrong format, a word for a number).
type regParsed struct {
	v     map[string][]string
	probs domain.Problems
}

func (p *regParsed) text(name string) string { return strings.TrimSpace(regFirst(p.v, name)) }

func (p *regParsed) list(name string) []string {
	var out []string
	for _, s := range p.v[name] {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (p *regParsed) date(name string) domain.Date {
	d, err := domain.ParseDate(p.text(name))
	if err != nil {
		p.probs.Add(name, "validation.date_format", "not a date")
	}
	return d
}

func (p *regParsed) number(name string) *int {
	s := p.text(name)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		p.probs.Add(name, "validation.number", "not a whole number")
		return nil
	}
	return &n
}

// countries reads "CD, RW" or "cd rw" as a list of codes.
func (p *regParsed) countries(name string) []string {
	f := strings.FieldsFunc(strings.ToUpper(p.text(name)), func(r rune) bool { return r == ',' || r == ';' || r == ' ' })
	return f
}

// regToCase builds the case a draft describes and every problem it has, each
// named by its form field. The same domain validation as the API's runs
// again when the case is stored.
func regToCase(v map[string][]string, pr *domain.Principal, today domain.Date) (*domain.Case, []domain.FieldError) {
	p := &regParsed{v: v}
	s := domain.Screening{Majority: p.text("vig_MajorityStatus"), Acts: p.list("vic_MethodOfRecruitment"),
		Means: p.list("vic_MethodsOfControl"), Purposes: p.list("vic_TypeOfExploitation"),
		Decision: p.text("vic_TraffickingStatus"), DecidedBy: p.text("vic_TraffickingStatusDecisionMakingOrg"),
		DecidedOn: p.date("vig_TraffickingStatusDate")}
	c := &domain.Case{Agency: pr.Agency, CaseOwner: pr.Email, Province: p.text("vig_Province")}
	s.Apply(c)
	c.Person = domain.Person{FirstName: p.text("prs_FirstName"), MiddleName: p.text("prs_MiddleName"),
		SecondName: p.text("prs_SecondName"), Birthdate: p.date("prs_Birthdate"), Gender: p.text("prs_Gender"),
		Citizenship: p.countries("prs_Citizenship"), IdentityNumber: p.text("prs_IdentityNumber"),
		PrimaryLanguage: strings.ToLower(p.text("prs_PrimaryLanguage")), MobilePhone: p.text("prs_MobilePhone"),
		MailingCity: p.text("prs_MailingCity")}
	vic := &c.Victim
	vic.ForcedLabourIndustry, vic.TypeOfSexExploitation = p.text("vic_ForcedLabourIndustry"), p.list("vic_TypeOfSexExploitation")
	vic.LocationOfRecruitment, vic.LocationOfExploitation = p.text("vic_LocationOfRecruitment"), p.text("vic_LocationOfExploitation")
	vic.RelationshipToTrafficker, vic.AgeWhenTrafficked = p.text("vic_RelationshipToTrafficker"), p.number("vic_AgeWhenTrafficked")
	ev := &domain.Event{Type: "Exploitation", Country: strings.ToUpper(p.text("hte_Country")), City: p.text("hte_City"),
		Date: p.date("hte_Date"), Description: p.text("hte_Description")}
	if ev.Country != "" || ev.City != "" || !ev.Date.IsZero() || ev.Description != "" {
		c.Events = []*domain.Event{ev}
	}
	var slots []int // the form slot of each perpetrator kept
	for i := 1; i <= regPerpetratorSlots(v); i++ {
		x := &domain.Perpetrator{Person: domain.Person{FirstName: p.text(regPerName(i, "prs_FirstName")),
			SecondName: p.text(regPerName(i, "prs_SecondName")), Gender: p.text(regPerName(i, "prs_Gender"))},
			RoleInProcess: p.list(regPerName(i, "per_RoleInProcess")), RoleDetails: p.text(regPerName(i, "per_RoleDetails"))}
		if x.Person.FirstName != "" || x.Person.SecondName != "" || x.Person.Gender != "" || len(x.RoleInProcess) > 0 || x.RoleDetails != "" {
			c.Perpetrators, slots = append(c.Perpetrators, x), append(slots, i)
		}
	}
	switch p.text("con_Consent") {
	case "yes", "no":
		c.Consents = []*domain.Consent{{Consent: p.text("con_Consent") == "yes", Date: p.date("vig_ConsentDate"), RecordedBy: p.text("vig_RecordedBy")}}
	case "":
	default:
		p.probs.Add("con_Consent", "validation.boolean", "yes or no")
	}
	probs := append(p.probs, s.Validate(today)...)
	c.Normalize(today)
	if err := c.Validate(today); err != nil {
		for _, f := range domain.FieldErrors(err) {
			f.Field = regFormField(f.Field, slots)
			probs = append(probs, f)
		}
	}
	return c, withoutRedundantRequired(regDedupe(probs))
}

// regFormField maps a domain error's field ("perpetrators[0].person.prs_FirstName")
// to the form field it came from ("per1.prs_FirstName").
func regFormField(field string, slots []int) string {
	for _, prefix := range []string{"person.", "victim.", "events[0].", "consents[0]."} {
		if f, ok := strings.CutPrefix(field, prefix); ok {
			return f
		}
	}
	if rest, ok := strings.CutPrefix(field, "perpetrators["); ok {
		idx, name, ok := strings.Cut(rest, "].")
		k, err := strconv.Atoi(idx)
		if ok && err == nil && k >= 0 && k < len(slots) {
			return regPerName(slots[k], strings.TrimPrefix(name, "person."))
		}
	}
	return field
}

func regDedupe(in []domain.FieldError) []domain.FieldError {
	var out []domain.FieldError
	seen := map[string]bool{}
	for _, f := range in {
		if k := f.Field + "\x00" + f.Code; !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	return out
}

// regProblemsOf keeps the problems of one step; the review shows them all.
func regProblemsOf(step string, all []domain.FieldError) []domain.FieldError {
	if step == stepReview {
		return all
	}
	var out []domain.FieldError
	for _, f := range all {
		if regStepOf(f.Field) == step {
			out = append(out, f)
		}
	}
	return out
}

// regStepRequired adds what a step asks for beyond the domain's rules: the
// consent question must be answered, yes or no, before registering.
func regStepRequired(step string, v map[string][]string, probs []domain.FieldError) []domain.FieldError {
	if (step == stepConsent || step == stepReview) && regFirst(v, "con_Consent") == "" {
		probs = append(probs, domain.FieldError{Field: "con_Consent", Code: "validation.required"})
	}
	return probs
}
