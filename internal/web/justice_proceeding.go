// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// proceedingData is the proceeding page: the header form, the steps with
// a form to add each kind, the timeline and the warnings.
type proceedingData struct {
	P          *domain.Proceeding
	Timeline   []domain.TimelineEvent
	Header     *headerForm
	Articles   []*domain.LawArticle
	Defendants []option
	// StepValues and StepErrors are the step form that was refused, by
	// field ("hearings-date").
	StepValues map[string]string
	StepErrors map[string]string
	StepKind   string
	Conflict   bool
	Saved      bool
	CanDelete  bool
	// Warnings are the proceeding's order warnings in the visitor's
	// language, each naming its step (warningTexts).
	Warnings []string

	Acts, Means, Purposes, Verdicts, Currencies, Parties, Outcomes, Protections []option
}

// proceedingPage is GET /justice/{ref}: the proceeding in full (an
// audited read).
func (s *site) proceedingPage(w http.ResponseWriter, r *http.Request) {
	acc, _, err := s.reachProceeding(r, domain.ActRead)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.proceedingAgain(w, r, acc, nil, func(d *proceedingData) { d.Saved = r.URL.Query().Get("saved") != "" })
}

// proceedingAgain renders the proceeding page, with status from err (a
// refused form: 422 or 409) and what change sets on it.
func (s *site) proceedingAgain(w http.ResponseWriter, r *http.Request, acc domain.JusticeAccess, cause error, change func(*proceedingData)) {
	st, err := s.justice()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pr, err := st.Proceeding(r.Context(), acc.ProceedingID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	arts, err := st.LawArticles(r.Context(), true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := visitorFrom(r).p
	d := &proceedingData{P: pr, Timeline: pr.Timeline(), Articles: arts, StepValues: map[string]string{}, StepErrors: map[string]string{},
		Header:    &headerForm{Action: "/justice/" + pr.Number + "/edit", Version: pr.Version, Values: headerValues(pr), Sources: enumOptions(r, domain.ComplaintSource)},
		CanDelete: p.CanProceeding(domain.ActDelete, acc),
		Acts:      enumOptions(r, domain.MethodOfRecruitment), Means: enumOptions(r, domain.MethodsOfControl), Purposes: enumOptions(r, domain.TypeOfExploitation),
		Verdicts: enumOptions(r, domain.Verdict), Currencies: enumOptions(r, domain.Currency), Parties: enumOptions(r, domain.AppealParty),
		Outcomes: enumOptions(r, domain.AppealOutcome), Protections: enumOptions(r, domain.ProtectionKind)}
	for _, def := range pr.Defendants {
		d.Defendants = append(d.Defendants, option{def.ID, def.SuspectNumber})
	}
	d.Warnings = warningTexts(i18n.For(langOf(r)), pr)
	change(d)
	status := http.StatusOK
	switch domain.KindOf(cause) {
	case "":
	case domain.KindInvalid:
		status = http.StatusUnprocessableEntity
	case domain.KindConflict:
		status = http.StatusConflict
	default:
		s.fail(w, r, cause)
		return
	}
	s.render(w, r, status, "justice_proceeding", "justice.title", d)
}

// stepFields are each kind's form fields (after the "kind-" prefix).
var stepFields = map[domain.StepKind][]string{
	domain.StepDefendant: {"suspect_id", "arrested_on", "arrest_place"},
	domain.StepCharge:    {"defendant_id", "article_id", "charged_on"},
	domain.StepHearing:   {"date", "court", "outcome"},
	domain.StepSentence:  {"defendant_id", "sentenced_on", "prison_months", "fine-amount", "fine-currency", "compensation-amount", "compensation-currency", "confiscated"},
	domain.StepAppeal:    {"defendant_id", "lodged_on", "by", "court", "outcome", "decided_on"},
	domain.StepVictim:    {"case_number", "testified_on"},
}

// parseStep reads the form of a kind of step; fields are "kind-field".
func parseStep(kind domain.StepKind, v url.Values) (domain.Step, map[string]string, domain.Problems) {
	var p domain.Problems
	typed := map[string]string{}
	for _, f := range stepFields[kind] {
		typed[string(kind)+"-"+f] = strings.TrimSpace(v.Get(string(kind) + "-" + f))
	}
	get := func(f string) string { return typed[string(kind)+"-"+f] }
	day := func(f string) domain.Date { return parseDay(&p, string(kind)+"-"+f, get(f)) }
	list := func(f string) []string { return v[string(kind)+"-"+f] }
	checked := func(f string) bool { return v.Get(string(kind)+"-"+f) != "" }
	switch kind {
	case domain.StepDefendant:
		return &domain.Defendant{SuspectID: get("suspect_id"), ArrestedOn: day("arrested_on"), ArrestPlace: get("arrest_place")}, typed, p
	case domain.StepCharge:
		return &domain.Charge{DefendantID: get("defendant_id"), ArticleID: get("article_id"), ChargedOn: day("charged_on"),
			Acts: list("acts"), Means: list("means"), Purposes: list("purposes")}, typed, p
	case domain.StepHearing:
		return &domain.Hearing{Date: day("date"), Court: get("court"), Outcome: get("outcome")}, typed, p
	case domain.StepSentence:
		s := &domain.Sentence{DefendantID: get("defendant_id"), SentencedOn: day("sentenced_on"), Suspended: checked("suspended"), Confiscated: get("confiscated")}
		s.PrisonMonths = formInt(&p, v, string(kind)+"-prison_months")
		s.Fine = formMoney(&p, v, string(kind)+"-fine")
		s.Compensation = formMoney(&p, v, string(kind)+"-compensation")
		return s, typed, p
	case domain.StepAppeal:
		return &domain.Appeal{DefendantID: get("defendant_id"), LodgedOn: day("lodged_on"), By: get("by"), Court: get("court"),
			Outcome: get("outcome"), DecidedOn: day("decided_on")}, typed, p
	case domain.StepVictim:
		return &domain.Participation{CaseNumber: get("case_number"), Witness: checked("witness"), TestifiedOn: day("testified_on"),
			Protection: list("protection")}, typed, p
	}
	return nil, typed, p
}

// formMoney reads an amount and its currency; an empty amount is none.
func formMoney(p *domain.Problems, v url.Values, prefix string) *domain.Money {
	s := strings.TrimSpace(v.Get(prefix + "-amount"))
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		p.Add(prefix+"-amount", "validation.integer", "is not a whole number")
		return nil
	}
	return &domain.Money{Amount: n, Currency: v.Get(prefix + "-currency")}
}

// addJusticeStep is POST /justice/{ref}/steps/{kind}.
func (s *site) addJusticeStep(w http.ResponseWriter, r *http.Request) {
	acc, st, err := s.reachProceeding(r, domain.ActUpdate)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	kind := domain.StepKind(r.PathValue("kind"))
	if !domain.ValidStepKind(kind) {
		s.notFoundPage(w, r)
		return
	}
	step, typed, p := parseStep(kind, r.PostForm)
	err = p.Err()
	if err == nil {
		err = s.checkJusticeRefs(r, step)
	}
	if err == nil {
		err = st.AddStep(r.Context(), acc.ProceedingID, step)
	}
	if err == nil {
		redirect(w, "/justice/"+acc.Number+"?saved=1#"+string(kind))
		return
	}
	s.proceedingAgain(w, r, acc, err, func(d *proceedingData) {
		d.StepKind, d.StepValues = string(kind), typed
		for f, code := range fieldMessages(err) {
			if !strings.HasPrefix(f, string(kind)+"-") {
				f = string(kind) + "-" + strings.ReplaceAll(f, ".", "-")
			}
			d.StepErrors[f] = code
		}
		d.Conflict = domain.KindOf(err) == domain.KindConflict
	})
}

// justiceSuspects reads who reaches a suspect (the registry's store).
type justiceSuspects interface {
	SuspectAccess(ctx context.Context, ref string) (domain.SuspectAccess, error)
}

// checkJusticeRefs: a suspect or a victim's case out of the visitor's
// reach answers like a missing one (the API does the same).
func (s *site) checkJusticeRefs(r *http.Request, step domain.Step) error {
	p := visitorFrom(r).p
	switch v := step.(type) {
	case *domain.Defendant:
		sa, ok := s.Agencies.(justiceSuspects)
		if !ok {
			return domain.Errorf(domain.KindInternal, "the store does not implement the registry")
		}
		acc, err := sa.SuspectAccess(r.Context(), v.SuspectID)
		if domain.KindOf(err) == domain.KindNotFound || err == nil && !p.CanSuspect(domain.ActRead, acc) {
			return &domain.Error{Kind: domain.KindInvalid, Message: "invalid data", Fields: []domain.FieldError{{Field: "suspect_id", Code: "validation.justice_unknown_suspect"}}}
		}
		return err
	case *domain.Participation:
		if v.CaseNumber == "" {
			return nil
		}
		if _, _, err := s.reachCase(r, v.CaseNumber); err != nil {
			if k := domain.KindOf(err); k == domain.KindNotFound || k == domain.KindForbidden {
				return &domain.Error{Kind: domain.KindInvalid, Message: "invalid data", Fields: []domain.FieldError{{Field: "case_number", Code: "validation.justice_unknown_case"}}}
			}
			return err
		}
	}
	return nil
}

// warningTexts says each order warning of pr (domain.Proceeding.Check)
// in the visitor's language: the API's message is English, and one code
// (warning.before_complaint) covers several kinds of step, so the text is
// chosen by the kind of step and the code, then names the step by its
// registry or case number (never a name).
func warningTexts(l *i18n.Localizer, pr *domain.Proceeding) []string {
	number := map[string]string{}
	for _, d := range pr.Defendants {
		number[d.ID] = d.SuspectNumber
	}
	ref := map[string]string{}
	for _, d := range pr.Defendants {
		ref[d.ID] = d.SuspectNumber
	}
	for _, c := range pr.Charges {
		ref[c.ID] = number[c.DefendantID] + " · " + c.ArticleCode
	}
	for _, x := range pr.Sentences {
		ref[x.ID] = number[x.DefendantID]
	}
	for _, a := range pr.Appeals {
		ref[a.ID] = a.Court
		if n := number[a.DefendantID]; n != "" {
			ref[a.ID] = n + " · " + a.Court
		}
	}
	for _, h := range pr.Hearings {
		ref[h.ID] = l.Date(h.Date.Time())
	}
	for _, v := range pr.Victims {
		ref[v.ID] = v.CaseNumber
	}
	var out []string
	for _, w := range pr.Warnings {
		parts := strings.Split(w.Field, ".")
		text := l.T("justice.warning." + parts[0] + "." + strings.TrimPrefix(w.Code, "warning."))
		if len(parts) > 1 && ref[parts[1]] != "" {
			text += " (" + ref[parts[1]] + ")"
		}
		out = append(out, text)
	}
	return out
}
