// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"regexp"
	"testing"
)

// TestTrainingCascade: the national committee adds a curriculum; the
// supervisor records a session with a participant certified as a
// trainer, then a later session that this person trains; the first
// session's cascade shows the second under it. JavaScript stays off
// for the supervisor: every step is a plain form.
func TestTrainingCascade(t *testing.T) {
	e := newEnv(t, envOptions{})
	coord := newTab(t, e)
	coord.signInAs(e.accounts["coordinator"])
	coord.open("/training/curricula")
	coord.axe("curricula")
	coord.fill("code", "TDT1", "title", "Identification des victimes de traite", "modules", "Cadre légal")
	coord.submit(`main form[action="/training/curricula"] button`)
	coord.wantText("the new curriculum", "TDT1", "Cadre légal")

	sup := newTab(t, e)
	sup.noScript()
	sup.signInAs(e.accounts["supervisor"])
	session := func(title, day string) {
		sup.open("/training/sessions/new")
		sup.axe("new session form")
		sup.fill("title", title, "place", "Goma", "funding_partner", "OIM")
		sup.setField("start_date", day)
		sup.setField("end_date", day)
		sup.pick("curriculum", "TDT1")
		sup.pick("province", "CD-NK")
		sup.submit(`main form[action="/training/sessions"] button`)
		sup.wantText("the new session", title, "Nord-Kivu")
	}
	session("Atelier de Goma", "2026-01-12")
	root := sup.path()
	sup.fill("first_name", "Aline", "last_name", "Mukendi", "ministry", "Ministère de la Justice", "pre_score", "40", "post_score", "88")
	sup.pick("sex", "Female")
	sup.pick("certified", "1")
	sup.pick("certified_trainer", "1")
	sup.submit(`main form[action$="/participants"] button`)
	sup.wantText("the participant", "Aline Mukendi", "Télécharger (PDF)")
	sup.axe("session page")
	sup.shoot("training-session-fr")

	session("Relais de Beni", "2026-02-20")
	sup.wantText("the trainer offered", "Formateur déjà certifié")
	sup.pick("trainee_id", sup.optionValue("Aline Mukendi"))
	sup.pick("role", "Trainer")
	sup.submit(`main form[action$="/participants"] button`)
	sup.wantText("the trainer of the second session", "Aline Mukendi", "Formateur·rice")

	sup.open(root + "/cascade")
	sup.wantText("the cascade", "Atelier de Goma", "Relais de Beni", "Formateurs certifiés")
	sup.axe("cascade")
	sup.shoot("training-cascade-fr")
}

// optionValue is the value of the first option whose text starts with
// label (read from the markup: JavaScript may be off).
func (b *tab) optionValue(label string) string {
	b.t.Helper()
	m := regexp.MustCompile(`<option value="([^"]+)">` + regexp.QuoteMeta(label)).FindStringSubmatch(b.html())
	if m == nil {
		b.t.Fatalf("no option %q", label)
	}
	return m[1]
}
