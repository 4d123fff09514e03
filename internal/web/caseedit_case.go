// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strings"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// caseEdit is the case page's block of the edit pages: the field groups
// the visitor may change, and the events and perpetrators with their
// edit links. A link shown is a link that works; a part the visitor may
// not read is not listed (the case was redacted before).
type caseEdit struct {
	Number   string
	Sections []string

	ShowEvents, AddEvent, EditEvents                   bool
	ShowPerpetrators, AddPerpetrator, EditPerpetrators bool
	Events, Perpetrators                               []partItem

	// SituationShown: the visitor may read the case's trafficking
	// situation (Situation is its title, "" for none); SituationLink:
	// and link the case to one.
	SituationShown, SituationLink bool
	Situation                     string
}

type partItem struct {
	ID, Label, Date string
}

// caseEditBlock builds the block for case c, already redacted for the
// visitor; nil when there is nothing to show.
func (s *site) caseEditBlock(r *http.Request, l *i18n.Localizer, c *domain.Case, acc domain.CaseAccess) *caseEdit {
	p := visitorFrom(r).p
	can := func(res domain.Resource, act domain.Action) bool { return p.Can(res, act, acc) }
	b := &caseEdit{Number: c.Number}
	if can(domain.ResCase, domain.ActUpdate) {
		for _, s := range sections {
			if can(s.res, domain.ActUpdate) {
				b.Sections = append(b.Sections, s.name)
			}
		}
	}
	ev, per := domain.PartResource(domain.PartEvents), domain.PartResource(domain.PartPerpetrators)
	b.AddEvent, b.EditEvents = can(ev, domain.ActCreate), can(ev, domain.ActUpdate)
	b.ShowEvents = can(ev, domain.ActRead) && (b.AddEvent || b.EditEvents)
	b.AddPerpetrator, b.EditPerpetrators = can(per, domain.ActCreate), can(per, domain.ActUpdate)
	b.ShowPerpetrators = can(per, domain.ActRead) && (b.AddPerpetrator || b.EditPerpetrators)
	if b.ShowEvents {
		for _, e := range c.Events {
			b.Events = append(b.Events, partItem{ID: e.ID, Label: l.Enum(domain.EventType.Field, e.Type), Date: dayLabel(l, e.Date)})
		}
	}
	if b.ShowPerpetrators {
		for _, x := range c.Perpetrators {
			name := strings.TrimSpace(strings.Join([]string{x.Person.FirstName, x.Person.SecondName}, " "))
			if name == "" {
				name = l.T("caseedit.perpetrator.unnamed")
			}
			b.Perpetrators = append(b.Perpetrators, partItem{ID: x.ID, Label: name})
		}
	}
	s.situationOf(r, b, c, acc)
	if len(b.Sections) == 0 && !b.ShowEvents && !b.ShowPerpetrators && !b.SituationShown {
		return nil
	}
	return b
}

// situationOf fills the block's situation: only for the owning agency,
// whose situations they are (a referred agency sees the case, not the
// agency's other files).
func (s *site) situationOf(r *http.Request, b *caseEdit, c *domain.Case, acc domain.CaseAccess) {
	p := visitorFrom(r).p
	if acc.AgencyID != p.AgencyID || !p.Can(domain.ResSituation, domain.ActRead, acc) {
		return
	}
	b.SituationShown = true
	b.SituationLink = p.Can(domain.ResCase, domain.ActUpdate, acc)
	if c.SituationID == "" {
		return
	}
	b.Situation = "—"
	st, err := s.situations()
	var x *domain.Situation
	if err == nil {
		x, err = st.Situation(r.Context(), c.SituationID)
	}
	if err != nil {
		// The case page still shows; the log says why the title is not.
		s.Log.Error("reading a case's situation", "case", c.Number, "err", err)
		return
	}
	b.Situation = x.Title
}

func dayLabel(l *i18n.Localizer, d domain.Date) string {
	if d.IsZero() || d.Malformed() {
		return ""
	}
	return l.Date(d.Time())
}
