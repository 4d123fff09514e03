// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"vigie/internal/domain"
)

// events edits the case's trafficking events (HTCDS hte_).
var events = &partEditor[domain.Event, *domain.Event]{kind: domain.PartEvents, title: "caseedit.event",
	fields: editor[domain.Event]{
		withRequired(fChoice(domain.EventType, func(e *domain.Event) *string { return &e.Type })),
		fDate("hte_Date", func(e *domain.Event) *domain.Date { return &e.Date }),
		fCode("hte_Country", "caseedit.help.country", true, func(e *domain.Event) *string { return &e.Country }),
		fText("hte_State", domain.MaxShortText, func(e *domain.Event) *string { return &e.State }),
		fText("hte_City", domain.MaxShortText, func(e *domain.Event) *string { return &e.City }),
		fText("hte_Street", domain.MaxShortText, func(e *domain.Event) *string { return &e.Street }),
		fText("hte_PostalCode", domain.MaxShortText, func(e *domain.Event) *string { return &e.PostalCode }),
		fText("hte_Description", domain.MaxLongText, func(e *domain.Event) *string { return &e.Description }),
	}}

// perpetrators edits the (suspected) perpetrators linked to the case:
// their identity (HTCDS prs_) and their role (per_).
var perpetrators = &partEditor[domain.Perpetrator, *domain.Perpetrator]{kind: domain.PartPerpetrators, title: "caseedit.perpetrator",
	fields: func() editor[domain.Perpetrator] {
		p := func(f func(*domain.Person) *string) func(*domain.Perpetrator) *string {
			return func(x *domain.Perpetrator) *string { return f(&x.Person) }
		}
		return editor[domain.Perpetrator]{
			fText("prs_FirstName", domain.MaxShortText, p(func(x *domain.Person) *string { return &x.FirstName })),
			fText("prs_MiddleName", domain.MaxShortText, p(func(x *domain.Person) *string { return &x.MiddleName })),
			fText("prs_SecondName", domain.MaxShortText, p(func(x *domain.Person) *string { return &x.SecondName })),
			fChoice(domain.Gender, p(func(x *domain.Person) *string { return &x.Gender })),
			fDate("prs_Birthdate", func(x *domain.Perpetrator) *domain.Date { return &x.Person.Birthdate }),
			fCountries("prs_Citizenship", func(x *domain.Perpetrator) *[]string { return &x.Person.Citizenship }),
			fChecks(domain.RoleInProcess, func(x *domain.Perpetrator) *[]string { return &x.RoleInProcess }),
			fText("per_RoleDetails", domain.MaxLongText, func(x *domain.Perpetrator) *string { return &x.RoleDetails }),
			fText("per_Organisation", domain.MaxShortText, func(x *domain.Perpetrator) *string { return &x.Organisation }),
		}
	}()}

func withRequired[T any](f field[T]) field[T] { f.required = true; return f }

// caseeditRoutes registers the pages that edit the rest of a case: its
// other field groups, its trafficking events and its perpetrators. Every
// change is a plain form (POST, CSRF token, then 303 back to the case).
func (s *site) caseeditRoutes(mux *http.ServeMux) {
	get := func(p string, h http.HandlerFunc) { mux.HandleFunc("GET "+p, s.signedIn(h)) }
	post := func(p string, h http.HandlerFunc) { mux.HandleFunc("POST "+p, s.signedIn(s.csrf(h))) }

	get("/cases/{ref}/edit/{section}", s.editSectionPage)
	post("/cases/{ref}/edit/{section}", s.editSection)
	get("/cases/{ref}/situation", s.editSituationPage)
	post("/cases/{ref}/situation", s.editSituation)
	for _, e := range []interface {
		routes(s *site, get, post func(string, http.HandlerFunc))
	}{events, perpetrators} {
		e.routes(s, get, post)
	}
}

func (e *partEditor[T, P]) routes(s *site, get, post func(string, http.HandlerFunc)) {
	base := "/cases/{ref}/" + string(e.kind)
	get(base+"/new", e.newPage(s))
	post(base, e.add(s))
	get(base+"/{id}/edit", e.editPage(s))
	post(base+"/{id}/edit", e.edit(s))
	post(base+"/{id}/delete", e.remove(s))
}
