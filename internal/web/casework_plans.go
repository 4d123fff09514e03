// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"slices"
	"strconv"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// planEditFields are the support plan's fields the edit page offers, in
// order; the actual end date is set by "mark as ended".
var planEditFields = []string{"spl_Type", "spl_Objectives", "spl_ActionPlan", "spl_PlannedEndDate"}

func planValues(p *domain.SupportPlan) map[string]string {
	return map[string]string{"spl_Type": p.Type, "spl_Objectives": p.Objectives, "spl_ActionPlan": p.ActionPlan,
		"spl_PlannedEndDate": dateValue(p.PlannedEndDate)}
}

// planFormFields builds the plan's fields; for those in theirs, the value
// saved meanwhile is shown beside the input.
func planFormFields(r *http.Request, typed, cur map[string]string, theirs []string) []formField {
	l := i18n.For(langOf(r))
	out := make([]formField, 0, len(planEditFields))
	for _, name := range planEditFields {
		f := formField{Name: name, Label: "field." + name, Kind: "textarea", Value: typed[name], Max: domain.MaxLongText}
		switch name {
		case "spl_Type":
			f.Kind, f.Options, f.Required, f.Max = "select", enumOptions(r, domain.SupportPlanType), true, 0
		case "spl_PlannedEndDate":
			f.Kind, f.Max, f.Help = "date", 0, "casework.plan.due_help"
		}
		if slices.Contains(theirs, name) {
			f.OtherSet, f.Other = true, cur[name]
			if name == "spl_Type" && f.Other != "" {
				f.Other = l.Enum(domain.SupportPlanType.Field, f.Other)
			}
		}
		out = append(out, f)
	}
	return out
}

// reachPlan checks the visitor may change the case's support plans and
// finds the plan in the URL (a plan of another case is not found).
func (s *site) reachPlan(r *http.Request) (domain.CaseAccess, string, *domain.SupportPlan, error) {
	acc, number, err := s.reachPart(r, domain.PartSupportPlans, domain.ActUpdate)
	if err != nil {
		return acc, number, nil, err
	}
	c, err := s.Cases.Case(r.Context(), acc.CaseID)
	if err != nil {
		return acc, number, nil, err
	}
	for _, p := range c.SupportPlans {
		if p.ID == r.PathValue("id") {
			return acc, number, p, nil
		}
	}
	return acc, number, nil, domain.Errorf(domain.KindNotFound, "case %s has no support plan %s", number, r.PathValue("id"))
}

func planEditData(number string, p *domain.SupportPlan) editData {
	return editData{Title: "casework.plan.edit", Action: "/cases/" + number + "/support-plans/" + p.ID + "/edit",
		Number: number, Version: p.Version, Base: planValues(p)}
}

// editPlanPage is GET /cases/{ref}/support-plans/{id}/edit (a read of the
// plan, audited).
func (s *site) editPlanPage(w http.ResponseWriter, r *http.Request) {
	acc, number, p, err := s.reachPlan(r)
	if err == nil {
		err = s.auditCaseRead(r, acc, number, []domain.Resource{domain.PartResource(domain.PartSupportPlans)})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := planEditData(number, p)
	d.Fields = planFormFields(r, d.Base, nil, nil)
	s.render(w, r, http.StatusOK, "casework_edit", d.Title, d)
}

// editPlan is POST /cases/{ref}/support-plans/{id}/edit, with the same
// conflict rule as the case's own fields (editCase): a plan changed
// meanwhile comes back naming the changed fields, nothing merged.
func (s *site) editPlan(w http.ResponseWriter, r *http.Request) {
	acc, number, cur, err := s.reachPlan(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	typed, base := map[string]string{}, map[string]string{}
	for _, name := range planEditFields {
		typed[name], base[name] = r.PostFormValue(name), r.PostFormValue("base."+name)
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if version != cur.Version {
		s.planConflict(w, r, acc, number, cur, typed, base)
		return
	}
	var p domain.Problems
	next := *cur
	next.Type, next.Objectives, next.ActionPlan = typed["spl_Type"], typed["spl_Objectives"], typed["spl_ActionPlan"]
	next.PlannedEndDate = parseDay(&p, "spl_PlannedEndDate", typed["spl_PlannedEndDate"])
	err = p.Err()
	if err == nil {
		err = s.Cases.UpdatePart(r.Context(), acc.CaseID, domain.PartSupportPlans, &next)
	}
	switch domain.KindOf(err) {
	case "":
		redirect(w, "/cases/"+number)
	case domain.KindConflict:
		if _, _, cur, err = s.reachPlan(r); err != nil {
			s.fail(w, r, err)
			return
		}
		s.planConflict(w, r, acc, number, cur, typed, base)
	case domain.KindInvalid:
		d := planEditData(number, cur)
		d.Version, d.Base, d.Fields = version, base, planFormFields(r, typed, nil, nil)
		s.editInvalid(w, r, d, err)
	default:
		s.fail(w, r, err)
	}
}

func (s *site) planConflict(w http.ResponseWriter, r *http.Request, acc domain.CaseAccess, number string, cur *domain.SupportPlan, typed, base map[string]string) {
	if err := s.auditCaseRead(r, acc, number, []domain.Resource{domain.PartResource(domain.PartSupportPlans)}); err != nil {
		s.fail(w, r, err)
		return
	}
	d := planEditData(number, cur)
	shown, theirs := merged(base, typed, d.Base)
	d.Fields, d.Problem, d.Theirs = planFormFields(r, shown, d.Base, theirs), "casework.plan.conflict", fieldLabels(r, theirs)
	s.render(w, r, http.StatusConflict, "casework_edit", d.Title, d)
}
